export {
  KnowledgeBase,
  type KnowledgeBaseOptions,
  type IndexOptions,
  type IndexProgress,
  type IndexReport,
  type SearchOptions,
  type SearchResult,
  type SuggestOptions,
} from './knowledge-base.js';
export { USE_LITE_THRESHOLDS, confidenceOf, validateThresholds, type Thresholds } from './confidence.js';
export { articleDocs, ticketDoc, passagesOf, lexicalOf, type Passage, type PassageOptions } from './docs.js';
export { AnswerdeskError, errorCatalogue, isAnswerdeskError } from '@answerdesk/types';
export type * from '@answerdesk/types';
export { UseLiteEncoder, TransformersEncoder, HashingEncoder, type Encoder } from '@answerdesk/embeddings';
