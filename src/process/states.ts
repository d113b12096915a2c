// The process layer's view of the protocol's state vocabulary (src/protocol/states.ts), which
// every layer and the CLI share.
export * from '../protocol/states.js';
