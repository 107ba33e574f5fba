
import { watch } from 'chokidar';
import { AnswerdeskError, readTickets, readTicketsJsonlStream, reasonOf, type KnowledgeService, type PublishReport, type VerifyReport } from '@answerdesk/core';
import type { Io } from './io.js';
import { draftsLine, list } from './format.js';
import type { Reporter } from './progress.js';

/** The progress reporter of a command (bars at a terminal, plain lines off one). */
export type ProgressFor = (json?: boolean) => Reporter;

/** What a command accepted and rejected, for its exit status. */
export interface Outcome {
  accepted: number;
  rejected: number;
}


export function formatPublish(report: PublishReport): string {
  const { plan } = report;
  const lines = [
    `${report.dryRun ? 'Would publish' : 'Published'}: ${plan.added.length} new, ${plan.changed.length} changed, ${plan.removed.length} removed, ${plan.unchanged} unchanged articles`,
    `  sections: ${plan.sections.added} new, ${plan.sections.changed} changed, ${plan.sections.removed} removed, ${plan.sections.unchanged} unchanged; ${report.embedded} passages ${report.dryRun ? 'to embed' : 'embedded'}, ${report.reused} reused (${(report.tookMs / 1000).toFixed(1)} s)`,
  ];
  if (plan.added.length) lines.push(`  new: ${list(plan.added)}`);
  if (plan.changed.length) lines.push(`  changed: ${list(plan.changed)}`);
  if (plan.removed.length) lines.push(`  removed: ${list(plan.removed)}`);
  if (plan.drafts?.length) lines.push(`  ${draftsLine(plan.drafts)}`);
  for (const error of report.errors) lines.push(`  ! ${error.code}: ${error.message} (left as it was)`);
  return lines.join('\n') + '\n';
}


const publishJson = (report: PublishReport) => ({ ...report, errors: report.errors.map((e) => e.toJSON()) });

/** Articles a publish read without a problem, and files it could not use. */
function publishOutcome(report: PublishReport): Outcome {
  const { plan } = report;
  return { accepted: plan.added.length + plan.changed.length + plan.unchanged, rejected: report.errors.length };
}

/** `publish <dir> [--git RANGE] [--dry-run] [--watch]`; resolves to what the last publish accepted and rejected. */
export async function publishCommand(
  kb: KnowledgeService,
  dir: string,
  options: { git?: string; dryRun?: boolean; watch?: boolean; json?: boolean; maxFileBytes?: number },
  io: Io,
  progressFor: ProgressFor,
): Promise<Outcome> {
  let outcome: Outcome = { accepted: 0, rejected: 0 };
  const once = async () => {
    const progress = progressFor(options.json);
    try {
      const report = await kb.publish(dir, {
        ...(options.git ? { git: options.git } : {}),
        ...(options.dryRun ? { dryRun: true } : {}),
        ...(options.maxFileBytes !== undefined ? { maxFileBytes: options.maxFileBytes } : {}),
        ...(progress.onProgress ? { onProgress: progress.onProgress } : {}),
      });
      progress.stop();
      io.stdout(options.json ? JSON.stringify(publishJson(report)) + '\n' : formatPublish(report));
      outcome = publishOutcome(report);
    } finally {
      progress.stop();
    }
  };
  await once();
  if (!options.watch) return outcome;
  const watcher = watch(dir, { ignoreInitial: true, ignored: (file, stats) => !!stats?.isFile() && !/\.(md|markdown)$/i.test(file), awaitWriteFinish: { stabilityThreshold: 200, pollInterval: 50 } });
  // A change saved before chokidar has scanned the folder would go unseen: say "watching" only once it is.
  await new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  io.stderr(`Watching ${dir} for changes (Ctrl+C to stop)…\n`);
  let timer: NodeJS.Timeout | undefined;
  let running = Promise.resolve();
  // Editors save in bursts (temp file, rename, touch): one publish after the burst settles.
  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      running = running.then(once).catch((error: unknown) => io.stderr(`error ${error instanceof AnswerdeskError ? `${error.code}: ` : ''}${reasonOf(error)}\n`));
    }, 300);
  };
  watcher.on('add', schedule).on('change', schedule).on('unlink', schedule);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    io.stop?.addEventListener('abort', stop, { once: true });
  });
  clearTimeout(timer);
  await watcher.close();
  await running;
  return outcome;
}

async function readStdin(stdin: AsyncIterable<Buffer | string> = process.stdin): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}

const ENCODING_NAMES = { 'utf-8': 'UTF-8', 'utf-16le': 'UTF-16 (little-endian)', 'utf-16be': 'UTF-16 (big-endian)', 'windows-1252': 'Windows-1252 (Latin-1)' } as const;

