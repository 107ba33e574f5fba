import {
  AnswerdeskError,
  changedArticle,
  isAnswerdeskError,
  reasonOf,
  type Counts,
  type DocFilter,
  type DocKind,
  type KnowledgeBaseChange,
  type KnowledgeBaseInfo,
  type KnowledgeDoc,
  type KnowledgeStore,
  type PassageRecord,
  type ScoredId,
  type StoredCategorizer,
  type TermWeight,
  type WriteOptions,
} from '@answerdesk/types';
import type { Database } from './database.js';
import { filterSql, hasFilter } from './filter.js';
import { ensureVectorIndex, MAX_INDEXED_DIMENSION, vectorExpression, vectorIndexName } from './migrations.js';
import { lexicalTexts, textSearchConfig } from './text-search.js';
import { firstNonFinite, parseVector, vectorLiteral } from './vectors.js';

// The record types moved to @answerdesk/types (shared with the SQLite store); re-exported so imports from here keep working.
export type { Counts, KnowledgeBaseChange, KnowledgeBaseInfo, PassageRecord, ScoredId, StoredCategorizer, WriteOptions } from '@answerdesk/types';

export interface PgDocumentStoreOptions {
  db: Database;
  /** Id of the knowledge base (tenant): 1–64 characters of A–Z, a–z, 0–9, '.', '_', '-'. */
  knowledgeBase: string;
  /** How users name this knowledge base in error messages (e.g. what they passed to the CLI). Default `postgres:<knowledgeBase>`. */
  location?: string;
}

/** Two-key advisory locks live apart from one-key ones (the schema lock); this first key marks "writer of one knowledge base". */
const KB_LOCK_SPACE = 1_094_992_715;
/** Rows per INSERT: big enough to amortize round trips, small enough to keep one message a few MB. */
const DOC_BATCH = 500;
const PASSAGE_BATCH = 500;
/** Words per statement when word counts change. */
const VOCABULARY_BATCH = 5000;
/** pgvector's ceiling for hnsw.ef_search. */
const MAX_EF_SEARCH = 1000;
const KB_ID = /^[A-Za-z0-9._-]{1,64}$/;

const kindCondition = (kind: DocKind | undefined, params: unknown[]) => (kind ? ` AND kind = $${params.push(kind)}` : '');

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** PostgreSQL text and jsonb cannot hold NUL characters (they turn up in pasted or imported text): they are dropped. */
const withoutNul = (text: string) => (text.includes('\u0000') ? text.replaceAll('\u0000', '') : text);
const jsonForPostgres = (value: unknown) => JSON.stringify(value, (_key, v: unknown) => (typeof v === 'string' ? withoutNul(v) : v));

/** The last of each id wins, as if the items were applied in order (one INSERT may not touch a row twice). */
function lastById<T>(items: readonly T[], id: (item: T) => string): T[] {
  return [...new Map(items.map((item) => [id(item), item])).values()];
}

/**
 * Documents, passage vectors, categorizers and feedback of one knowledge base
 * in PostgreSQL. Every statement is scoped to the knowledge base, so many
 * tenants share one database without seeing each other.
 */
export class PgDocumentStore implements KnowledgeStore {
  readonly knowledgeBase: string;
  readonly location: string;
  private readonly db: Database;
  /** The knowledge base's dimension once seen: it only changes by drop and re-create. */
  private dimension: number | undefined;

  constructor(options: PgDocumentStoreOptions) {
    if (typeof options.knowledgeBase !== 'string' || !KB_ID.test(options.knowledgeBase)) {
      throw new AnswerdeskError('ADK_OPTION_INVALID', {
        option: 'knowledgeBase',
        reason: `must be 1–64 characters of letters, digits, ".", "_" or "-" (got ${JSON.stringify(options.knowledgeBase)})`,
      });
    }
    this.db = options.db;
    this.knowledgeBase = options.knowledgeBase;
    this.location = options.location ?? `postgres:${options.knowledgeBase}`;
  }

  /**
   * Creates the knowledge base for this model, or checks that it was built
   * with it (ADK_DATABASE_MODEL_MISMATCH otherwise), and makes sure the HNSW
   * index for its dimension exists.
   */
  async ensureKnowledgeBase(model: { model: string; dimension: number }): Promise<KnowledgeBaseInfo & { created: boolean }> {
    if (typeof model.model !== 'string' || model.model === '') throw new AnswerdeskError('ADK_OPTION_INVALID', { option: 'model', reason: 'must be a non-empty string' });
    vectorExpression(model.dimension); // validates the dimension
    const result = await this.db.transaction(async (tx) => {
      const inserted = await tx.query(
        'INSERT INTO answerdesk_kb (kb, model, dimension, vocabulary_counted) VALUES ($1, $2, $3, true) ON CONFLICT (kb) DO NOTHING RETURNING kb',
        [this.knowledgeBase, model.model, model.dimension],
      );
      const info = await this.readInfo(tx);
      if (!info) throw new AnswerdeskError('ADK_DATABASE_KB_NOT_FOUND', { kb: this.knowledgeBase });
      if (info.model !== model.model || info.dimension !== model.dimension) {
        throw new AnswerdeskError('ADK_DATABASE_MODEL_MISMATCH', {
          kb: this.knowledgeBase,
          stored: info.model,
          storedDim: info.dimension,
          current: model.model,
          currentDim: model.dimension,
        });
      }
      await ensureVectorIndex(tx, info.dimension);
      return { ...info, created: inserted.rows.length > 0 };
    });
    this.dimension = result.dimension;
    return result;
  }

