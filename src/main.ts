// Entry point of bin/tend: composes the subcommands. Only this module knows every layer.
console.error('tend: not yet built');
process.exitCode = 1;
