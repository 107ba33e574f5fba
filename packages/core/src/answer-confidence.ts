import type { Confidence, ConfidenceLevel } from '@answerdesk/types';

/**
 * Honest confidence: the probability that a shown answer is right, from a
 * logistic model over what the ranking knows about the answer. The levels are
 * bands of that probability, so High means the same on every corpus.
 */

/** What the model looks at for one candidate answer to one question. */
export interface AnswerFeatures {
  /** Cosine similarity of the question to the document's best passage (0 when unknown). */
  similarity: number;
  /** Cosine similarity of the question to the passage shown (the unit chosen inside a section; a ticket's question). */
  unitSimilarity: number;
  /** Cosine similarity of the question to the section's title and heading (a ticket's subject): headings are written as questions. */
  headingSimilarity: number;
  /** Share of the question's words in the section's title and heading (a ticket's subject). */
  headingCoverage: number;
  /** 1 for an article's opening section (before its first sub-heading): it introduces, and matches broadly. */
  opening: number;
  /** How strongly past tickets like the question point at this section: their similarity to the question times their resolution's similarity to the passage shown. 0 for tickets. */
  ticketSupport: number;
  /** IDF-weighted share of the question's words the document holds. */
  coverage: number;
  /** The best similarity among all candidates: how close the knowledge base comes to the question at all. */
  bestSimilarity: number;
  /** How far this candidate's similarity is ahead of the best other candidate's (negative when behind). */
  lead: number;
  /** The same for the heading similarity and for the word coverage: is this the candidate that stands out? */
  headingLead: number;
  coverageLead: number;
  /** Heading and shown-passage similarity ahead of the other candidate sections of the same article (0 when none): which sibling answers. */
  siblingHeadingLead: number;
  siblingUnitLead: number;
  /** Share of the candidates that come from this candidate's article: how strongly the knowledge base points at that article. */
  articleShare: number;
  /** 1 for a past ticket, 0 for an article section. */
  ticket: number;
  /** 1 when the encoder reads the question's language. */
  semantic: number;
  /** 1 when the document matched in the question's language (a translation bridge or a same-language document). */
  sameLanguage: number;
  /** log(1 + the question's content words). */
  length: number;
  /** Probability the category categorizer gives the document's category for this message (0.5 when unknown). */
  categoryAgreement: number;
  /** Position in the fused ranking, 0 = first. */
  rank: number;
}

export const FEATURE_NAMES = ['similarity', 'unitSimilarity', 'headingSimilarity', 'headingCoverage', 'opening', 'ticketSupport', 'coverage', 'bestSimilarity', 'lead', 'headingLead', 'coverageLead', 'siblingHeadingLead', 'siblingUnitLead', 'articleShare', 'ticket', 'semantic', 'sameLanguage', 'length', 'categoryAgreement', 'rank'] as const satisfies ReadonlyArray<keyof AnswerFeatures>;

/** The model's inputs: the features, and where the encoder cannot read the language, the same features again (its own weights). */
export function featureVector(f: AnswerFeatures): number[] {
  const base = FEATURE_NAMES.map((name) => f[name]);
  // Similarity means little in a language the encoder cannot read; words mean more: separate weights for each case.
  const foreign = f.semantic ? [0, 0, 0, 0] : [f.similarity, f.unitSimilarity, f.coverage, f.lead];
  return [...base, ...foreign, f.similarity * f.coverage];
}

/** A logistic model over the standardized `featureVector`. */
export interface RankingWeights {
  weights: readonly number[];
  bias: number;
  /** Mean and scale of each input, as seen in training: inputs are standardized before the weights apply. */
  mean: readonly number[];
  scale: readonly number[];
}

export interface ConfidenceModel extends RankingWeights {
  /**
   * Weights of their own for questions in a language the encoder cannot read (matched by words and a
   * gloss): what decides there is not what decides in English, and fitting both at once lets the few
   * foreign examples pull the English weights. Absent: the same weights for both.
   */
  foreign?: RankingWeights;
  /**
   * Platt scaling of the ranking score for the answer actually shown (the best candidate of its question):
   * P(right) = σ(a·z + b), z the ranking logit. The ranking model is fitted on every candidate; the
   * shown one is a selected few, so its probability is calibrated on those alone.
   */
  shown: ShownCalibration;
  /** The same for questions in a language the encoder cannot read: their scores mean something else. */
  shownForeign: ShownCalibration;
  /** Where the weights came from, for the record. */
  fittedOn: string;
}