  /** The model, dimension and version of the knowledge base; undefined when it does not exist. */
  async info(): Promise<KnowledgeBaseInfo | undefined> {
    const info = await this.readInfo(this.db);
    this.dimension = info?.dimension;
    return info;
  }

  private async readInfo(db: Database): Promise<KnowledgeBaseInfo | undefined> {
    const { rows } = await db.query<{ model: string; dimension: number; version: string }>(
      'SELECT model, dimension, version::text AS version FROM answerdesk_kb WHERE kb = $1',
      [this.knowledgeBase],
    );
    const row = rows[0];
    return row && { model: row.model, dimension: Number(row.dimension), version: Number(row.version) };
  }

  /**
   * Runs `fn` as the one writer of this knowledge base: an advisory lock on
   * the id orders writers across processes, and the version is bumped at the
   * end. Returns the new version.
   */
  private async mutate(fn: (tx: Database, info: KnowledgeBaseInfo) => Promise<void>, options: WriteOptions = {}): Promise<number> {
    const { onlyIfVersion, onlyIfArticles } = options;
    return this.db.transaction(async (tx) => {
      await tx.query(`SELECT pg_advisory_xact_lock(${KB_LOCK_SPACE}, hashtext($1))`, [this.knowledgeBase]);
      const info = await this.readInfo(tx);
      if (!info) throw new AnswerdeskError('ADK_DATABASE_KB_NOT_FOUND', { kb: this.knowledgeBase });
      if (onlyIfVersion !== undefined && BigInt(onlyIfVersion) !== BigInt(info.version)) {
        throw new AnswerdeskError('ADK_DATABASE_VERSION_CONFLICT', { kb: this.knowledgeBase, expected: String(onlyIfVersion), found: info.version });
      }
      if (onlyIfArticles?.size) {
        // Under the writers' lock: the sections now are the sections the next writer will see.
        const { rows } = await tx.query<{ id: string; hash: string }>(
          "SELECT id, hash FROM answerdesk_documents WHERE kb = $1 AND kind <> 'ticket' AND split_part(id, '#', 1) = ANY($2::text[])",
          [this.knowledgeBase, [...onlyIfArticles.keys()]],
        );
        const changed = changedArticle(onlyIfArticles, rows);
        if (changed !== undefined) throw new AnswerdeskError('ADK_ARTICLE_CHANGED_MEANWHILE', { kb: this.knowledgeBase, article: changed });
      }
      await fn(tx, info);
      const { rows } = await tx.query<{ version: string }>('UPDATE answerdesk_kb SET version = version + 1 WHERE kb = $1 RETURNING version::text AS version', [
        this.knowledgeBase,
      ]);
      return Number(rows[0]!.version);
    });
  }

  /** Coded errors pass; anything the database refused becomes ADK_DATABASE_WRITE_FAILED (the transaction was rolled back). */
  private writeFailed(error: unknown): unknown {
    if (isAnswerdeskError(error)) return error;
    return new AnswerdeskError('ADK_DATABASE_WRITE_FAILED', { kb: this.knowledgeBase, reason: reasonOf(error) }, { cause: error });
  }

  /**
   * Applies a change in one transaction: removes documents, upserts documents
   * (with their full-text vectors), replaces the passages of every upserted
   * document with the given ones, and bumps the version, which it returns.
   * On any error nothing of the change is kept.
   */
  async write(change: KnowledgeBaseChange, options: WriteOptions = {}): Promise<number> {
    const docs = lastById(change.docs ?? [], (d) => d.id);
    const passages = lastById(change.passages ?? [], (p) => p.key);
    const removed = [...new Set(change.removed ?? [])];
    const units = [...new Map((change.units ?? []).map((unit) => [unit.textHash, unit])).values()];
    try {
      const version = await this.mutate(async (tx, info) => {
        this.checkPassages(passages, info.dimension);
        this.checkPassages(units.map((unit) => ({ key: unit.textHash, vector: unit.vector })), info.dimension, 'units');
        // What this write takes away from the counts: the documents it removes or replaces, and their passages.
        const touched = [...new Set([...removed, ...docs.map((d) => d.id)])];
        const before = touched.length ? await this.countsOf(tx, touched) : new Map<string, number>();
        if (removed.length) {
          // Passages go with their documents (ON DELETE CASCADE).
          await tx.query('DELETE FROM answerdesk_documents WHERE kb = $1 AND id = ANY($2::text[])', [this.knowledgeBase, removed]);
        }
        for (const batch of chunks(docs, DOC_BATCH)) await this.upsertDocs(tx, batch);
        if (docs.length) {
          await tx.query('DELETE FROM answerdesk_passages WHERE kb = $1 AND doc_id = ANY($2::text[])', [this.knowledgeBase, docs.map((d) => d.id)]);
        }
        for (const batch of chunks(passages, PASSAGE_BATCH)) await this.insertPassages(tx, batch);
        for (const batch of chunks(units, PASSAGE_BATCH)) {
          await tx.query(
            `INSERT INTO answerdesk_unit_vectors (kb, text_hash, embedding)
             SELECT $1, u.text_hash, u.embedding::vector FROM unnest($2::text[], $3::text[]) AS u(text_hash, embedding)
             ON CONFLICT (kb, text_hash) DO NOTHING`,
            [this.knowledgeBase, batch.map((unit) => withoutNul(unit.textHash)), batch.map((unit) => vectorLiteral(unit.vector))],
          );
        }
        await this.changeVocabulary(tx, change.vocabulary, docs.length > 0 || removed.length > 0);
        if (touched.length) {
          // After the write the touched documents are exactly the upserted ones, with exactly the given passages.
          const after = new Map<string, number>([['#passages', passages.length]]);
          for (const doc of docs) after.set(doc.kind, (after.get(doc.kind) ?? 0) + 1);
          const delta = new Map<string, number>();
          for (const name of new Set([...before.keys(), ...after.keys()])) delta.set(name, (after.get(name) ?? 0) - (before.get(name) ?? 0));
          const changed = [...delta].filter(([, n]) => n !== 0);
          if (changed.length) {
            await tx.query(
              `INSERT INTO answerdesk_counts AS c (kb, name, n) SELECT $1, u.name, u.n FROM unnest($2::text[], $3::bigint[]) AS u(name, n)
               ON CONFLICT (kb, name) DO UPDATE SET n = c.n + excluded.n`,
              [this.knowledgeBase, changed.map(([name]) => name), changed.map(([, n]) => n)],
            );
          }
        }
      }, options);
      return version;
    } catch (error) {
      throw this.writeFailed(error);
    }
  }

