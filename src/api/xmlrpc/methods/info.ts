import { SupervisorStates } from '../../../protocol/states.js';
import { allConfigInfo } from '../../../supervisor/index.js';
import { asStruct, method, type MethodTable } from './types.js';

// Identity and state of the daemon and its processes.

export const API_VERSION = '3.0';
/**
 * What getSupervisorVersion reports: the supervisord release whose API and behaviour tend
 * reproduces. Tools gate features on it and `supervisorctl version` prints it; tend's own
 * version is in GET /api/v1/daemon and `tend version`.
 */
export const SUPERVISOR_VERSION = '4.2.5';

const apiVersion = method(0, 0, () => API_VERSION);

export const INFO_METHODS: MethodTable = {
  'supervisor.getAPIVersion': apiVersion,
  'supervisor.getVersion': apiVersion,
  'supervisor.getSupervisorVersion': method(0, 0, () => SUPERVISOR_VERSION),
  'supervisor.getIdentification': method(0, 0, ({ sup }) => sup.config.supervisord.identifier),
  'supervisor.getState': method(0, 0, ({ sup }) => ({
    statecode: SupervisorStates[sup.state],
    statename: sup.state,
  })),
  'supervisor.getPID': method(0, 0, ({ daemon }) => daemon.pid),
  'supervisor.getProcessInfo': method(1, 1, ({ sup }, a) => asStruct(sup.info(a.string(0)))),
  'supervisor.getAllProcessInfo': method(0, 0, ({ sup }) => sup.allInfo().map(asStruct)),
  'supervisor.getAllConfigInfo': method(0, 0, ({ sup }) => allConfigInfo(sup).map(asStruct)),
};
