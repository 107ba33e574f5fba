export { readMessage } from './read.js';
export { htmlToText, looksLikeHtml, isHtmlBody } from './html.js';
export { startsWithTitle, isAutoReply } from './clean.js';
export { isThanksOnly, isFollowUp, asksNothing } from './nothing-asked.js';
export { holdingKind, servicesNamed, servicesSpokenOf, type HoldingKind, type ServiceMention } from './services.js';
export { isUnsolicited, unsolicitedSigns, type UnsolicitedSign, type UnsolicitedSignKind } from './unsolicited.js';
export { extractEntities } from './entities.js';
export { withoutIdentifiers, withoutPictographs, IDENTIFIER_KINDS } from './identifiers.js';
export { createSpeller, vocabularyOf, defaultMaxDistance } from './spelling.js';
export { fromLatinRussian, mayBeLatinRussian, cyrillicForms, type LatinRussianOptions } from './translit.js';
export type {
  CountryCode,
  Correction,
  Entity,
  EntityKind,
  ExtractEntitiesOptions,
  MessageQuestion,
  QuestionSpan,
  ReadMessage,
  ReadMessageOptions,
  Speller,
  SpellerOptions,
} from './types.js';