  /** Applies a write's change of the word counts; documents written without one leave the counts to be made again. */
  private async changeVocabulary(tx: Database, change: ReadonlyMap<string, number> | undefined, documentsChanged: boolean): Promise<void> {
    const { rows } = await tx.query<{ counted: boolean }>('SELECT vocabulary_counted AS counted FROM answerdesk_kb WHERE kb = $1', [this.knowledgeBase]);
    if (!rows[0]?.counted) return;
    if (!change) {
      if (!documentsChanged) return;
      await tx.query('UPDATE answerdesk_kb SET vocabulary_counted = false WHERE kb = $1', [this.knowledgeBase]);
      await tx.query('DELETE FROM answerdesk_vocabulary WHERE kb = $1', [this.knowledgeBase]);
      return;
    }
    const entries = [...change].filter(([, count]) => count !== 0);
    for (const batch of chunks(entries, VOCABULARY_BATCH)) {
      await tx.query(
        `INSERT INTO answerdesk_vocabulary AS v (kb, word, count)
         SELECT $1, u.word, u.count FROM unnest($2::text[], $3::bigint[]) AS u(word, count)
         ON CONFLICT (kb, word) DO UPDATE SET count = v.count + excluded.count`,
        [this.knowledgeBase, batch.map(([word]) => word), batch.map(([, count]) => count)],
      );
    }
    const fewer = entries.filter(([, count]) => count < 0).map(([word]) => word);
    if (fewer.length) await tx.query('DELETE FROM answerdesk_vocabulary WHERE kb = $1 AND word = ANY($2::text[]) AND count <= 0', [this.knowledgeBase, fewer]);
  }

  /** The documents' word counts the spellers correct typos against, or undefined when they must be counted again. */
  async vocabulary(): Promise<Map<string, number> | undefined> {
    return this.db.transaction(async (tx) => {
      const { rows } = await tx.query<{ counted: boolean }>('SELECT vocabulary_counted AS counted FROM answerdesk_kb WHERE kb = $1', [this.knowledgeBase]);
      if (!rows[0]?.counted) return undefined;
      const words = await tx.query<{ word: string; count: string }>('SELECT word, count::text AS count FROM answerdesk_vocabulary WHERE kb = $1', [this.knowledgeBase]);
      return new Map(words.rows.map((row) => [row.word, Number(row.count)]));
    });
  }

  /** Replaces the word counts with a full count made at `version`; false (nothing stored) when a write came in between. */
  async putVocabulary(counts: ReadonlyMap<string, number>, version: number): Promise<boolean> {
    try {
      return await this.db.transaction(async (tx) => {
        await tx.query(`SELECT pg_advisory_xact_lock(${KB_LOCK_SPACE}, hashtext($1))`, [this.knowledgeBase]);
        const info = await this.readInfo(tx);
        // Not a change of the knowledge (the version stays): a count of what is already there.
        if (!info || info.version !== version) return false;
        await tx.query('DELETE FROM answerdesk_vocabulary WHERE kb = $1', [this.knowledgeBase]);
        for (const batch of chunks([...counts].filter(([, count]) => count > 0), VOCABULARY_BATCH)) {
          await tx.query('INSERT INTO answerdesk_vocabulary (kb, word, count) SELECT $1, u.word, u.count FROM unnest($2::text[], $3::bigint[]) AS u(word, count)', [
            this.knowledgeBase,
            batch.map(([word]) => word),
            batch.map(([, count]) => count),
          ]);
        }
        await tx.query('UPDATE answerdesk_kb SET vocabulary_counted = true WHERE kb = $1', [this.knowledgeBase]);
        return true;
      });
    } catch (error) {
      throw this.writeFailed(error);
    }
  }

