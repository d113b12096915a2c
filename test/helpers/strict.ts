// Preloaded into every test process: a warning (deprecation, MaxListeners, experimental) or an
// unhandled rejection is a bug, so it fails the test file instead of scrolling past.
process.on('warning', (warning) => {
  // node:test itself is stable in Node 20; anything else warning at us is ours to fix.
  process.exitCode = 1;
  console.error(`process warning in test: ${warning.name}: ${warning.message}`);
});
process.on('unhandledRejection', (reason) => {
  console.error('unhandled rejection in test:', reason);
  process.exitCode = 1;
});
