export type {
  KnowledgeBaseOptions,
  IndexOptions,
  IndexProgress,
  IndexReport,
  SearchOptions,
  SearchResult,
  SuggestOptions,
  WarmUpOptions,
  WarmUpReport,
  TrainOptions,
  TriageOptions,
  ChangeReport,
  PublishOptions,
  VerifyReport,
} from './types.js';
export { planPublish, type PublishPlan, type PublishReport } from './publish.js';
export type { KnowledgeService, KnowledgeStats } from './service.js';
export { StoreKnowledgeBase, type StoreKnowledgeBaseOptions, type StoreBackend } from './store-knowledge-base.js';
export { SqliteKnowledgeBase, type SqliteKnowledgeBaseOptions } from './sqlite-knowledge-base.js';
export { KnowledgeBase, openStoreFolder, reindexStoreFolder, backupStoreFolder, DATABASE_FILE, type StoreFolderOptions, type ReindexReport } from './store-folder.js';
export { readKnowledge, planIndex, planArticles, planDirectory, type ReadLimits } from './plans.js';
export { rankHits, reserveSections, fuseCandidates, wordCoverage, readsLanguage, type Candidates, type RankingContext, type RankingOptions } from './answering.js';
export { DEFAULT_BANDS, DEFAULT_CONFIDENCE_MODEL, answerProbability, shownProbability, levelOf, validateBands, checkConfidenceModel, type AnswerFeatures, type ConfidenceBands, type ConfidenceModel } from './answer-confidence.js';
export { gitChanges, type GitChange, type GitChanges } from './git.js';
export { checkFeedback, checkRouteCorrection } from './feedback.js';
export { learnedAdjustments, learnedNote, routeAdjustments, LEARNING_DEFAULTS, type LearningOptions, type Learned } from './learning.js';
export { nothingToAnswer, type NothingToAnswer } from './nothing-to-answer.js';
export { translationIndex, chooseLanguage, collapseTranslations, languageName, type TranslationIndex, type LanguageChoice } from './translations.js';
export { learnLexicon, glossOf, glossedShare, glossaryPhrases, translationPairs, writtenForms, LEXICON_DEFAULTS, type Lexicon, type LexiconOptions } from './lexicon.js';
export { checkMessage, messageText, choosePriority, triageFacts, entityFacts, checkFieldName, correctedPrediction } from './triage.js';
export { articleDocs, articleIdOf, ticketDoc, ticketLabels, passagesOf, lexicalOf, type Passage, type PassageOptions } from './docs.js';
export { AnswerdeskError, errorCatalogue, isAnswerdeskError, reasonOf } from '@answerdesk/types';
export type * from '@answerdesk/types';
export { UseLiteEncoder, TransformersEncoder, HashingEncoder, USE_LITE_ID, STYLE_REMOVED_SUFFIX, type Encoder } from '@answerdesk/embeddings';
export {
  Categorizer,
  trainCategorizer,
  backtestCategorizer,
  priorityFromCues,
  defaultPriorityCues,
  type LabeledText,
  type CategorizerInfo,
  type CategorizerOptions,
  type BacktestOptions,
  type BacktestReport,
  type TrainProgress,
  type PriorityCue,
} from '@answerdesk/triage';
export { loadRules, parseRules, routeMessage, explainRoute, checkRuleLabels, unknownLabelsError, type RuleSet, type KnownLabels, type RuleLabelWarning } from '@answerdesk/routing';
export { analyzedLanguages } from '@answerdesk/index';
export { checkStoreDir } from '@answerdesk/store';
export {
  readLabeled,
  readTickets,
  readTicketsJsonlStream,
  parseTicketsJsonl,
  validateTicket,
  decodeStream,
  linesOf,
  parseByteSize,
  formatBytes,
  DEFAULT_MAX_ARTICLE_BYTES,
  DEFAULT_MAX_EXPORT_BYTES,
  type LabeledMessage,
  type LabeledImport,
} from '@answerdesk/tickets';
export { parseArticle } from '@answerdesk/markdown';
export { draftArticle, draftFromTickets, slugOf, type ArticleDraft, type DraftOptions } from './article-draft.js';
export { findConflicts, generalResolution, type ConflictOptions, type ConflictReport, type ConflictSource, type Contradiction, type DuplicateSections } from './conflict-scan.js';
export { conflictingFacts, aboutTheSame, applies, termOverlap, type FactConflict, type FactContext, type SectionFacts } from './conflicts.js';
export { extractFacts, sameValue, topicTerms, type Fact, type FactKind } from './facts.js';
export { policyStatements, ticketVerdict, policyConflicts, type PolicyStatement, type TicketVerdict, type PolicyConflict } from './policies.js';
export { maskDetails, sinceTime, askedQuestion, questionOutcomes, knowledgeGaps, sectionPerformance, groupTopics, GAP_DEFAULTS, type GapOptions, type QuestionWithOutcome } from './questions.js';
