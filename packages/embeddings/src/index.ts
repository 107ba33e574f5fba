export type { Encoder, EncodeOptions, EncodeProgress } from './encoder.js';
export { UseLiteEncoder, STYLE_REMOVED_SUFFIX, type UseLiteOptions } from './use-lite.js';
export { withoutStyle } from './style.js';
export { STYLE_DIRECTION } from './style-direction.js';
export { USE_LITE_ID, USE_LITE_DIMENSION, defaultModelDir, readVocabulary } from './use-runtime.js';
export { createTokenizer, normalizeForTokenizer, type Tokenizer, type Vocabulary } from './tokenizer.js';
export { TransformersEncoder, resolveTransformersOptions, type TransformersEncoderOptions } from './transformers.js';
export { EmbeddingCache, embeddingKey, type CachedEmbedResult } from './cache.js';
export { HashingEncoder } from './hash-encoder.js';
