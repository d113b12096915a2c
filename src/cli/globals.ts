import type { OptionSpec } from './command.js';

// The options every command takes: which config and which daemon, and its credentials.

export const GLOBAL_OPTIONS: readonly OptionSpec[] = [
  {
    flags: '-c, --configuration <file>',
    description: 'config file (default: $TEND_CONFIG, ./tend.conf, … /etc/supervisor/supervisord.conf)',
  },
  { flags: '-s, --serverurl <url>', description: 'daemon URL: unix:///path/to.sock or http://host:port' },
  { flags: '-u, --username <name>', description: 'username for the daemon' },
  { flags: '-p, --password <password>', description: 'password for the daemon' },
];
