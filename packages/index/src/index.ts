export { fuseRrf, fuseWeighted, type RankedList, type FusedHit, type RrfOptions, type WeightedOptions } from './fuse.js';
export { matchesFilter, isEmptyFilter, type FilterableDoc } from './filter.js';
export { VectorIndex, type VectorIndexOptions, type VectorHit, type VectorIndexState } from './vector.js';
export { LexicalIndex, ANALYSIS_VERSION, type LexicalDoc, type LexicalHit, type LexicalIndexOptions, type LexicalIndexState, type LexicalSearchOptions, type SegmentState, type WeightedTerm } from './lexical.js';
export { analyze, analyzerLanguage, analyzedLanguages, couldHold, languageScript } from './analyzer.js';
