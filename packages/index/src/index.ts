export { fuseRrf, fuseWeighted, type RankedList, type FusedHit, type RrfOptions, type WeightedOptions } from './fuse.js';
export { matchesFilter, isEmptyFilter, type FilterableDoc } from './filter.js';
export { VectorIndex, type VectorIndexOptions, type VectorHit, type VectorIndexState } from './vector.js';
export { LexicalIndex, type LexicalDoc, type LexicalHit, type LexicalIndexOptions, type LexicalIndexState, type SegmentState } from './lexical.js';