  private checkPassages(passages: ReadonlyArray<Pick<PassageRecord, 'key' | 'vector'>>, dimension: number, option = 'passages'): void {
    for (const [i, passage] of passages.entries()) {
      if (passage.vector.length !== dimension) throw new AnswerdeskError('ADK_DIMENSION_MISMATCH', { actual: passage.vector.length, expected: dimension });
      const bad = firstNonFinite(passage.vector);
      if (bad >= 0) {
        throw new AnswerdeskError('ADK_OPTION_INVALID', { option: `${option}[${i}].vector`, reason: `has ${passage.vector[bad]} at component ${bad} (key "${passage.key}"); vectors must be finite` });
      }
    }
  }

  private async upsertDocs(tx: Database, docs: readonly KnowledgeDoc[]): Promise<void> {
    const items = docs.map((doc) => ({ d: doc, c: textSearchConfig(doc.language), ...lexicalTexts(doc) }));
    await tx.query(
      `INSERT INTO answerdesk_documents AS t (kb, id, kind, title, text, answer, category, language, tags, family, hash, source, labels, doc, tsv, updated_at)
       SELECT $1, x.d->>'id', x.d->>'kind', x.d->>'title', coalesce(x.d->>'text', ''), coalesce(x.d->>'answer', ''), x.d->>'category', x.d->>'language',
              ARRAY(SELECT jsonb_array_elements_text(coalesce(x.d->'tags', '[]'::jsonb))), x.d->>'family', x.d->>'hash', x.d->'source', x.d->'labels', x.d,
              setweight(to_tsvector(x.cfg, x.title), 'A') || setweight(to_tsvector(x.cfg, x.body), 'B'), now()
       FROM (SELECT e->'d' AS d, answerdesk_ts_config(e->>'c') AS cfg, coalesce(e->>'title', '') AS title, coalesce(e->>'body', '') AS body
             FROM jsonb_array_elements($2::jsonb) AS e) AS x
       ON CONFLICT (kb, id) DO UPDATE SET
         kind = excluded.kind, title = excluded.title, text = excluded.text, answer = excluded.answer, category = excluded.category,
         language = excluded.language, tags = excluded.tags, family = excluded.family, hash = excluded.hash, source = excluded.source,
         labels = excluded.labels, doc = excluded.doc, tsv = excluded.tsv, updated_at = excluded.updated_at`,
      [this.knowledgeBase, jsonForPostgres(items)],
    );
  }

  private async insertPassages(tx: Database, passages: readonly PassageRecord[]): Promise<void> {
    // Parallel text arrays: drivers serialize text[] alike, and ::vector parses each literal server-side.
    await tx.query(
      `INSERT INTO answerdesk_passages (kb, key, doc_id, text_hash, text, embedding)
       SELECT $1, u.key, u.doc_id, u.text_hash, u.text, u.embedding::vector
       FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) AS u(key, doc_id, text_hash, text, embedding)
       ON CONFLICT (kb, key) DO UPDATE SET doc_id = excluded.doc_id, text_hash = excluded.text_hash, text = excluded.text, embedding = excluded.embedding`,
      [
        this.knowledgeBase,
        passages.map((p) => withoutNul(p.key)),
        passages.map((p) => withoutNul(p.docId)),
        passages.map((p) => withoutNul(p.textHash)),
        passages.map((p) => withoutNul(p.text)),
        passages.map((p) => vectorLiteral(p.vector)),
      ],
    );
  }

  async getDocument(id: string): Promise<KnowledgeDoc | undefined> {
    const { rows } = await this.db.query<{ doc: KnowledgeDoc }>('SELECT doc FROM answerdesk_documents WHERE kb = $1 AND id = $2', [this.knowledgeBase, id]);
    return rows[0]?.doc;
  }

  /** The documents with these ids that exist, in the order asked. */
  async getDocuments(ids: readonly string[]): Promise<Map<string, KnowledgeDoc>> {
    const out = new Map<string, KnowledgeDoc>();
    if (!ids.length) return out;
    const { rows } = await this.db.query<{ id: string; doc: KnowledgeDoc }>('SELECT id, doc FROM answerdesk_documents WHERE kb = $1 AND id = ANY($2::text[])', [
      this.knowledgeBase,
      [...new Set(ids)],
    ]);
    const byId = new Map(rows.map((r) => [r.id, r.doc]));
    for (const id of ids) {
      const doc = byId.get(id);
      if (doc) out.set(id, doc);
    }
    return out;
  }

  /** Ids of the documents, in the order of the database's collation. */
  async documentIds(options: { kind?: DocKind } = {}): Promise<string[]> {
    const params: unknown[] = [this.knowledgeBase];
    const { rows } = await this.db.query<{ id: string }>(`SELECT id FROM answerdesk_documents WHERE kb = $1${kindCondition(options.kind, params)} ORDER BY id`, params);
    return rows.map((r) => r.id);
  }

  /** Content hash of every document, to tell what changed since it was indexed. */
  async hashes(options: { kind?: DocKind } = {}): Promise<Map<string, string>> {
    const params: unknown[] = [this.knowledgeBase];
    const { rows } = await this.db.query<{ id: string; hash: string }>(
      `SELECT id, hash FROM answerdesk_documents WHERE kb = $1${kindCondition(options.kind, params)} ORDER BY id`,
      params,
    );
    return new Map(rows.map((r) => [r.id, r.hash]));
  }