/**
 * P(right) = σ(a·z + c·margin + b): z the candidate's ranking logit, margin how far it is ahead of the best
 * other candidate's. Two sections about equally likely means the engine cannot tell which one answers.
 */
export interface ShownCalibration {
  a: number;
  b: number;
  c: number;
}

/** Probability bands: the same meaning whatever the corpus or encoder. */
export interface ConfidenceBands {
  /** Below this probability the engine abstains. */
  abstain: number;
  medium: number;
  high: number;
  /**
   * An answer with another source at least this probable is never High: two sources both likely means the
   * engine cannot tell which one answers, and the agent is told to check. Default 0.7 (DEFAULT_BANDS).
   */
  rival?: number;
}

/**
 * `rival` 0.7: on bench/answers' tuning half, High was right 22 times in 26 with 0.8 (stop 38), 19 in 23 with
 * 0.75, 17 in 18 with 0.7 and 13 in 14 with 0.65: 0.7 is the loosest that keeps High right 90% of the time
 * there. The answers it keeps from High are still shown, at Medium, with the rival named.
 */
export const DEFAULT_BANDS: ConfidenceBands = { abstain: 0.4, medium: 0.6, high: 0.85, rival: 0.7 };

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/** The ranking logit of a candidate: higher ranks first. Pure. */
export function rankingLogit(features: AnswerFeatures, model: ConfidenceModel): number {
  const x = featureVector(features);
  const w = !features.semantic && model.foreign ? model.foreign : model;
  let z = w.bias;
  for (let i = 0; i < x.length; i++) z += (w.weights[i] ?? 0) * ((x[i]! - (w.mean[i] ?? 0)) / (w.scale[i] || 1));
  return z;
}

/** Probability that a candidate is right, among all candidates (orders them). Pure. */
export function answerProbability(features: AnswerFeatures, model: ConfidenceModel): number {
  return sigmoid(rankingLogit(features, model));
}

/** σ(a·z + c·margin + b): a shown answer's ranking logit `z` and its margin, calibrated. Pure. */
export function calibratedProbability(logit: number, margin: number, { a, b, c }: ShownCalibration): number {
  return sigmoid(a * logit + c * margin + b);
}

/**
 * Probability that the answer shown (a question's best candidate) is right: what the confidence says.
 * `logit` is its ranking logit when the caller has it already. Pure.
 */
export function shownProbability(features: AnswerFeatures, margin: number, model: ConfidenceModel, logit = rankingLogit(features, model)): number {
  return calibratedProbability(logit, margin, features.semantic ? model.shown : model.shownForeign);
}

/** Each candidate's ranking logit minus the best other one's (0 when it stands alone). Pure. */
export function margins(logits: readonly number[]): number[] {
  return logits.map((z, i) => (logits.length > 1 ? z - Math.max(...logits.filter((_v, j) => j !== i)) : 0));
}

/** Fit the calibration of shown answers on their ranking logits, margins and whether each was right. Pure. */
export function fitShown(examples: ReadonlyArray<{ logit: number; margin: number; right: boolean }>, options: { epochs?: number; rate?: number } = {}): ShownCalibration {
  let a = 1;
  let b = 0;
  let c = 0;
  const n = examples.length || 1;
  for (let epoch = 0; epoch < (options.epochs ?? 5000); epoch++) {
    let ga = 0;
    let gb = 0;
    let gc = 0;
    for (const e of examples) {
      const error = calibratedProbability(e.logit, e.margin, { a, b, c }) - (e.right ? 1 : 0);
      ga += error * e.logit;
      gc += error * e.margin;
      gb += error;
    }
    a -= (options.rate ?? 0.1) * (ga / n);
    b -= (options.rate ?? 0.1) * (gb / n);
    c -= (options.rate ?? 0.1) * (gc / n);
  }
  const round = (v: number) => Math.round(v * 10000) / 10000;
  return { a: round(a), b: round(b), c: round(c) };
}

/** The level of a probability, or undefined below the abstain band. Pure. */
export function levelOf(probability: number, bands: ConfidenceBands = DEFAULT_BANDS): ConfidenceLevel | undefined {
  if (!(probability >= bands.abstain)) return undefined;
  return probability >= bands.high ? 'high' : probability >= bands.medium ? 'medium' : 'low';
}

