/**
 * One fit of a categorizer's model, as a pure function of plain data: the
 * lexical vocabulary, every example's features, the head, and the logits of
 * held-out texts. All of it is CPU work that grows with the number of examples
 * (about half a second per thousand tickets), so it runs on a worker thread
 * (see train-off-thread.ts) and gives the same result there as here.
 */
import { fitVocabulary, lexicalFeaturizer, type LexicalOptions, type LexicalVocabulary } from './lexical-features.js';
import { headLogits, trainHead, type HeadExample, type HeadOptions, type LinearHead } from './linear-head.js';

export interface FitJob {
  texts: string[];
  dense: Float32Array[];
  labels: number[];
  weights: number[];
  classes: number;
  lexical?: LexicalOptions;
  head: Omit<HeadOptions, 'onEpoch'>;
  /** Held-out texts (and their vectors) to score with the fitted model. */
  predict?: { texts: string[]; dense: Float32Array[] };
}

export interface FitResult {
  vocabulary: LexicalVocabulary;
  head: LinearHead;
  /** Logits of `predict`'s texts, in order. */
  logits: Float32Array[];
}

export function fitModel(job: FitJob, onEpoch?: (epoch: number, epochs: number) => void): FitResult {
  const vocabulary = fitVocabulary(job.texts, job.lexical);
  const featurize = lexicalFeaturizer(vocabulary);
  const examples: HeadExample[] = job.texts.map((text, i) => ({ dense: job.dense[i]!, sparse: featurize(text), label: job.labels[i]!, weight: job.weights[i]! }));
  const denseSize = job.dense[0]?.length ?? job.predict?.dense[0]?.length ?? 0;
  const head = trainHead(examples, { classes: job.classes, denseSize, sparseSize: vocabulary.terms.length }, { ...job.head, ...(onEpoch ? { onEpoch } : {}) });
  const logits = (job.predict?.texts ?? []).map((text, i) => headLogits(head, job.predict!.dense[i]!, featurize(text)));
  return { vocabulary, head, logits };
}
