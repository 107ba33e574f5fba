export { readFormat2Store, FORMAT_VERSION, type Format2Records, type Format2Passage, type Format2Categorizer } from './format-2.js';
export { checkStoreDir } from './store-dir.js';