  /** Every document (as given to `write`), in id order, read in pages along the primary key so a large knowledge base is never held at once. */
  async *documents(options: { kind?: DocKind; pageSize?: number } = {}): AsyncGenerator<KnowledgeDoc> {
    const pageSize = options.pageSize ?? 1000;
    let after = '';
    for (;;) {
      const params: unknown[] = [this.knowledgeBase, after, pageSize];
      const { rows } = await this.db.query<{ id: string; doc: KnowledgeDoc }>(
        `SELECT id, doc FROM answerdesk_documents WHERE kb = $1 AND id > $2${kindCondition(options.kind, params)} ORDER BY id LIMIT $3`,
        params,
      );
      for (const row of rows) yield row.doc;
      if (rows.length < pageSize) return;
      after = rows[rows.length - 1]!.id;
    }
  }

  /** Stored vectors of passage texts by text hash, so unchanged texts are not embedded again. */
  passageVectors(textHashes: readonly string[]): Promise<Map<string, Float32Array>> {
    return this.vectorsByHash('answerdesk_passages', textHashes);
  }

  unitVectors(textHashes: readonly string[]): Promise<Map<string, Float32Array>> {
    return this.vectorsByHash('answerdesk_unit_vectors', textHashes);
  }

  /** One vector per text hash from a table of this knowledge base (passages repeat a text: any one of them). */
  private async vectorsByHash(table: 'answerdesk_passages' | 'answerdesk_unit_vectors', textHashes: readonly string[]): Promise<Map<string, Float32Array>> {
    const out = new Map<string, Float32Array>();
    if (!textHashes.length) return out;
    const { rows } = await this.db.query<{ text_hash: string; embedding: string }>(
      `SELECT DISTINCT ON (text_hash) text_hash, embedding::text AS embedding FROM ${table} WHERE kb = $1 AND text_hash = ANY($2::text[])`,
      [this.knowledgeBase, [...new Set(textHashes)]],
    );
    for (const row of rows) out.set(row.text_hash, parseVector(row.embedding));
    return out;
  }

  /** Documents by kind and passages ('#passages') of these documents as they are before a write changes them. */
  private async countsOf(tx: Database, ids: readonly string[]): Promise<Map<string, number>> {
    const { rows } = await tx.query<{ name: string; n: number }>(
      `SELECT kind AS name, count(*)::int AS n FROM answerdesk_documents WHERE kb = $1 AND id = ANY($2::text[]) GROUP BY kind
       UNION ALL
       SELECT '#passages', count(*)::int FROM answerdesk_passages WHERE kb = $1 AND doc_id = ANY($2::text[])`,
      [this.knowledgeBase, ids],
    );
    return new Map(rows.map((row) => [row.name, Number(row.n)]));
  }

  /** Read from the counts each write keeps (migration 4): one small query, whatever the tenant's size. */
  async counts(): Promise<Counts> {
    const { rows } = await this.db.query<{ name: string; n: string }>('SELECT name, n::text AS n FROM answerdesk_counts WHERE kb = $1', [this.knowledgeBase]);
    const n = new Map(rows.map((row) => [row.name, Number(row.n)]));
    let documents = 0;
    for (const [name, count] of n) if (name !== '#passages') documents += count;
    return { documents, articles: n.get('article') ?? 0, tickets: n.get('ticket') ?? 0, passages: n.get('#passages') ?? 0 };
  }

  /** The same counts, counted from the rows (verify compares them). */
  private async countedRows(): Promise<Counts> {
    const { rows } = await this.db.query<Counts>(
      `SELECT count(*)::int AS documents,
              count(*) FILTER (WHERE kind = 'article')::int AS articles,
              count(*) FILTER (WHERE kind = 'ticket')::int AS tickets,
              (SELECT count(*)::int FROM answerdesk_passages WHERE kb = $1) AS passages
       FROM answerdesk_documents WHERE kb = $1`,
      [this.knowledgeBase],
    );
    const row = rows[0]!;
    return { documents: row.documents, articles: row.articles, tickets: row.tickets, passages: row.passages };
  }

  private checkQueryVector(vector: Float32Array): number {
    if (this.dimension !== undefined && vector.length !== this.dimension) {
      throw new AnswerdeskError('ADK_DIMENSION_MISMATCH', { actual: vector.length, expected: this.dimension });
    }
    const bad = firstNonFinite(vector);
    if (bad >= 0) throw new AnswerdeskError('ADK_OPTION_INVALID', { option: 'vector', reason: `has ${vector[bad]} at component ${bad}; vectors must be finite` });
    return vector.length;
  }

