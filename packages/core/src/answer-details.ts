// Past tickets' resolutions read for reuse when they are written, so that no question pays for it.
import { detailsHold, resolutionDetails } from '@answerdesk/reply';
import type { KnowledgeDoc, ResolutionDetails } from '@answerdesk/types';
import { yieldToLoop } from './yield.js';

/**
 * The documents with each ticket's `answerDetails` found where missing or not its resolution's as it is
 * now (a few milliseconds a resolution: compromise's parse). `found` keeps them by content hash across a
 * write's retries. A turn of the event loop every ~10 ms of work, so a service keeps answering meanwhile.
 */
export async function withAnswerDetails(docs: readonly KnowledgeDoc[], found: Map<string, ResolutionDetails>): Promise<KnowledgeDoc[]> {
  const out: KnowledgeDoc[] = [];
  let slice = performance.now();
  for (const doc of docs) {
    if (doc.kind !== 'ticket' || !doc.answer || detailsHold(doc.answerDetails, doc.answer, doc.language)) {
      out.push(doc);
      continue;
    }
    if (performance.now() - slice > 10) {
      await yieldToLoop();
      slice = performance.now();
    }
    const key = `${doc.hash}\u0000${doc.language}`;
    let details = found.get(key);
    if (!details) {
      details = resolutionDetails(doc.answer, { language: doc.language });
      found.set(key, details);
    }
    out.push({ ...doc, answerDetails: details });
  }
  return out;
}
