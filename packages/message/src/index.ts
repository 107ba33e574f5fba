export { readMessage } from './read.js';
export { extractEntities } from './entities.js';
export { createSpeller, vocabularyOf, defaultMaxDistance } from './spelling.js';
export type {
  CountryCode,
  Correction,
  Entity,
  EntityKind,
  ExtractEntitiesOptions,
  MessageQuestion,
  ReadMessage,
  ReadMessageOptions,
  Speller,
  SpellerOptions,
} from './types.js';
