export * from './errors.js';
export * from './model.js';
