import type { Database } from 'better-sqlite3';
import { matchAny } from './lexical.js';

/**
 * The best documents for a question's words, ranked by FTS5's bm25() — found
 * without scoring every document that holds a common word.
 *
 * FTS5 scores every row matching any term: a question with "order" or "card"
 * scores tens of thousands of tickets at 100k (40 ms), although such a word
 * adds little to a score. So when some terms are common, the rows holding a
 * rarer term are found first and each is scored with every term here (the
 * same formula and statistics as FTS5's bm25(); checked against FTS5's own
 * scores for the rarer terms, a difference falls back to the full query).
 * The ranking is proven the full query's when a row left out cannot score
 * above it (the max-score bound: a term adds less than idf × (k1 + 1)).
 * Otherwise it is the full query's ranking less the rows that hold common
 * terms only: at 100k tickets 98–100% of the first 40 rows are the same and
 * it costs half (bench/ingest). `exact: true` runs the full query instead.
 */

type Db = Database;

/** FTS5's bm25() constants (fts5_aux.c); SQL cannot change them. */
const K1 = 1.2;
const B = 0.75;
/** Column weights of bm25(): the title counts twice, as in the embedded index. */
export const COLUMN_WEIGHTS = [2, 1] as const;
/** The bm25() call with those weights, as SQL. */
export const BM25_SQL = `bm25(documents_fts, ${COLUMN_WEIGHTS.map((w) => w.toFixed(1)).join(', ')})`;

/** When the shortlist is tried. The defaults are what bench/ingest's suggest measured at 100k tickets. */
export interface ShortlistOptions {
  /** Below this many documents every query is cheap: the full query runs. Default 2,000. */
  minDocuments?: number;
  /** A term held by at least this share of the documents is common. Default 1/5. */
  commonShare?: number;
  /** Rows holding rarer terms scored here, as a multiple of the rows asked for. Default 4. */
  depth?: number;
  /**
   * Only rankings proven equal to the full query's: a shortlist that cannot be proven falls back to
   * the full query (FTS5 scoring every row that holds any term). Default false: the shortlist is kept
   * when it holds at least the rows asked for, leaving out rows that hold common terms only.
   */
  exact?: boolean;
}

export const SHORTLIST_DEFAULTS: Required<ShortlistOptions> = { minDocuments: 2000, commonShare: 1 / 5, depth: 4, exact: false };

export interface WordRow {
  rid: number;
  /** -bm25(): higher is better. */
  score: number;
}

/**
 * How a ranking was found: `shortlist` proved equal to the full query; `rarer` the rows holding a
 * rarer term, not proven (rows holding common terms only may be missing); `full` ran the full query
 * (`why` says why).
 */
export interface WordRanking {
  rows: WordRow[];
  /** The analyzed title and body of the rows, where scoring them here read them (not on the `full` path). */
  texts?: ReadonlyMap<number, [title: string, body: string]>;
  path: 'full' | 'shortlist' | 'rarer';
  why?: 'small' | 'no common term' | 'only common terms' | 'not provable' | 'too few rarer rows' | 'score mismatch';
}

/** FTS5's inverse document frequency for a term held by `hits` of `rows` rows. */
export function fts5Idf(rows: number, hits: number): number {
  const idf = Math.log((rows - hits + 0.5) / (hits + 0.5));
  return idf <= 0 ? 1e-6 : idf;
}

/** SQLite varints (big-endian 7-bit groups, the ninth byte whole), as FTS5 writes its records. */
export function readVarints(bytes: Uint8Array): number[] {
  const out: number[] = [];
  let i = 0;
  while (i < bytes.length) {
    let value = 0;
    let n = 0;
    for (; n < 8 && i < bytes.length; n++) {
      const byte = bytes[i++]!;
      value = value * 128 + (byte & 0x7f);
      if (!(byte & 0x80)) break;
    }
    if (n === 8 && i < bytes.length) value = value * 256 + bytes[i++]!;
    out.push(value);
  }
  return out;
}

/**
 * The statistics bm25() uses: rows and tokens over all columns, from FTS5's
 * averages record (row 1 of its `_data` table: a varint row count, then one
 * token total per column). Undefined for an empty table.
 */
