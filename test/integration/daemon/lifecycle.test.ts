import { lifecycleCases } from './lifecycle-cases.js';

// The lifecycle with the default spawner: the native one wherever tend's addon loads.
lifecycleCases('auto');
