/**
 * What bench/answers and bench/feedback share: the labeled messages, the knowledge base of
 * docs-content (built incrementally in bench/results/answers-store) and what judging needs.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStoreFolder, readKnowledge, translationIndex, type KnowledgeBase, type KnowledgeDoc } from '@answerdesk/core';
import { extractEntities } from '@answerdesk/message';
import { readJsonl } from '../common/jsonl.js';
import { progress, progressDone } from '../common/progress.js';
import { otherCustomersDetails, type LabeledMessage, type ToOriginal } from './judge.js';

export const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '../..');
export const answersStore = path.join(repoRoot, 'bench', 'results', 'answers-store');

export function readMessages(): Promise<LabeledMessage[]> {
  return readJsonl<LabeledMessage>(path.join(here, 'messages.jsonl'));
}

/** The store folder of docs-content, indexed (only what changed is embedded again) with its categorizers trained. */
export async function openAnswersStore(store = answersStore): Promise<KnowledgeBase> {
  await mkdir(path.dirname(store), { recursive: true });
  const kb = await openStoreFolder({ store });
  progress('indexing docs-content');
  await kb.index([path.join(repoRoot, 'docs-content')], { train: ['category', 'priority', 'queue'], onProgress: (p) => progress(`indexing (${p.phase})`, p.done, p.total) });
  progressDone();
  return kb;
}

/** What `judge` needs to know about docs-content: translations, other customers' details, languages. */
export interface JudgeContext {
  toOriginal: ToOriginal;
  byId: ReadonlyMap<string, KnowledgeDoc>;
  options: { details: ReadonlyMap<string, string>; hasTranslation: (id: string, language: string) => boolean; languageOfSource: (id: string) => string | undefined };
}

export async function judgeContext(): Promise<JudgeContext> {
  const { next: docs } = await readKnowledge([path.join(repoRoot, 'docs-content')]);
  const all = [...docs.values()];
  const translations = translationIndex(all);
  const toOriginal = (id: string) => {
    const key = translations.keyOf(id);
    return (key && translations.variant(key, 'en')) ?? id;
  };
  const byId = new Map<string, KnowledgeDoc>(all.map((d) => [d.id, d]));
  const hasTranslation = (id: string, language: string) => {
    const key = translations.keyOf(id);
    return key !== undefined && translations.variant(key, language) !== undefined;
  };
  const details = otherCustomersDetails(
    all.filter((d) => d.kind === 'ticket').map((d) => ({ id: d.id, text: `${d.text}\n${d.answer}` })),
    all.filter((d) => d.kind !== 'ticket').map((d) => d.answer),
    (text) => extractEntities(text),
  );
  return { toOriginal, byId, options: { details, hasTranslation, languageOfSource: (id) => byId.get(id)?.language } };
}