export function confidenceFrom(probability: number, bands: ConfidenceBands = DEFAULT_BANDS, cap?: ConfidenceLevel): Confidence | undefined {
  let level = levelOf(probability, bands);
  if (!level) return undefined;
  if (cap === 'low' || (cap === 'medium' && level === 'high')) level = cap;
  return { level, score: Math.round(probability * 1000) / 1000 };
}

export function validateBands(bands: ConfidenceBands): string | undefined {
  const ok = [bands.abstain, bands.medium, bands.high].every((v) => typeof v === 'number' && v >= 0 && v <= 1);
  if (!ok) return 'values must be probabilities between 0 and 1';
  if (bands.rival !== undefined && !(typeof bands.rival === 'number' && bands.rival >= 0 && bands.rival <= 1)) return 'rival must be a probability between 0 and 1 (leave it out for the default, 0.7)';
  if (!(bands.abstain <= bands.medium && bands.medium <= bands.high)) return 'must satisfy abstain ≤ medium ≤ high';
  return undefined;
}

/** What is wrong with a confidence model given as an option (one fitted by `bench/answers --fit`), or undefined. Pure. */
export function checkConfidenceModel(model: unknown): string | undefined {
  const dim = featureVector(zeroFeatures()).length;
  const finite = (v: unknown) => typeof v === 'number' && Number.isFinite(v);
  const weightsProblem = (w: unknown, where: string): string | undefined => {
    if (typeof w !== 'object' || w === null) return `${where} must be an object with weights, bias, mean and scale`;
    const r = w as Record<string, unknown>;
    for (const name of ['weights', 'mean', 'scale'] as const) {
      const list = r[name];
      if (!Array.isArray(list) || list.length !== dim || !list.every(finite)) return `${where}${name} must be a list of ${dim} numbers (one per input of featureVector)`;
    }
    return finite(r.bias) ? undefined : `${where}bias must be a number`;
  };
  if (typeof model !== 'object' || model === null) return 'must be an object like DEFAULT_CONFIDENCE_MODEL';
  const m = model as Record<string, unknown>;
  const problem = weightsProblem(m, '') ?? (m.foreign === undefined ? undefined : weightsProblem(m.foreign, 'foreign.'));
  if (problem) return problem;
  for (const name of ['shown', 'shownForeign'] as const) {
    const c = m[name] as Record<string, unknown> | undefined;
    if (typeof c !== 'object' || c === null || !finite(c.a) || !finite(c.b) || !finite(c.c)) return `${name} must be { a, b, c } numbers (the calibration of shown answers)`;
  }
  return undefined;
}

/**
 * Fit a logistic model by gradient descent with L2 (features are small and few; no library needed). Pure and
 * deterministic: same examples, same weights. Used by bench/answers to learn DEFAULT_CONFIDENCE_MODEL.
 */
export function fitConfidenceModel(examples: ReadonlyArray<{ features: AnswerFeatures; right: boolean; weight?: number }>, options: { epochs?: number; rate?: number; l2?: number; fittedOn: string }): ConfidenceModel {
  const raw = examples.map((e) => featureVector(e.features));
  const dim = raw[0]?.length ?? featureVector(zeroFeatures()).length;
  // Standardized inputs: one learning rate suits every feature, whatever its range.
  const mean = Array.from({ length: dim }, (_v, i) => raw.reduce((sum, x) => sum + x[i]!, 0) / (raw.length || 1));
  const scale = Array.from({ length: dim }, (_v, i) => Math.sqrt(raw.reduce((sum, x) => sum + (x[i]! - mean[i]!) ** 2, 0) / (raw.length || 1)) || 1);
  const xs = raw.map((x) => x.map((v, i) => (v - mean[i]!) / scale[i]!));
  const w = new Float64Array(dim);
  let b = 0;
  const epochs = options.epochs ?? 4000;
  const rate = options.rate ?? 0.3;
  const l2 = options.l2 ?? 0.03;
  const total = examples.reduce((sum, e) => sum + (e.weight ?? 1), 0) || 1;
  for (let epoch = 0; epoch < epochs; epoch++) {
    const gw = new Float64Array(dim);
    let gb = 0;
    xs.forEach((x, n) => {
      let z = b;
      for (let i = 0; i < dim; i++) z += w[i]! * x[i]!;
      const weight = examples[n]!.weight ?? 1;
      const error = (sigmoid(z) - (examples[n]!.right ? 1 : 0)) * weight;
      for (let i = 0; i < dim; i++) gw[i]! += error * x[i]!;
      gb += error;
    });
    for (let i = 0; i < dim; i++) w[i]! -= rate * (gw[i]! / total + l2 * w[i]!);
    b -= rate * (gb / total);
  }
  const round = (v: number) => Math.round(v * 10000) / 10000;
  return { weights: [...w].map(round), bias: round(b), mean: mean.map(round), scale: scale.map(round), shown: { a: 1, b: 0, c: 0 }, shownForeign: { a: 1, b: 0, c: 0 }, fittedOn: options.fittedOn };
}

