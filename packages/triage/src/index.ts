export { trainCategorizer, Categorizer, descriptionExamples, type LabeledText, type CategorizerOptions, type CategorizerInfo, type CalibrationReport, type TrainProgress } from './categorizer.js';
export { backtestCategorizer, type BacktestOptions, type BacktestReport, type LevelOutcome } from './backtest.js';
export { classificationMetrics, type ClassificationMetrics, type ClassMetrics, type Confusion } from './metrics.js';
export { fitTemperature, isotonicAccuracy, levelThresholds, coverageAt, defaultLevelTargets, type LevelTargets, type LevelThresholds, type ScoredOutcome, type HeldOutPrediction } from './calibration.js';
export { fitVocabulary, lexicalFeaturizer, termsOf, wordsOf, defaultLexicalOptions, type LexicalOptions, type LexicalVocabulary, type SparseVector } from './lexical-features.js';
export { trainHead, headLogits, softmaxInPlace, seededRandom, shuffleInPlace, defaultHeadOptions, type HeadOptions, type HeadExample, type LinearHead } from './linear-head.js';
export { stratifiedFolds, stratifiedSplit } from './split.js';
export { fitOffThread, type TrainingThread } from './train-off-thread.js';
export { fitModel, type FitJob, type FitResult } from './fit-model.js';
// Language detection is the opt-in subpath `@answerdesk/triage/language`: its n-gram tables take
// about a second and 140 MB to load, which commands that never detect a language should not pay.
export { priorityFromCues, defaultPriorityCues, type PriorityCue, type PriorityCueOptions } from './priority-cues.js';