  /**
   * The k documents whose best passage is nearest to `vector` (cosine
   * similarity, best first). Passages are over-fetched through the HNSW
   * index with an iterative scan, so tenant and filter conditions still leave
   * enough rows, then grouped per document. When that comes back with fewer
   * than k documents (few match, or the graph walk gave up among other
   * tenants' passages), an exact search in the same transaction has the last word.
   */
  async searchVectors(vector: Float32Array, k: number, filter?: DocFilter): Promise<ScoredId[]> {
    if (!(k > 0)) return [];
    const dimension = this.checkQueryVector(vector);
    const wanted = Math.ceil(k);
    // The iterative scan may read past ef_search, so the over-fetch is not capped by it.
    const limit = Math.max(wanted * 4, 40);
    const efSearch = Math.min(MAX_EF_SEARCH, Math.max(2 * limit, 40));
    const { embedding, predicate } = vectorExpression(dimension);
    const params: unknown[] = [this.knowledgeBase, vectorLiteral(vector), wanted];
    const from = `FROM answerdesk_passages p${hasFilter(filter) ? ' JOIN answerdesk_documents d ON d.kb = p.kb AND d.id = p.doc_id' : ''}
        WHERE p.kb = $1 AND ${predicate}${filterSql(filter, params)}`;
    const exactParams = [...params];
    const limitParam = `$${params.push(limit)}`;
    // Ordered by the indexed expression, so the planner can walk the HNSW graph; relaxed_order may
    // return passages slightly out of order, so the outer query sorts again.
    const approximate = `WITH nearest AS MATERIALIZED (
        SELECT p.doc_id, ${embedding} <=> $2::vector(${dimension}) AS distance
        ${from}
        ORDER BY ${embedding} <=> $2::vector(${dimension})
        LIMIT ${limitParam}
      )
      SELECT doc_id AS id, 1 - min(distance) AS score FROM nearest GROUP BY doc_id ORDER BY score DESC, id LIMIT $3`;
    // Not the indexed expression: read through the btree indexes and sorted, every passage counted.
    const exact = `SELECT p.doc_id AS id, 1 - min(p.embedding <=> $2::vector) AS score
        ${from}
        GROUP BY p.doc_id ORDER BY score DESC, id LIMIT $3`;
    const rows = await this.db.transaction(async (tx) => {
      await tx.query("SELECT set_config('hnsw.ef_search', $1, true), set_config('hnsw.iterative_scan', 'relaxed_order', true)", [String(efSearch)]);
      const found = (await tx.query<{ id: string; score: number }>(approximate, params)).rows;
      if (found.length >= wanted) return found;
      return (await tx.query<{ id: string; score: number }>(exact, exactParams)).rows;
    });
    return rows.map((r) => ({ id: r.id, score: Number(r.score) }));
  }

  /**
   * Full-text search: documents matching any word of `text` (stemmed with the
   * configuration of `language`), ranked by ts_rank_cd, best first. The query
   * is built from the lexemes PostgreSQL extracts, each quoted, so no user
   * text can make it fail to parse; text without words finds nothing.
   */
  async searchLexical(text: string, language: string, k: number, filter?: DocFilter): Promise<ScoredId[]> {
    if (!(k > 0) || typeof text !== 'string' || text.trim() === '') return [];
    const params: unknown[] = [this.knowledgeBase, textSearchConfig(language), withoutNul(text), Math.ceil(k)];
    // chr(92) is a backslash and chr(39) a quote: escaped per tsquery's quoting rules.
    const { rows } = await this.db.query<{ id: string; score: number }>(
      `WITH q AS (
         SELECT (SELECT string_agg(chr(39) || replace(replace(l, chr(92), chr(92) || chr(92)), chr(39), chr(39) || chr(39)) || chr(39), ' | ')
                 FROM unnest(tsvector_to_array(to_tsvector(answerdesk_ts_config($2), $3))) AS l)::tsquery AS query
       )
       SELECT d.id, ts_rank_cd(d.tsv, q.query) AS score
       FROM answerdesk_documents d, q
       WHERE d.kb = $1 AND d.tsv @@ q.query${filterSql(filter, params)}
       ORDER BY score DESC, d.id
       LIMIT $4`,
      params,
    );
    return rows.map((r) => ({ id: r.id, score: Number(r.score) }));
  }

  /**
   * `searchLexical` with the query lexemes each document holds, so a caller can tell how much of
   * the question a document covers (and which words it could not hold in its language).
   */
  async searchLexicalTerms(text: string, language: string, k: number, filter?: DocFilter): Promise<Array<ScoredId & { terms: string[] }>> {
    if (!(k > 0) || typeof text !== 'string' || text.trim() === '') return [];
    const params: unknown[] = [this.knowledgeBase, textSearchConfig(language), withoutNul(text), Math.ceil(k)];
    const { rows } = await this.db.query<{ id: string; score: number; terms: string[] }>(
      `WITH lexemes AS (
         SELECT l FROM unnest(tsvector_to_array(to_tsvector(answerdesk_ts_config($2), $3))) AS l
       ), q AS (
         SELECT (SELECT string_agg(chr(39) || replace(replace(l, chr(92), chr(92) || chr(92)), chr(39), chr(39) || chr(39)) || chr(39), ' | ') FROM lexemes)::tsquery AS query
       )
       SELECT d.id, ts_rank_cd(d.tsv, q.query) AS score,
              ARRAY(SELECT l FROM lexemes WHERE l = ANY(tsvector_to_array(d.tsv))) AS terms
       FROM answerdesk_documents d, q
       WHERE d.kb = $1 AND d.tsv @@ q.query${filterSql(filter, params)}
       ORDER BY score DESC, d.id
       LIMIT $4`,
      params,
    );
    return rows.map((r) => ({ id: r.id, score: Number(r.score), terms: r.terms }));
  }

