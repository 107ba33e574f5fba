import { create, insertMultiple, search, type AnyOrama } from '@orama/orama';
import { dedupe } from './metrics.js';

/**
 * The peer: Orama (pure-JS full-text + brute-force vector search) fed the
 * very vectors Answerdesk computed, so differences come from ranking and
 * fusion, not from the model.
 *
 * Configuration, kept close to Answerdesk's lexical side so the engines'
 * scoring is compared, not their text analysis: English stemming on and
 * lunr's English stop-word list (Orama's defaults are no stemming and no stop
 * words; the "no stop words" row shows what the default costs), title boosted
 * ×2 (lunr boosts the ticket subject ×2), Orama's default BM25 parameters. Vector
 * `similarity: -1` so every document is ranked: Orama's default cut-off of
 * 0.8 drops nearly all USE-lite matches (their cosines sit around 0.3–0.7),
 * which would silently turn hybrid into full-text. Hybrid uses Orama's
 * default weights (0.5 text + 0.5 vector, each normalized by its maximum).
 */

export const ORAMA_MODES = ['fulltext', 'vector', 'hybrid'] as const;
export type OramaMode = (typeof ORAMA_MODES)[number];

/** One Orama document: `group` is the Answerdesk document it stands for (several passages may share one). */
export interface OramaEntry {
  id: string;
  group: string;
  title: string;
  body: string;
  vector: Float32Array;
}

/** lunr 2.3's English stop-word list, verbatim (lunr.stopWordFilter), so both engines drop the same words. */
export const LUNR_STOP_WORDS = [
  'a', 'able', 'about', 'across', 'after', 'all', 'almost', 'also', 'am', 'among', 'an', 'and', 'any', 'are', 'as', 'at', 'be', 'because',
  'been', 'but', 'by', 'can', 'cannot', 'could', 'dear', 'did', 'do', 'does', 'either', 'else', 'ever', 'every', 'for', 'from', 'get', 'got',
  'had', 'has', 'have', 'he', 'her', 'hers', 'him', 'his', 'how', 'however', 'i', 'if', 'in', 'into', 'is', 'it', 'its', 'just', 'least', 'let',
  'like', 'likely', 'may', 'me', 'might', 'most', 'must', 'my', 'neither', 'no', 'nor', 'not', 'of', 'off', 'often', 'on', 'only', 'or', 'other',
  'our', 'own', 'rather', 'said', 'say', 'says', 'she', 'should', 'since', 'so', 'some', 'than', 'that', 'the', 'their', 'them', 'then',
  'there', 'these', 'they', 'this', 'tis', 'to', 'too', 'twas', 'us', 'wants', 'was', 'we', 'were', 'what', 'when', 'where', 'which', 'while',
  'who', 'whom', 'why', 'will', 'with', 'would', 'yet', 'you', 'your',
];

const DIMENSION = 512;
// `group` is not in the schema: it is looked up by id, and indexing it would add ids to the full-text side.
const schema = { title: 'string', body: 'string', embedding: `vector[${DIMENSION}]` } as const;

export class OramaPeer {
  private constructor(
    private readonly db: AnyOrama,
    private readonly groups: Map<string, string>,
    private readonly entriesPerGroup: number,
  ) {}

  static async build(entries: readonly OramaEntry[], options: { stopWords: boolean } = { stopWords: true }): Promise<OramaPeer> {
    for (const entry of entries) {
      if (entry.vector.length !== DIMENSION) throw new Error(`Orama schema holds ${DIMENSION}-d vectors, got ${entry.vector.length}`);
    }
    const tokenizer = { language: 'english', stemming: true, ...(options.stopWords ? { stopWords: LUNR_STOP_WORDS } : {}) };
    const db = create({ schema, components: { tokenizer } });
    await insertMultiple(
      db,
      entries.map((e) => ({ id: e.id, title: e.title, body: e.body, embedding: Array.from(e.vector) })),
    );
    const perGroup = new Map<string, number>();
    for (const e of entries) perGroup.set(e.group, (perGroup.get(e.group) ?? 0) + 1);
    return new OramaPeer(db, new Map(entries.map((e) => [e.id, e.group])), Math.max(1, ...perGroup.values()));
  }

  /** The top `k` Answerdesk document ids for a question, best first. */
  async rank(mode: OramaMode, term: string, vector: Float32Array, k: number): Promise<string[]> {
    // Passage entries of one document can fill the list, so fetch enough to still have k distinct documents.
    const limit = k * this.entriesPerGroup;
    const text = { term, properties: ['title', 'body'], boost: { title: 2 } };
    const near = { vector: { value: Array.from(vector), property: 'embedding' }, similarity: -1 };
    const params =
      mode === 'fulltext' ? { mode: 'fulltext' as const, ...text, limit }
      : mode === 'vector' ? { mode: 'vector' as const, ...near, limit }
      : { mode: 'hybrid' as const, ...text, ...near, limit };
    const results = await search(this.db, params as Parameters<typeof search>[1]);
    return dedupe(results.hits.map((hit) => this.groups.get(String(hit.id))!)).slice(0, k);
  }
}

/** The text embedded for a whole ticket in the "doc" variant: its distinct parts, question first (USE-lite cuts long inputs at the end). Pure. */
export function oramaDocText(ticket: { subject: string; body: string; resolution: string }): string {
  return dedupe([ticket.subject, ticket.body, ticket.resolution].map((part) => part.trim()).filter(Boolean)).join('\n');
}
