import { SCHEMA_VERSION, SqliteDocumentStore, type SqliteDocumentStoreOptions } from '@answerdesk/sqlite';
import { AnswerdeskError } from '@answerdesk/types';
import { StoreKnowledgeBase, type StoreKnowledgeBaseOptions } from './store-knowledge-base.js';

export interface SqliteKnowledgeBaseOptions extends StoreKnowledgeBaseOptions, Pick<SqliteDocumentStoreOptions, 'busyTimeoutMs' | 'loadVectors' | 'saveVectorsEvery' | 'keepChanges' | 'vectorIndex'> {
  /** The database file (created with its folder when missing, unless `mustExist`). `:memory:` for a throw-away knowledge base. */
  file: string;
  /** How users name the store in messages. Default: the file. */
  location?: string;
  /** Refuse to create a new database (ADK_STORE_NOT_FOUND). Default false. */
  mustExist?: boolean;
}

/** A knowledge base in one SQLite database file: the embedded default. */
export type SqliteKnowledgeBase = StoreKnowledgeBase;

/**
 * The knowledge base in one SQLite file (WAL, synchronous=FULL): documents, passage vectors,
 * FTS5 words over our own analyzers, categorizers and feedback. Several processes may open
 * one file: writes queue on SQLite's lock, and each read first catches up with the others' commits.
 */
export const SqliteKnowledgeBase = {
  async open(options: SqliteKnowledgeBaseOptions): Promise<SqliteKnowledgeBase> {
    if (typeof options?.file !== 'string' || options.file === '') throw new AnswerdeskError('ADK_OPTION_INVALID', { option: 'file', reason: 'must be the path of the database file' });
    const location = options.location ?? options.file;
    const store = await SqliteDocumentStore.open({
      file: options.file,
      location,
      ...(options.mustExist !== undefined ? { mustExist: options.mustExist } : {}),
      ...(options.busyTimeoutMs !== undefined ? { busyTimeoutMs: options.busyTimeoutMs } : {}),
      ...(options.loadVectors !== undefined ? { loadVectors: options.loadVectors } : {}),
      ...(options.saveVectorsEvery !== undefined ? { saveVectorsEvery: options.saveVectorsEvery } : {}),
      ...(options.keepChanges !== undefined ? { keepChanges: options.keepChanges } : {}),
      ...(options.vectorIndex !== undefined ? { vectorIndex: options.vectorIndex } : {}),
    });
    try {
      return await StoreKnowledgeBase.over(store, options, {
        engine: 'sqlite',
        formatVersion: SCHEMA_VERSION,
        missing: () => new AnswerdeskError('ADK_STORE_NOT_FOUND', { dir: location }),
      });
    } catch (error) {
      await store.close().catch(() => undefined);
      throw error;
    }
  },
};
