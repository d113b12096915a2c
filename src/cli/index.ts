export { Client, type ServerTarget } from './client.js';
export { control, type Verb } from './commands/control.js';
export { status } from './commands/status.js';
export { terminal, type Output } from './output.js';
