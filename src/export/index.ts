// Generators of files that run tend elsewhere: service files for init systems (`tend init`).
export { INIT_SYSTEMS, runInit, type InitOutput, type InitRequest } from './init.js';
export {
  installPath,
  launchdPlist,
  nextSteps,
  openrcScript,
  systemdUnit,
  type InitSystem,
  type ServiceOptions,
} from './service-files.js';
