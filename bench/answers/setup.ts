/**
 * What bench/answers and bench/feedback share: the labeled messages, the knowledge base of
 * docs-content (built incrementally in bench/results/answers-store) and what judging needs.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStoreFolder, readKnowledge, translationIndex, type KnowledgeBase, type KnowledgeDoc, type StoreFolderOptions } from '@answerdesk/core';
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
export async function openAnswersStore(store = answersStore, options: Pick<StoreFolderOptions, 'confidenceModel'> = {}): Promise<KnowledgeBase> {
  await mkdir(path.dirname(store), { recursive: true });
  const kb = await openStoreFolder({ ...options, store });
  progress('indexing docs-content');
  await kb.index([path.join(repoRoot, 'docs-content')], { train: ['category', 'priority', 'queue'], onProgress: (p) => progress(`indexing (${p.phase})`, p.done, p.total) });
  progressDone();
  return kb;
}

/**
 * A store of past tickets (bench/ingest's, say) with docs-content published into it, the tickets kept: the
 * same questions asked of a helpdesk with a large history, where tickets outnumber sections hundreds to one.
 */
export async function openHistoryStore(store: string, options: Pick<StoreFolderOptions, 'confidenceModel'> = {}): Promise<KnowledgeBase> {
  const kb = await openStoreFolder({ ...options, store });
  const { next } = await readKnowledge([path.join(repoRoot, 'docs-content')]);
  progress('publishing docs-content into the history');
  await kb.putDocuments([...next.values()], { onProgress: (p) => progress(`publishing (${p.phase})`, p.done, p.total) });
  // The history's own labels are another helpdesk's scheme: the categorizers learn docs-content's, as `openAnswersStore`'s do.
  for (const field of ['category', 'priority', 'queue']) {
    const examples = [...next.values()].flatMap((doc) => {
      const label = doc.kind === 'ticket' ? (doc.labels?.[field] ?? (field === 'category' ? doc.category : undefined)) : doc.kind === 'article' && field === 'category' ? doc.category : undefined;
      return label ? [{ text: doc.text, label }] : [];
    });
    await kb.train({ field, examples });
  }
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
