export { run, defaultIo, EXIT, type Io } from './program.js';
export { parseBatchLine, readBatch, type BatchLine, type BatchQuery } from './batch.js';
export { describeSource, formatSuggestion, formatSearch, formatReport, searchJson } from './format.js';
export { interactive, progressReporter } from './progress.js';
