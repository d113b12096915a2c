/* listenSocket(kind, address, port, backlog): a listening socket the daemon holds and never
 * accepts on (socket activation, docs/zero-downtime.md). Node can only make listening sockets
 * that libuv accepts on at once, which would take connections meant for the children.
 * kind "tcp": address is a host name or literal ("" or "*": every interface), port 1-65535.
 * kind "unix": address is the path (a stale socket file there is replaced), port is ignored.
 * Returns the fd (close-on-exec; the spawner passes it on as fd 3). Throws Node-style system
 * errors with .code (EADDRINUSE, EACCES…) and .syscall (getaddrinfo, socket, bind, listen). */
#include "tn.h"

#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

static napi_value throw_named(napi_env env, int err, const char *syscall_name, const char *detail) {
  const char *code = err > 0 ? uv_err_name(-err) : "ENOTFOUND";
  char message[512];
  snprintf(message, sizeof message, "%s %s (%s)", syscall_name, code, detail);
  napi_value msg, error, v;
  napi_create_string_utf8(env, message, NAPI_AUTO_LENGTH, &msg);
  napi_create_error(env, NULL, msg, &error);
  napi_create_string_utf8(env, code, NAPI_AUTO_LENGTH, &v);
  napi_set_named_property(env, error, "code", v);
  napi_create_string_utf8(env, syscall_name, NAPI_AUTO_LENGTH, &v);
  napi_set_named_property(env, error, "syscall", v);
  napi_throw(env, error);
  return NULL;
}

static napi_value fail_fd(napi_env env, int fd, const char *syscall_name) {
  int err = errno;
  if (fd >= 0) close(fd);
  return throw_named(env, err, syscall_name, strerror(err));
}

static napi_value listen_tcp(napi_env env, const char *host, int port, int backlog) {
  struct addrinfo hints, *found = NULL;
  memset(&hints, 0, sizeof hints);
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  char service[8];
  snprintf(service, sizeof service, "%d", port);
  const char *node = host[0] == '\0' || strcmp(host, "*") == 0 ? NULL : host;
  int rc = getaddrinfo(node, service, &hints, &found);
  if (rc != 0) return throw_named(env, rc == EAI_SYSTEM ? errno : 0, "getaddrinfo", gai_strerror(rc));
  int fd = socket(found->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    freeaddrinfo(found);
    return fail_fd(env, -1, "socket");
  }
  int on = 1;
  /* A restarted daemon can bind again while old connections sit in TIME_WAIT. */
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
  rc = bind(fd, found->ai_addr, found->ai_addrlen);
  freeaddrinfo(found);
  if (rc != 0) return fail_fd(env, fd, "bind");
  if (listen(fd, backlog) != 0) return fail_fd(env, fd, "listen");
  napi_value out;
  napi_create_int32(env, fd, &out);
  return out;
}

static napi_value listen_unix(napi_env env, const char *path, int backlog) {
  struct sockaddr_un addr;
  memset(&addr, 0, sizeof addr);
  addr.sun_family = AF_UNIX;
  if (strlen(path) >= sizeof addr.sun_path) {
    errno = ENAMETOOLONG;
    return fail_fd(env, -1, "bind");
  }
  strcpy(addr.sun_path, path);
  struct stat st;
  /* Only a socket file is replaced (one left by an earlier run); anything else is an error. */
  if (lstat(path, &st) == 0 && S_ISSOCK(st.st_mode)) unlink(path);
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return fail_fd(env, -1, "socket");
  if (bind(fd, (struct sockaddr *)&addr, sizeof addr) != 0) return fail_fd(env, fd, "bind");
  if (listen(fd, backlog) != 0) return fail_fd(env, fd, "listen");
  napi_value out;
  napi_create_int32(env, fd, &out);
  return out;
}

napi_value tn_listen_socket(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value args[4];
  napi_get_cb_info(env, info, &argc, args, NULL, NULL);
  char kind[8] = "", address[4096] = "";
  int32_t port = 0, backlog = 0;
  size_t len = 0;
  napi_get_value_string_utf8(env, args[0], kind, sizeof kind, &len);
  napi_get_value_string_utf8(env, args[1], address, sizeof address, &len);
  napi_get_value_int32(env, args[2], &port);
  napi_get_value_int32(env, args[3], &backlog);
  if (strcmp(kind, "unix") == 0) return listen_unix(env, address, backlog);
  return listen_tcp(env, address, port, backlog);
}
