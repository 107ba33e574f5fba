export * from './errors.js';
export * from './model.js';
export * from './triage.js';
export * from './store.js';