/** `tickets add <file|->`: append resolved tickets; an id already there is replaced. */
export async function ticketsAdd(
  open: () => Promise<KnowledgeService>,
  file: string,
  options: { json?: boolean; maxBytes?: number },
  io: Io,
  progressFor: ProgressFor,
): Promise<Outcome & { kb: KnowledgeService }> {
  const reading = progressFor(options.json);
  let imported;
  try {
    // A stream of updates: the last row of an id is the newest version of that ticket. Read row by row, never whole.
    imported =
      file === '-'
        ? await readTicketsJsonlStream(io.stdin ?? process.stdin, '<stdin>', { duplicates: 'last', ...(options.maxBytes !== undefined ? { maxBytes: options.maxBytes } : {}) })
        : await readTickets(file, {
            duplicates: 'last',
            ...(options.maxBytes !== undefined ? { maxBytes: options.maxBytes } : {}),
            ...(reading.onProgress ? { onProgress: (done: number, total: number) => reading.onProgress!({ phase: 'read', done, total }) } : {}),
          });
  } finally {
    reading.stop();
  }
  if (imported.encoding && imported.encoding !== 'utf-8') io.stderr(`note: ${file} is not UTF-8; it was read as ${ENCODING_NAMES[imported.encoding]} and converted.\n`);
  const byId = imported.tickets;
  const duplicates = imported.replaced;
  const kb = await open();
  const progress = progressFor(options.json);
  try {
    const report = byId.length ? await kb.addTickets(byId, { ...(progress.onProgress ? { onProgress: progress.onProgress } : {}) }) : { updated: 0, unchanged: 0, removed: 0, embedded: 0, reused: 0 };
    progress.stop();
    if (options.json) io.stdout(JSON.stringify({ ...report, read: imported.tickets.length, duplicates, errors: imported.errors.map((e) => e.toJSON()) }) + '\n');
    else {
      io.stdout(`Added ${report.updated} new or changed tickets (${report.unchanged} unchanged; ${report.embedded} passages embedded) to ${kb.location}; it now holds ${kb.stats.tickets} tickets\n`);
      if (duplicates) io.stdout(`  ${duplicates} repeated ids in the input: the last row of each was kept\n`);
      for (const error of imported.errors) io.stdout(`  ! ${error.code}: ${error.message}\n`);
    }
  } catch (error) {
    // The caller closes only what it gets back: a database pool left open would keep the process alive.
    await kb.close().catch(() => undefined);
    throw error;
  } finally {
    progress.stop();
  }
  return { kb, accepted: byId.length, rejected: imported.errors.length };
}

/** `tickets rm <id…>` */
export async function ticketsRemove(kb: KnowledgeService, ids: readonly string[], options: { json?: boolean }, io: Io): Promise<number> {
  const kinds = await Promise.all(ids.map(async (id) => (await kb.document(id))?.kind));
  const tickets = ids.filter((_id, i) => kinds[i] === 'ticket');
  const missing = ids.filter((id) => !tickets.includes(id));
  const removed = await kb.remove(tickets);
  if (options.json) io.stdout(JSON.stringify({ removed, missing }) + '\n');
  else io.stdout(`Removed ${removed} tickets${missing.length ? `; not found: ${list(missing)}` : ''}\n`);
  return missing.length;
}

/** The report in words: what holds the knowledge base decides what was checked. */
export function formatVerify(report: VerifyReport): string {
  const c = report.counts;
  const header = {
    postgres: `Knowledge base ${report.store} (PostgreSQL, schema version ${report.formatVersion}, knowledge-base version ${report.snapshot})`,
    sqlite: `Store ${report.store} (SQLite, schema version ${report.formatVersion}, knowledge-base version ${report.snapshot})`,
    files: `Store ${report.store} (format ${report.formatVersion}, snapshot ${report.snapshot}, ${report.journal.records} logged changes since)`,
  }[report.engine];
  const lines = [
    header,
    `  ${c.articles} articles (${c.sections} sections), ${c.tickets} tickets; ${c.passages} passages, ${c.vectors} vectors, ${c.lexical} ${report.engine === 'files' ? 'lexical' : 'full-text'} entries`,
    `  categorizers: ${report.categorizers.join(', ') || 'none'}; feedback entries: ${report.feedback}`,
  ];
  if (report.journal.tornBytes) lines.push(`  a write that never completed (${report.journal.tornBytes} bytes at the end of the log, never acknowledged) is ignored`);
  const ok = {
    postgres: 'OK: documents, passages, vectors and full-text entries agree, and the vector index is there.',
    sqlite: 'OK: SQLite integrity check passed; documents, passages, vectors and full-text entries agree.',
    files: 'OK: checksums verified; documents, passages, vectors and lexical entries agree.',
  }[report.engine];
  lines.push(report.ok ? ok : `PROBLEMS (${report.problems.length}):`);
  for (const problem of report.problems.slice(0, 50)) lines.push(`  - ${problem}`);
  return lines.join('\n') + '\n';
}

/**
 * `doctor`: exit status 0 when the store is whole, 1 when it is damaged (an
 * unreadable store is a problem found, not a crash). A missing knowledge base
 * or an unreachable database server is an error, not a finding.
 */
export async function doctor(open: () => Promise<KnowledgeService>, options: { json?: boolean }, io: Io): Promise<{ ok: boolean; kb?: KnowledgeService }> {
  let kb: KnowledgeService;
  try {
    kb = await open();
  } catch (error) {
    if (!(error instanceof AnswerdeskError) || error.code === 'ADK_STORE_NOT_FOUND' || error.code === 'ADK_STORE_NOT_A_STORE' || error.code === 'ADK_STORE_MODEL_MISMATCH' || error.code.startsWith('ADK_DATABASE_')) throw error;
    if (options.json) io.stdout(JSON.stringify({ ok: false, problems: [error.message], error: error.toJSON() }) + '\n');
    else io.stdout(`PROBLEMS (1):\n  - ${error.code}: ${error.message}\n`);
    return { ok: false };
  }
  let report: VerifyReport;
  try {
    report = await kb.verify();
  } catch (error) {
    await kb.close().catch(() => undefined);
    throw error;
  }
  io.stdout(options.json ? JSON.stringify(report) + '\n' : formatVerify(report));
  return { ok: report.ok, kb };
}

export async function readIds(ids: readonly string[], stdin?: AsyncIterable<Buffer | string>): Promise<string[]> {
  // `tickets rm -` reads ids from stdin, one per line.
  if (ids.length === 1 && ids[0] === '-') return (await readStdin(stdin)).split(/\s+/).filter(Boolean);
  return [...ids];
}

