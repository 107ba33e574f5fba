/**
 * How the shown probability holds on questions the ranking weights did not learn from.
 *
 * The confidence model's ranking weights and the calibration of the answer shown (`shown`, `shownForeign`)
 * are fitted on the same questions, where a best candidate's logit may be more confident than on a new
 * question. `--fit` estimates it out of fold: the questions are split in folds, the ranking weights are
 * fitted without each fold, and each fold's best candidates are scored by the weights that did not see
 * them (cross-fitting, as scikit-learn's CalibratedClassifierCV does); it prints how often those are
 * right per band under the calibration fitted in sample and under one fitted on them.
 */
import { fitConfidenceModel, fitShown, margins, rankingLogit, type AnswerFeatures, type ConfidenceModel, type ShownCalibration } from '../../packages/core/src/answer-confidence.js';

export interface CalibrationExample {
  features: AnswerFeatures;
  right: boolean;
  /** The question the candidate was found for: folds never split a question's candidates. */
  question: number;
}

/** Ranking weights for questions the encoder reads and for those it does not, as `--fit` learns them. */
export function fitRanking(examples: readonly CalibrationExample[], fittedOn: string): ConfidenceModel {
  const native = fitConfidenceModel(
    examples.filter((e) => e.features.semantic === 1),
    { fittedOn },
  );
  const { weights, bias, mean, scale } = fitConfidenceModel(
    examples.filter((e) => e.features.semantic !== 1),
    { fittedOn },
  );
  return { ...native, foreign: { weights, bias, mean, scale } };
}

export interface ShownExample {
  logit: number;
  margin: number;
  right: boolean;
  semantic: boolean;
}

/** Each question's best candidate under `model`, with its margin over the runner-up. */
export function shownExamples(examples: readonly CalibrationExample[], model: ConfidenceModel): ShownExample[] {
  const byQuestion = new Map<number, ShownExample[]>();
  for (const e of examples) {
    const list = byQuestion.get(e.question) ?? [];
    list.push({ logit: rankingLogit(e.features, model), margin: 0, right: e.right, semantic: e.features.semantic === 1 });
    byQuestion.set(e.question, list);
  }
  return [...byQuestion.values()].map((list) => {
    const ahead = margins(list.map((c) => c.logit));
    const top = list.reduce((a, c, i) => (c.logit > list[a]!.logit ? i : a), 0);
    return { ...list[top]!, margin: ahead[top]! };
  });
}

/** The best candidates of every question, each scored by ranking weights fitted without its fold. */
export function outOfFoldShown(examples: readonly CalibrationExample[], folds = 5): ShownExample[] {
  const foldOf = (question: number) => question % folds;
  return Array.from({ length: folds }, (_v, fold) => {
    const model = fitRanking(
      examples.filter((e) => foldOf(e.question) !== fold),
      `fold ${fold}`,
    );
    return shownExamples(
      examples.filter((e) => foldOf(e.question) === fold),
      model,
    );
  }).flat();
}

export interface Calibration {
  shown: ShownCalibration;
  shownForeign: ShownCalibration;
}

/** `shown` and `shownForeign` fitted on best candidates: those of questions the encoder reads, and the others. */
export function calibrate(shown: readonly ShownExample[]): Calibration {
  return { shown: fitShown(shown.filter((s) => s.semantic)), shownForeign: fitShown(shown.filter((s) => !s.semantic)) };
}
