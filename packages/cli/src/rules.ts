import { analyzedLanguages, type KnownLabels, type KnowledgeService } from '@answerdesk/core';

/**
 * What a knowledge base can predict, to check routing rules against: the labels of its trained
 * categorizers (category, queue, priority…) and the languages a message can be read in — those
 * of `--languages`, else every language the detector tells apart or the word index analyzes.
 */
export async function knownLabels(kb: KnowledgeService, languages?: readonly string[]): Promise<KnownLabels> {
  const labels: Record<string, string[]> = {};
  for (const field of kb.categorizerFields) {
    const categorizer = kb.categorizer(field);
    if (categorizer) labels[field] = [...categorizer.labels];
  }
  const { category, ...others } = labels;
  // Triage detects every message's language, so the detector's tables are loaded now or a moment later.
  const { detectableLanguages } = await import('@answerdesk/triage/language');
  return {
    ...(category ? { category } : {}),
    labels: others,
    language: languages?.length ? [...languages] : [...new Set([...detectableLanguages, ...analyzedLanguages])],
  };
}