function averages(db: Db): { rows: number; avgdl: number } | undefined {
  const record = db.prepare<[], { block: Buffer }>('SELECT block FROM documents_fts_data WHERE id = 1').get();
  if (!record) return undefined;
  const [rows = 0, ...tokens] = readVarints(record.block);
  if (rows <= 0 || tokens.length !== COLUMN_WEIGHTS.length) return undefined;
  return { rows, avgdl: tokens.reduce((a, b) => a + b, 0) / rows };
}

/** How many documents hold each term, read in the caller's transaction (so with the same snapshot as its queries). */
export type TermCounts = (terms: readonly string[]) => Map<string, number>;

/** Counted in the word index (fts5vocab): it walks each term's whole list of documents, a millisecond or two for a common word at 100k rows. */
export function indexTermCounts(db: Db): TermCounts {
  const lookup = db.prepare<[string], { doc: number }>('SELECT doc FROM documents_terms WHERE term = ?');
  return (terms) => new Map(terms.map((term) => [term, lookup.get(term)?.doc ?? 0]));
}

/** Read from `word_docs`, which the document store changes with every write (a B-tree lookup a term). */
export function keptTermCounts(db: Db): TermCounts {
  const lookup = db.prepare<[string], { docs: number }>('SELECT docs FROM word_docs WHERE term = ?');
  return (terms) => new Map(terms.map((term) => [term, lookup.get(term)?.docs ?? 0]));
}

/** The analyzed title and body of word rows, by rowid (one read of FTS5's content table; rows not there are left out). */
export function wordTexts(db: Db, rids: readonly number[]): Map<number, [title: string, body: string]> {
  const rows = db
    .prepare<[string], { rid: number; title: string | null; body: string | null }>(
      'SELECT id AS rid, c0 AS title, c1 AS body FROM documents_fts_content WHERE id IN (SELECT value FROM json_each(?))',
    )
    .all(JSON.stringify(rids));
  return new Map(rows.map((row) => [row.rid, [row.title ?? '', row.body ?? '']]));
}

/** Tokens as FTS5's 'ascii' tokenizer cuts them: runs of ASCII letters and digits and of any non-ASCII character. */
function tokens(text: string): string[] {
  return text.split(/[\x00-\x2F\x3A-\x40\x5B-\x60\x7B-\x7F]+/).filter(Boolean);
}

/** The distinct terms of a word-index row, as FTS5's 'ascii' tokenizer makes them (ASCII letters folded to lower case): what a row adds to `word_docs`. */
export function rowTerms(columns: readonly string[]): Set<string> {
  return new Set(columns.flatMap((column) => tokens(column).map((token) => token.replace(/[A-Z]+/g, (letters) => letters.toLowerCase()))));
}

/** bm25() of one row for each term in `idf` (in its order): the terms' parts, summed as FTS5 sums them. */
export function bm25Parts(columns: readonly string[], idf: ReadonlyMap<string, number>, avgdl: number): Map<string, number> {
  const frequency = new Map<string, number>();
  let length = 0;
  columns.forEach((column, c) => {
    for (const token of tokens(column)) {
      length++;
      if (idf.has(token)) frequency.set(token, (frequency.get(token) ?? 0) + (COLUMN_WEIGHTS[c] ?? 1));
    }
  });
  const parts = new Map<string, number>();
  for (const [term, weight] of idf) {
    const f = frequency.get(term) ?? 0;
    parts.set(term, weight * ((f * (K1 + 1)) / (f + K1 * (1 - B + (B * length) / avgdl))));
  }
  return parts;
}

const sum = (parts: Map<string, number>, terms: readonly string[]) => terms.reduce((total, term) => total + parts.get(term)!, 0);

/**
 * The `limit` rows holding any of `terms` with the highest bm25() scores, best first (ties in any order);
 * with `path: 'rarer'`, those among the rows holding a rarer term (see the top of this file).
 */