export function zeroFeatures(): AnswerFeatures {
  return { similarity: 0, unitSimilarity: 0, headingSimilarity: 0, headingCoverage: 0, opening: 0, ticketSupport: 0, coverage: 0, bestSimilarity: 0, lead: 0, headingLead: 0, coverageLead: 0, siblingHeadingLead: 0, siblingUnitLead: 0, articleShare: 0, ticket: 0, semantic: 1, sameLanguage: 1, length: 0, categoryAgreement: 0.5, rank: 0 };
}

/**
 * Learned by `pnpm bench:answers --fit` on bench/answers' tuning half, docs-content's article headings
 * and bench/multilingual's questions (see bench/answers/README.md). Refit when the features change.
 */
export const DEFAULT_CONFIDENCE_MODEL: ConfidenceModel = {
  weights: [0.0073, 0.0191, -0.0679, 0.1941, -0.2145, 0.2026, 0.2898, 0.0225, 0.0993, 0.0107, 0.2413, 0.0587, 0.1319, 0.1272, -0.2229, 0.1504, -0.0467, 0.2721, 0.4972, -0.4089, -0.1829, -0.1842, 0.0047, -0.1039, 0.2297],
  bias: -2.9952,
  mean: [0.6881, 0.6879, 0.6362, 0.1063, 0.1041, 0.2894, 0.2529, 0.7584, -0.0672, -0.0875, -0.1702, -0.0061, -0.0057, 0.2779, 0.349, 0.4796, 0.9758, 2.0652, 0.3879, 3.5, 0.4376, 0.4393, 0.1245, -0.0202, 0.1731],
  scale: [0.2178, 0.2221, 0.2514, 0.1437, 0.3054, 0.3527, 0.2229, 0.1703, 0.1073, 0.1201, 0.2053, 0.0277, 0.0265, 0.216, 0.4766, 0.4996, 0.1536, 0.4955, 0.3537, 2.2913, 0.4289, 0.43, 0.1884, 0.0745, 0.1592],
  foreign: {
    weights: [-0.0391, 0.109, 0.0855, 0.0182, -0.2615, 0.0521, 0.1888, 0.067, -0.0731, 0.0492, 0.2978, -0.0572, 0.1637, 0.2526, -0.0607, 0, -0.2037, 0.41, 0.0429, -0.4037, -0.0391, 0.109, 0.1888, -0.0731, 0.1175],
    bias: -2.4784,
    mean: [0.5003, 0.677, 0.6667, 0.1603, 0.1032, 0.1399, 0.3542, 0.6188, -0.1158, -0.1754, -0.2392, -0.0092, -0.0087, 0.3174, 0.198, 0, 0.2669, 2.1466, 0.343, 3.5, 0.5003, 0.677, 0.3542, -0.1158, 0.1841],
    scale: [0.233, 0.2342, 0.2344, 0.202, 0.3043, 0.1773, 0.2905, 0.1671, 0.1766, 0.2189, 0.2894, 0.0342, 0.0318, 0.2195, 0.3985, 1, 0.4423, 0.497, 0.3446, 2.2913, 0.233, 0.2342, 0.2905, 0.1766, 0.1821],
  },
  shown: { a: 1.765, b: 1.0416, c: -0.1695 },
  shownForeign: { a: 0.9291, b: 0.45, c: 0.0182 },
  fittedOn: "bench/answers tune half (117 messages) + bench/multilingual (72 questions, 60 off-topic): 2152 candidates, SQLite store (FTS5 BM25), 2026-12-05; foreign weights: bench/answers tune half (215 messages) + bench/multilingual (72 questions, 60 off-topic): 3152 candidates, 2026-12-07, with the glossaries; foreign calibration out of fold",
};
