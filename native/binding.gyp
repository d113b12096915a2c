# The native seam of tend (docs/native.md): spawning without copying the daemon, exits through
# pidfd, and the subreaper. C against Node-API (no node-addon-api needed), Linux only; where it
# does not build, tend uses child_process (scripts/build-native.mjs says so and goes on).
{
  "targets": [
    {
      "target_name": "tend_native",
      "sources": [
        "src/addon.c",
        "src/request.c",
        "src/spawn.c",
        "src/child.c",
        "src/watch.c",
        "src/owned.c",
        "src/reaper.c",
        "src/format.c",
        "src/listen.c"
      ],
      "defines": ["NAPI_VERSION=8", "_GNU_SOURCE"],
      "cflags": ["-std=gnu11", "-Wall", "-Wextra", "-Wno-unused-parameter", "-fvisibility=hidden"]
    }
  ]
}