export function bestWordRows(db: Db, terms: readonly string[], limit: number, options: ShortlistOptions = {}, counts = indexTermCounts(db)): WordRanking {
  const { minDocuments, commonShare, depth, exact } = { ...SHORTLIST_DEFAULTS, ...options };
  const query = db.prepare<[string, number], WordRow>(
    `SELECT rowid AS rid, -${BM25_SQL} AS score FROM documents_fts WHERE documents_fts MATCH ? ORDER BY score DESC LIMIT ?`,
  );
  const full = (why: WordRanking['why']): WordRanking => ({ rows: query.all(matchAny(terms), limit), path: 'full', ...(why ? { why } : {}) });
  // One snapshot for the statistics, the shortlists and the full query they may fall back to.
  return db
    .transaction((): WordRanking => {
      const stats = averages(db);
      if (!stats || stats.rows < minDocuments) return full('small');
      const hits = counts(terms);
      const idf = new Map(terms.map((term) => [term, fts5Idf(stats.rows, hits.get(term)!)]));
      const common = terms.filter((term) => hits.get(term)! >= stats.rows * commonShare);
      if (common.length === 0) return full('no common term');
      if (common.length === terms.length) return full('only common terms');
      /** The rows holding a term other than `set`, scored with every term, best first; whether they are provably the full query's. */
      const attempt = (set: readonly string[]): { rows: WordRow[]; texts: Map<number, [string, string]>; proven: boolean } | 'score mismatch' => {
        const rare = terms.filter((term) => !set.includes(term));
        // What the common terms could add at most to any row's score.
        const bound = set.reduce((total, term) => total + idf.get(term)! * (K1 + 1), 0);
        const shortlist = query.all(matchAny(rare), limit * depth);
        // A row left out holds the rarer terms' part no higher than the last row in (none when all are in).
        const floor = shortlist.length === limit * depth ? shortlist[shortlist.length - 1]!.score : 0;
        const texts = wordTexts(db, shortlist.map((row) => row.rid));
        const scored: WordRow[] = [];
        for (const row of shortlist) {
          const parts = bm25Parts(texts.get(row.rid) ?? [], idf, stats.avgdl);
          if (Math.abs(sum(parts, rare) - row.score) > 1e-9 * Math.max(1, Math.abs(row.score))) return 'score mismatch';
          scored.push({ rid: row.rid, score: sum(parts, terms) });
        }
        scored.sort((a, b) => b.score - a.score);
        const last = scored[limit - 1];
        return { rows: scored.slice(0, limit), texts, proven: last !== undefined && last.score > floor + bound };
      };
      let found = attempt(common);
      if (found === 'score mismatch') return full(found);
      if (found.proven) return { rows: found.rows, texts: found.texts, path: 'shortlist' };
      if (!exact) return found.rows.length === limit ? { rows: found.rows, texts: found.texts, path: 'rarer' } : full('too few rarer rows');
      // Not provable: the words found in most rows still weigh nothing (FTS5's idf floor) and cost the most to score.
      const weightless = terms.filter((term) => idf.get(term) === 1e-6);
      if (weightless.length > 0 && weightless.length < common.length) {
        found = attempt(weightless);
        if (found === 'score mismatch') return full(found);
        if (found.proven) return { rows: found.rows, texts: found.texts, path: 'shortlist' };
      }
      return full('not provable');
    })
    .deferred();
}

/**
 * bm25() of the given rows for `terms`, as FTS5 would score them, best first (the rows holding none of the
 * terms left out): for a filter that lets few rows through (the sections of a store of tickets), scoring
 * those here costs far less than FTS5 scoring every row that holds a common word. Undefined for an empty index.
 */
export function scoreWordRows(db: Db, terms: readonly string[], rids: readonly number[], limit: number, counts = indexTermCounts(db)): WordRow[] | undefined {
  return db
    .transaction((): WordRow[] | undefined => {
      const stats = averages(db);
      if (!stats) return undefined;
      const hits = counts(terms);
      const idf = new Map(terms.map((term) => [term, fts5Idf(stats.rows, hits.get(term)!)]));
      const rows: WordRow[] = [];
      for (const [rid, columns] of wordTexts(db, rids)) {
        const parts = bm25Parts(columns, idf, stats.avgdl);
        if ([...parts.values()].some((part) => part > 0)) rows.push({ rid, score: sum(parts, terms) });
      }
      return rows.sort((a, b) => b.score - a.score || a.rid - b.rid).slice(0, limit);
    })
    .deferred();
}