  /**
   * The lexemes of a question with BM25's inverse document frequency over this knowledge base's
   * documents: a rare word weighs more than a common one, a word found nowhere weighs most.
   */
  async weighTerms(text: string, language: string): Promise<TermWeight[]> {
    if (typeof text !== 'string' || text.trim() === '') return [];
    const { rows } = await this.db.query<{ term: string; df: number; n: number }>(
      `WITH lexemes AS (
         SELECT DISTINCT l FROM unnest(tsvector_to_array(to_tsvector(answerdesk_ts_config($2), $3))) AS l
       )
       SELECT l AS term,
              (SELECT count(*)::int FROM answerdesk_documents d
                WHERE d.kb = $1 AND d.tsv @@ (chr(39) || replace(replace(l, chr(92), chr(92) || chr(92)), chr(39), chr(39) || chr(39)) || chr(39))::tsquery) AS df,
              (SELECT count(*)::int FROM answerdesk_documents WHERE kb = $1) AS n
       FROM lexemes ORDER BY l`,
      [this.knowledgeBase, textSearchConfig(language), withoutNul(text)],
    );
    return rows.map((r) => ({ term: r.term, weight: Math.log(1 + (Math.max(1, r.n) - r.df + 0.5) / (r.df + 0.5)) }));
  }

  /** Languages of the documents, sorted. */
  async languages(): Promise<string[]> {
    const { rows } = await this.db.query<{ language: string }>('SELECT DISTINCT language FROM answerdesk_documents WHERE kb = $1 ORDER BY language', [this.knowledgeBase]);
    return rows.map((r) => r.language);
  }

  /** Categories of the documents, sorted. */
  async categories(): Promise<string[]> {
    const { rows } = await this.db.query<{ category: string }>('SELECT DISTINCT category FROM answerdesk_documents WHERE kb = $1 AND category IS NOT NULL ORDER BY category', [this.knowledgeBase]);
    return rows.map((r) => r.category);
  }

