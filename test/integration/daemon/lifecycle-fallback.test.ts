import { lifecycleCases } from './lifecycle-cases.js';

// The same cases on the child_process spawner, the fallback where the addon cannot load.
lifecycleCases('child_process');
