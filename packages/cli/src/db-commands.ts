import { connect, describeUrl, migrate, migrations, SCHEMA_VERSION, schemaVersion, type Database } from '@answerdesk/postgres';
import type { Io } from './io.js';

async function withDatabase<T>(url: string, fn: (db: Database) => Promise<T>): Promise<T> {
  const db = await connect(url);
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

/** `db migrate`: apply the pending schema migrations (each once, whoever runs them concurrently). */
export async function dbMigrate(url: string, options: { json?: boolean }, io: Io): Promise<void> {
  const where = describeUrl(url);
  await withDatabase(url, async (db) => {
    const before = await schemaVersion(db);
    const applied = await migrate(db);
    const version = await schemaVersion(db);
    if (options.json) {
      io.stdout(JSON.stringify({ database: where, applied, previousVersion: before, schemaVersion: version, supported: SCHEMA_VERSION }) + '\n');
      return;
    }
    const names = new Map(migrations.map((m) => [m.version, m.name]));
    if (applied.length === 0) io.stdout(`The schema of ${where} is up to date: version ${version} (this Answerdesk knows up to ${SCHEMA_VERSION}); nothing to apply.\n`);
    else {
      io.stdout(`Applied ${applied.length} migration(s) to ${where}; the schema is now at version ${version} (it was ${before}):\n`);
      for (const v of applied) io.stdout(`  ${v}: ${names.get(v) ?? ''}\n`);
    }
  });
}

interface KnowledgeBaseRow {
  kb: string;
  model: string;
  dimension: number;
  version: string;
  created_at: Date | string;
  documents: number;
  sections: number;
  articles: number;
  tickets: number;
  passages: number;
}

/** `db status`: the schema version, pgvector, and every knowledge base (tenant) with its counts. */
export async function dbStatus(url: string, options: { json?: boolean }, io: Io): Promise<void> {
  const where = describeUrl(url);
  await withDatabase(url, async (db) => {
    const version = await schemaVersion(db);
    const pending = migrations.filter((m) => m.version > version).map((m) => m.version);
    const vector = (await db.query<{ version: string }>("SELECT extversion AS version FROM pg_extension WHERE extname = 'vector'")).rows[0]?.version ?? null;
    const rows =
      version === 0
        ? []
        : (
            await db.query<KnowledgeBaseRow>(
              `SELECT k.kb, k.model, k.dimension, k.version::text AS version, k.created_at,
                      count(d.id)::int AS documents,
                      count(d.id) FILTER (WHERE d.kind = 'article')::int AS sections,
                      count(DISTINCT split_part(d.id, '#', 1)) FILTER (WHERE d.kind = 'article')::int AS articles,
                      count(d.id) FILTER (WHERE d.kind = 'ticket')::int AS tickets,
                      (SELECT count(*)::int FROM answerdesk_passages p WHERE p.kb = k.kb) AS passages
                 FROM answerdesk_kb k LEFT JOIN answerdesk_documents d ON d.kb = k.kb
                GROUP BY k.kb ORDER BY k.kb`,
            )
          ).rows;
    const knowledgeBases = rows.map((r) => ({
      id: r.kb,
      model: r.model,
      dimension: Number(r.dimension),
      version: Number(r.version),
      createdAt: new Date(r.created_at).toISOString(),
      articles: Number(r.articles),
      sections: Number(r.sections),
      tickets: Number(r.tickets),
      passages: Number(r.passages),
    }));
    if (options.json) {
      io.stdout(JSON.stringify({ database: where, schemaVersion: version, supported: SCHEMA_VERSION, pending, pgvector: vector, knowledgeBases }) + '\n');
      return;
    }
    io.stdout(`Database ${where}: schema version ${version} (this Answerdesk knows up to ${SCHEMA_VERSION})${vector ? `, pgvector ${vector}` : ''}\n`);
    if (pending.length) io.stdout(`  pending migrations: ${pending.join(', ')} (applied on the next start, or by \`answerdesk db migrate\`)\n`);
    if (version === 0) return;
    if (knowledgeBases.length === 0) {
      io.stdout('No knowledge bases yet: `answerdesk --database-url … --knowledge-base <id> index <paths>` creates one.\n');
      return;
    }
    io.stdout(`${knowledgeBases.length} knowledge base(s):\n`);
    for (const kb of knowledgeBases) {
      io.stdout(`  ${kb.id}: ${kb.articles} articles (${kb.sections} sections), ${kb.tickets} tickets, ${kb.passages} passages; model ${kb.model} (${kb.dimension}-d), version ${kb.version}\n`);
    }
  });
}