  /** Cosine similarity of each document's best passage to `vector` (exact), for documents that exist. */
  async similarities(ids: readonly string[], vector: Float32Array): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    if (!ids.length) return out;
    const dimension = this.checkQueryVector(vector);
    const { embedding, predicate } = vectorExpression(dimension);
    const { rows } = await this.db.query<{ id: string; score: number }>(
      `SELECT p.doc_id AS id, 1 - min(${embedding} <=> $3::vector(${dimension})) AS score
       FROM answerdesk_passages p
       WHERE p.kb = $1 AND p.doc_id = ANY($2::text[]) AND ${predicate}
       GROUP BY p.doc_id`,
      [this.knowledgeBase, [...new Set(ids)], vectorLiteral(vector)],
    );
    for (const row of rows) out.set(row.id, Number(row.score));
    return out;
  }

  /** Saves a trained categorizer for a label field (replacing the previous one); bumps the version so other instances reload it. */
  async putCategorizer(field: string, origin: string, state: unknown): Promise<number> {
    try {
      return await this.mutate(async (tx) => {
        await tx.query(
          `INSERT INTO answerdesk_categorizers (kb, field, origin, state, updated_at) VALUES ($1, $2, $3, $4::jsonb, now())
           ON CONFLICT (kb, field) DO UPDATE SET origin = excluded.origin, state = excluded.state, updated_at = excluded.updated_at`,
          [this.knowledgeBase, field, origin, jsonForPostgres(state)],
        );
      });
    } catch (error) {
      throw this.writeFailed(error);
    }
  }

  async categorizers(): Promise<StoredCategorizer[]> {
    const { rows } = await this.db.query<StoredCategorizer>('SELECT field, origin, state FROM answerdesk_categorizers WHERE kb = $1 ORDER BY field', [this.knowledgeBase]);
    return rows.map((r) => ({ field: r.field, origin: r.origin, state: r.state }));
  }

  /** Deletes the categorizer of a field; false when there was none (then the version stays). */
  async removeCategorizer(field: string): Promise<boolean> {
    const { rows } = await this.db.query<{ present: boolean }>('SELECT true AS present FROM answerdesk_categorizers WHERE kb = $1 AND field = $2', [this.knowledgeBase, field]);
    if (!rows.length) return false;
    try {
      await this.mutate(async (tx) => {
        await tx.query('DELETE FROM answerdesk_categorizers WHERE kb = $1 AND field = $2', [this.knowledgeBase, field]);
      });
    } catch (error) {
      throw this.writeFailed(error);
    }
    return true;
  }

  /**
   * Records an agent's feedback. Append-only and read by no search, so it
   * leaves the version alone; an id recorded before is kept as it was (a
   * retried request does not duplicate it).
   */
  async addFeedback<F extends { id: string; at: string }>(entry: F): Promise<void> {
    await this.append('answerdesk_feedback', entry);
  }

  /** Adds an entry to an append-only log table (feedback, questions); an id recorded before is kept as it was. */
  private async append(table: 'answerdesk_feedback' | 'answerdesk_questions', entry: { id: string; at: string }): Promise<void> {
    if (typeof entry?.id !== 'string' || entry.id === '') throw new AnswerdeskError('ADK_FEEDBACK_INVALID', { reason: 'needs a non-empty "id"' });
    if (typeof entry.at !== 'string' || Number.isNaN(Date.parse(entry.at))) throw new AnswerdeskError('ADK_FEEDBACK_INVALID', { reason: `"at" must be an ISO time (got ${JSON.stringify(entry.at)})` });
    try {
      await this.db.query(`INSERT INTO ${table} (kb, id, at, entry) VALUES ($1, $2, $3::timestamptz, $4::jsonb) ON CONFLICT (kb, id) DO NOTHING`, [
        this.knowledgeBase,
        withoutNul(entry.id),
        entry.at,
        jsonForPostgres(entry),
      ]);
    } catch (error) {
      // 23503: the knowledge base row the entry refers to is missing.
      if ((error as { code?: unknown }).code === '23503') throw new AnswerdeskError('ADK_DATABASE_KB_NOT_FOUND', { kb: this.knowledgeBase }, { cause: error });
      throw this.writeFailed(error);
    }
  }


  /** Every feedback entry, oldest first. */
  async feedback<F = Record<string, unknown>>(): Promise<F[]> {
    const { rows } = await this.db.query<{ entry: F }>('SELECT entry FROM answerdesk_feedback WHERE kb = $1 ORDER BY at, id', [this.knowledgeBase]);
    return rows.map((r) => r.entry);
  }

  /** Records a question asked, append-only like feedback (a retried id is kept as it was); leaves the version alone. */
  async logQuestion<Q extends { id: string; at: string }>(entry: Q): Promise<void> {
    await this.append('answerdesk_questions', entry);
  }


  /** The questions asked since an ISO time (all when absent), oldest first. */
  async questions<Q = Record<string, unknown>>(since?: string): Promise<Q[]> {
    const { rows } = await this.db.query<{ entry: Q }>('SELECT entry FROM answerdesk_questions WHERE kb = $1 AND at >= $2::timestamptz ORDER BY at, id', [
      this.knowledgeBase,
      since ?? '1970-01-01T00:00:00Z',
    ]);
    return rows.map((r) => r.entry);
  }

  /**
   * Consistency checks: every document has a passage, every passage has the
   * knowledge base's dimension, every document has its full-text vector, and
   * the vector index exists. (pgvector refuses NaN and infinite components on
   * input, so stored vectors need no check for them.)
   */
  async verify(): Promise<{ problems: string[] }> {
    const info = await this.info();
    if (!info) return { problems: [`knowledge base "${this.knowledgeBase}" does not exist`] };
    const problems: string[] = [];
    const kb = this.knowledgeBase;
    const orphans = await this.db.query<{ id: string; total: number }>(
      `SELECT d.id, count(*) OVER ()::int AS total FROM answerdesk_documents d
       WHERE d.kb = $1 AND d.kind IN ('article', 'ticket') AND NOT EXISTS (SELECT 1 FROM answerdesk_passages p WHERE p.kb = d.kb AND p.doc_id = d.id)
       ORDER BY d.id LIMIT 5`,
      [kb],
    );
    if (orphans.rows.length) problems.push(`${orphans.rows[0]!.total} document(s) have no passage, e.g. ${orphans.rows.map((r) => JSON.stringify(r.id)).join(', ')}`);
    const { rows } = await this.db.query<{ wrong: number; no_tsv: number; index: boolean }>(
      `SELECT (SELECT count(*)::int FROM answerdesk_passages WHERE kb = $1 AND vector_dims(embedding) <> $2) AS wrong,
              (SELECT count(*)::int FROM answerdesk_documents WHERE kb = $1 AND tsv IS NULL) AS no_tsv,
              to_regclass($3) IS NOT NULL AS index`,
      [kb, info.dimension, vectorIndexName(info.dimension)],
    );
    const row = rows[0]!;
    if (row.wrong > 0) problems.push(`${row.wrong} passage vector(s) are not ${info.dimension}-dimensional`);
    if (row.no_tsv > 0) problems.push(`${row.no_tsv} document(s) have no full-text vector`);
    const kept = await this.counts();
    const counted = await this.countedRows();
    if (kept.documents !== counted.documents || kept.articles !== counted.articles || kept.tickets !== counted.tickets || kept.passages !== counted.passages) {
      problems.push(`the kept counts (${JSON.stringify(kept)}) differ from the rows (${JSON.stringify(counted)})`);
    }
    const bad = await this.db.query<{ n: number }>('SELECT count(*)::int AS n FROM answerdesk_vocabulary WHERE kb = $1 AND count <= 0', [kb]);
    if (bad.rows[0]!.n > 0) problems.push(`${bad.rows[0]!.n} word(s) of the spellers' vocabulary have a count of zero or less`);
    if (!row.index && info.dimension <= MAX_INDEXED_DIMENSION) problems.push(`the vector index ${vectorIndexName(info.dimension)} is missing (ensureKnowledgeBase creates it)`);
    return { problems };
  }

  /** Deletes everything of this knowledge base: documents, passages, categorizers, feedback and the knowledge base itself. */
  async drop(): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.query(`SELECT pg_advisory_xact_lock(${KB_LOCK_SPACE}, hashtext($1))`, [this.knowledgeBase]);
      // Bulk deletes child-first: cheaper than one cascading row at a time.
      for (const table of ['answerdesk_passages', 'answerdesk_unit_vectors', 'answerdesk_documents', 'answerdesk_categorizers', 'answerdesk_feedback', 'answerdesk_questions', 'answerdesk_vocabulary', 'answerdesk_counts', 'answerdesk_kb']) {
        await tx.query(`DELETE FROM ${table} WHERE kb = $1`, [this.knowledgeBase]);
      }
    });
    this.dimension = undefined;
  }
}
