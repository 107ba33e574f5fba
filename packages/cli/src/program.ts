import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import path from 'node:path';
import {
  AnswerdeskError,
  DEFAULT_MAX_ARTICLE_BYTES,
  backupStoreFolder,
  DEFAULT_MAX_EXPORT_BYTES,
  UseLiteEncoder,
  backtestCategorizer,
  checkRuleLabels,
  checkStoreDir,
  formatBytes,
  loadRules,
  parseByteSize,
  readLabeled,
  reasonOf,
  reindexStoreFolder,
  unknownLabelsError,
  type Encoder,
  type DocFilter,
  type IncomingMessage,
  type KnowledgeService,
  type LabelPrediction,
  type RuleSet,
  type SearchMode,
  type Suggestion,
} from '@answerdesk/core';
import { readBatch, type BatchQuery } from './batch.js';
import { dbMigrate, dbStatus } from './db-commands.js';
import { KNOWLEDGE_BASE_ID, databaseOf, openKnowledge, requireDatabaseUrl, type KnowledgeCli } from './knowledge.js';
import { encoderFrom } from './models.js';
import { formatReport, formatSearch, formatSuggestion, searchJson } from './format.js';
import { formatBacktest, formatPrediction, formatTrainInfo, formatTriage } from './format-triage.js';
import { progressReporter, type Reporter } from './progress.js';
import { knownLabels } from './rules.js';
import { serve, type ServeCli } from './serve.js';
import { doctor, publishCommand, readIds, ticketsAdd, ticketsRemove } from './store-commands.js';
import { conflictsCommand, draftCommand } from './writer-commands.js';
import { gapsCommand, reportCommand } from './knowledge-report.js';
import { readJsonFile } from './json-file.js';
import { defaultIo, type Io } from './io.js';

export { defaultIo, type Io } from './io.js';

/**
 * Exit codes: 0 ok; 1 a coded error (bad input, missing store…), or nothing could be done
 * because every row, file or line was rejected; 2 bad command line; 3 done, but some rows,
 * files or batch lines were rejected (each reported with its code); 70 a bug.
 */
export const EXIT = { ok: 0, error: 1, usage: 2, partial: 3, internal: 70 } as const;

/** The exit codes as `--help` shows them. */
export const EXIT_HELP = `
Exit codes:
  0   done
  1   error (error ADK_…: what to fix), or every row, file or line was rejected
  2   bad command line
  3   done with rejections: some rows, files or batch lines were rejected (each reported with its code)
  70  internal error (a bug: please report it)
`;

function byteSize(value: string): number {
  const n = parseByteSize(value);
  if (n === undefined || n < 1) throw new InvalidArgumentError('must be a size such as 5MB, 512KB or 1GB (or a number of bytes)');
  return n;
}

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('must be a port number from 0 to 65535 (0 picks a free one)');
  return n;
}

function byteCount(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1024) throw new InvalidArgumentError('must be a number of bytes, at least 1024');
  return n;
}

function positiveWhole(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a whole number ≥ 1');
  return n;
}

function wholeNumber(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('must be a whole number ≥ 0');
  return n;
}

function rateLimit(value: string): number | false {
  if (value === 'off') return false;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a positive whole number of requests per minute, or "off"');
  return n;
}

function knowledgeBaseId(value: string): string {
  if (!KNOWLEDGE_BASE_ID.test(value)) throw new InvalidArgumentError('must be a knowledge-base id: 1–64 letters, digits, ".", "_" or "-"');
  return value;
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 1000) throw new InvalidArgumentError('must be a whole number from 1 to 1000');
  return n;
}

/** The most of a message read from standard input: far above any question's limit, so the engine's own error says what to shorten. */
const STDIN_MESSAGE_MAX = 1 << 20;

/**
 * The message a command was given: as its argument, or, for `-`, all of standard input (a message
 * kept in a file, one that starts with dashes like a forwarded e-mail). Undefined when none was given.
 */
async function messageArgument(text: string | undefined, stdin: AsyncIterable<Buffer | string>): Promise<string | undefined> {
  if (text !== '-') return text;
  let read = '';
  for await (const chunk of stdin) {
    read += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    if (read.length > STDIN_MESSAGE_MAX) break;
  }
  return read;
}

function filterFrom(options: { kind?: 'article' | 'ticket'; category?: string[]; language?: string[]; tag?: string[] }): DocFilter | undefined {
  const filter: DocFilter = {};
  if (options.kind) filter.kind = options.kind;
  if (options.category?.length) filter.category = options.category;
  if (options.language?.length) filter.language = options.language;
  if (options.tag?.length) filter.tags = options.tag;
  return Object.keys(filter).length ? filter : undefined;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

function fieldName(value: string): string {
  if (!/^[A-Za-z][A-Za-z0-9_-]{0,63}$/.test(value)) throw new InvalidArgumentError('must be a label field name like category, queue or priority');
  return value;
}

function fieldList(value: string): string[] {
  return value.split(',').map((v) => v.trim()).filter(Boolean).map(fieldName);
}

/** `key=value` → a custom field; numbers and booleans keep their type. */
function customField(value: string, previous: Record<string, string | number | boolean> = {}): Record<string, string | number | boolean> {
  const at = value.indexOf('=');
  if (at < 1) throw new InvalidArgumentError('must look like key=value, e.g. storeId=S-012');
  const raw = value.slice(at + 1);
  const typed = raw === 'true' ? true : raw === 'false' ? false : raw !== '' && Number.isFinite(Number(raw)) ? Number(raw) : raw;
  return { ...previous, [value.slice(0, at)]: typed };
}

function unitInterval(value: string): number {
  const n = Number(value);
  if (!(value.trim() !== '' && n >= 0 && n <= 1)) throw new InvalidArgumentError('must be a number from 0 to 1, e.g. 0.5');
  return n;
}

function ratio(value: string): number {
  const n = Number(value);
  if (!(n > 0 && n < 1)) throw new InvalidArgumentError('must be a number between 0 and 1, e.g. 0.2');
  return n;
}

function languageCode(value: string): string {
  if (!/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(value)) throw new InvalidArgumentError('must be a language code such as en or de');
  return value;
}

function folds(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 2 || n > 20) throw new InvalidArgumentError('must be a whole number from 2 to 20');
  return n;
}

function seed(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('must be a whole number');
  return n;
}

/** Label descriptions from a JSON file: {"label": "what messages with this label are about", …}. */
async function readDescriptions(file: string): Promise<Record<string, string>> {
  const value = await readJsonFile(file, '--descriptions');
  if (!value || typeof value !== 'object' || Array.isArray(value) || Object.values(value).some((v) => typeof v !== 'string')) {
    throw new AnswerdeskError('ADK_OPTION_INVALID', { option: '--descriptions', reason: `${file} must be a JSON object of label → description text` });
  }
  return value as Record<string, string>;
}

function predictionJson(p: LabelPrediction): object {
  return { label: p.label, confidence: Math.round(p.probability * 10000) / 10000, level: p.level, basis: p.basis, alternatives: p.alternatives.map((a) => ({ label: a.label, confidence: Math.round(a.probability * 10000) / 10000 })) };
}

/** Run the `answerdesk` command line; resolves to the process exit code. */
export async function run(argv: readonly string[], io: Io = defaultIo()): Promise<number> {
  const program = new Command('answerdesk')
    .description('Answer search for helpdesks: index articles and resolved tickets, then suggest cited answers.')
    .option('--store <dir>', 'store folder (env ANSWERDESK_STORE)', io.env.ANSWERDESK_STORE ?? '.answerdesk')
    .option('--model <id>', 'sentence encoder: use-lite (offline, English; use-lite-en@0.2.0 opens a store built before its customer-style direction was removed) or a Hugging Face model id through transformers.js, e.g. Xenova/multilingual-e5-small for multilingual helpdesks (env ANSWERDESK_MODEL)')
    .option('--models-dir <dir>', 'folder searched first for <model id>/… files (env ANSWERDESK_MODELS_DIR)')
    .option('--model-cache <dir>', 'where downloaded model files are cached (env ANSWERDESK_MODEL_CACHE)')
    .option('--no-remote-models', 'never download models from the Hugging Face hub (env ANSWERDESK_REMOTE_MODELS=0)')
    .option('--default-language <code>', "language of the original articles and of answers with no translation in the customer's language", languageCode, 'en')
    // No default shown from the environment: the URL may hold a password.
    .option('--database-url <url>', 'keep the knowledge base in PostgreSQL + pgvector instead of the store folder: postgres://user:password@host:5432/database (env ANSWERDESK_DATABASE_URL); pglite:<dir> for development and tests')
    .option('--knowledge-base <id>', 'with --database-url: which knowledge base (tenant) of the database (env ANSWERDESK_KNOWLEDGE_BASE; default "default")', knowledgeBaseId)
    .option('--max-file-size <size>', `largest markdown article read (index, publish); a larger file is refused with ADK_FILE_TOO_LARGE and the others are read (default ${formatBytes(DEFAULT_MAX_ARTICLE_BYTES)})`, byteSize)
    .option('--max-ticket-file-size <size>', `largest ticket export read (index, tickets add, train, eval; exports are streamed row by row) (default ${formatBytes(DEFAULT_MAX_EXPORT_BYTES)})`, byteSize)
    .option('--no-progress', 'no progress lines on stderr when it is not a terminal (by default one every few seconds during long work)')
    .addHelpText('after', EXIT_HELP)
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError();

  /** The knowledge base of the global options: the store folder, or one in PostgreSQL (`existing`: it must be there already). */
  const openKb = (existing: boolean): Promise<KnowledgeService> => openKnowledge(program.opts<KnowledgeCli>(), io.env, { existing, ...(io.encoder ? { encoder: io.encoder() } : {}) });
  let kb: KnowledgeService | undefined;
  /** Keep a question in the knowledge base's log (for `gaps` and `report`); the answer is printed already, so a failure only warns. */
  const logQuestion = async (suggestion: Suggestion) => {
    try {
      await kb!.recordQuestion(suggestion, { via: 'cli' });
    } catch (error) {
      io.stderr(`warning: the question was not logged: ${reasonOf(error)}\n`);
    }
  };
  /** Set by commands that finish normally but must report failure (doctor found problems, rows rejected). */
  let exitCode: number = EXIT.ok;
  type Limits = { maxFileSize?: number; maxTicketFileSize?: number; progress?: boolean };
  const limits = () => program.opts<Limits>();
  const ticketFileLimit = () => {
    const max = limits().maxTicketFileSize;
    return max !== undefined ? { maxBytes: max } : {};
  };
  /** A bar per phase at a terminal; off one (logs, CI, pipes), a plain line every few seconds unless --no-progress. */
  const progressFor = (json?: boolean): Reporter =>
    io.tty && !json ? progressReporter(true) : limits().progress === false ? progressReporter(false) : progressReporter({ write: io.stderr, ...(io.progressIntervalMs !== undefined ? { intervalMs: io.progressIntervalMs } : {}) });
  /**
   * A command that finished with `rejected` rows, files or lines refused (each already reported):
   * exit 3, or 1 when nothing at all was accepted. An error already set stays.
   */
  const settle = (accepted: number, rejected: number, what: string) => {
    if (rejected === 0) return;
    const code = accepted > 0 ? EXIT.partial : EXIT.error;
    if (exitCode !== EXIT.error) exitCode = code;
    io.stderr(
      code === EXIT.partial
        ? `${rejected} ${what} rejected (see above), ${accepted} accepted: exit status ${code}.\n`
        : `All ${rejected} ${what} rejected (see above), nothing accepted: exit status ${code}.\n`,
    );
  };

  program
    .command('index')
    .description('index markdown articles and ticket files (.jsonl, .csv): the store then holds exactly these paths')
    .argument('<paths...>', 'folders or files')
    .option('--json', 'print the report as JSON')
    .option('--train <fields>', 'retrain these label fields\' categorizers from the indexed tickets when tickets changed', fieldList, ['category', 'priority', 'queue'])
    .option('--no-train', 'do not train categorizers')
    .option('--no-answer-units', "leave embedding sections' answer units to each section's first question (indexing about twice as fast; those first answers slower)")
    .action(async (paths: string[], options: { json?: boolean; train: string[] | false; answerUnits: boolean }) => {
      kb = await openKb(false);
      const progress = progressFor(options.json);
      const { maxFileSize, maxTicketFileSize } = limits();
      try {
        const report = await kb.index(paths, {
          onProgress: progress.onProgress,
          train: options.train || [],
          answerUnits: options.answerUnits,
          ...(maxFileSize !== undefined ? { maxFileBytes: maxFileSize } : {}),
          ...(maxTicketFileSize !== undefined ? { maxTicketFileBytes: maxTicketFileSize } : {}),
        });
        progress.stop();
        if (options.json) io.stdout(JSON.stringify({ ...report, store: kb.location, errors: report.errors.map((e) => e.toJSON()) }) + '\n');
        else io.stdout(formatReport(report, kb.location));
        settle(report.articles + report.templates + report.glossaries + report.tickets, report.errors.length, 'file(s) or row(s)');
      } finally {
        progress.stop();
      }
    });

  const searchOptions = (command: Command) =>
    command
      .option('--json', 'print JSON')
      .option('--input <file>', 'batch: a JSONL file (or - for stdin) of {"id","text"} lines; prints one JSON result per line')
      .addOption(new Option('--kind <kind>', 'only articles or only tickets').choices(['article', 'ticket']))
      .option('--category <name>', 'only this category (repeatable)', collect)
      .option('--language <code>', 'only this language (repeatable)', collect)
      .option('--tag <tag>', 'only documents with this tag (repeatable)', collect)
      .option('--customer-language <code>', "the customer's language, e.g. it (default: detected from the text); answers come in it where a translation exists");

  type SearchCli = { json?: boolean; input?: string; k: number; mode: SearchMode; kind?: 'article' | 'ticket'; category?: string[]; language?: string[]; tag?: string[]; customerLanguage?: string };
  /** A batch line's own `language` is the customer's language for that line. */
  const lineLanguage = (q: BatchQuery, fallback: string | undefined) => (typeof q.raw.language === 'string' ? { language: q.raw.language } : fallback ? { language: fallback } : {});

  async function batch(file: string, answer: (query: BatchQuery) => Promise<object>): Promise<void> {
    let failed = 0;
    let answered = 0;
    for await (const entry of readBatch(file, io.stdin)) {
      if ('error' in entry) {
        failed++;
        io.stdout(JSON.stringify({ id: entry.id ?? null, error: entry.error.toJSON() }) + '\n');
        continue;
      }
      try {
        io.stdout(JSON.stringify({ id: entry.query.id, ...(await answer(entry.query)) }) + '\n');
        answered++;
      } catch (error) {
        if (!(error instanceof AnswerdeskError)) throw error;
        failed++;
        io.stdout(JSON.stringify({ id: entry.query.id, error: error.toJSON() }) + '\n');
      }
    }
    if (failed > 0) io.stderr(`${failed} line(s) could not be answered; see their "error" field.\n`);
    settle(answered, failed, 'batch line(s)');
  }

  searchOptions(
    program
      .command('search')
      .description('rank articles and tickets for a question')
      .argument('[text]', 'the question')
      .option('--k <n>', 'number of results', positiveInt, 5)
      .addOption(new Option('--mode <mode>', 'ranking').choices(['hybrid', 'vector', 'lexical']).default('hybrid')),
  ).action(async (text: string | undefined, options: SearchCli) => {
    kb = await openKb(true);
    const opts = { k: options.k, mode: options.mode, filter: filterFrom(options) };
    if (options.input) return batch(options.input, async (q) => searchJson(await kb!.search(q.text, { ...opts, ...lineLanguage(q, options.customerLanguage) })));
    if (text === undefined) throw new AnswerdeskError('ADK_QUERY_EMPTY');
    const result = await kb.search(text, { ...opts, ...(options.customerLanguage ? { language: options.customerLanguage } : {}) });
    io.stdout(options.json ? JSON.stringify(searchJson(result)) + '\n' : formatSearch(result));
  });

  searchOptions(
    program
      .command('suggest')
      .description('read a message, answer each question in it with its source and confidence (or abstain), and draft the reply')
      .argument('[text]', "the customer's message; - reads it from standard input (a message that starts with \"-\", such as a forwarded e-mail, goes there or after --)")
      .option('--brand <name>', 'brand whose reply templates the draft uses (default: templates without a brand)')
      .option('--channel <name>', 'channel of the reply: picks templates written for it (default: email)')
      .option('--no-log', "keep this question out of the knowledge base's question log (what `gaps` and `report` read)"),
  ).action(async (text: string | undefined, options: SearchCli & { brand?: string; channel?: string; log?: boolean }) => {
    kb = await openKb(true);
    const opts = { filter: filterFrom(options), ...(options.brand ? { brand: options.brand.toLowerCase() } : {}), ...(options.channel ? { channel: options.channel.toLowerCase() } : {}) };
    if (options.input) return batch(options.input, async (q) => kb!.suggest(q.text, { ...opts, ...lineLanguage(q, options.customerLanguage) }));
    const message = await messageArgument(text, io.stdin ?? process.stdin);
    if (message === undefined) throw new AnswerdeskError('ADK_QUERY_EMPTY');
    const suggestion = await kb.suggest(message, { ...opts, ...(options.customerLanguage ? { language: options.customerLanguage } : {}) });
    io.stdout(options.json ? JSON.stringify(suggestion) + '\n' : formatSuggestion(suggestion));
    if (options.log !== false) await logQuestion(suggestion);
  });

  program
    .command('train')
    .description('train the categorizer of a label field, from the indexed tickets (and articles, for category) or from a labeled file')
    .option('--label <field>', 'label field to learn (category, queue, priority, type…)', fieldName, 'category')
    .option('--tickets <file>', 'labeled messages (.jsonl or .csv: text or subject+body, and the label field) instead of the indexed tickets')
    .option('--descriptions <file>', 'JSON object of label → description; a label with no examples is learned from it (zero-shot)')
    .option('--json', 'print the model summary as JSON')
    .action(async (options: { label: string; tickets?: string; descriptions?: string; json?: boolean }) => {
      // Learning from a file needs no indexed knowledge; learning from the knowledge base needs one.
      kb = await openKb(!options.tickets);
      const descriptions = options.descriptions ? await readDescriptions(options.descriptions) : undefined;
      let examples: Array<{ text: string; label: string }> | undefined;
      let skipped = 0;
      if (options.tickets) {
        const read = await readLabeled(options.tickets, options.label, ticketFileLimit());
        for (const error of read.errors) io.stderr(`skipped ${error.code}: ${error.message}\n`);
        examples = read.messages;
        skipped = read.errors.length;
      }
      const progress = progressFor(options.json);
      try {
        const info = await kb.train({ field: options.label, ...(examples ? { examples } : {}), ...(descriptions ? { descriptions } : {}), onProgress: progress.onProgress });
        progress.stop();
        io.stdout(options.json ? JSON.stringify(info) + '\n' : formatTrainInfo(info));
        settle(examples?.length ?? 0, skipped, 'row(s)');
      } finally {
        progress.stop();
      }
    });

  program
    .command('eval')
    .description('backtests; `eval categorize` checks whether labeled history is good enough to route automatically')
    .command('categorize')
    .description('train on part of a labeled file and categorize the rest: accuracy, macro-F1, recall per label, confusions, automatic-routing share')
    .requiredOption('--tickets <file>', 'labeled messages (.jsonl or .csv)')
    .option('--label <field>', 'label field to check', fieldName, 'category')
    .option('--folds <k>', 'k-fold cross-validation instead of one split', folds)
    .option('--test-share <ratio>', 'share of each label held out for test', ratio, 0.2)
    .option('--seed <n>', 'seed of the split', seed, 1)
    .option('--json', 'print the report as JSON')
    .action(async (options: { tickets: string; label: string; folds?: number; testShare: number; seed: number; json?: boolean }) => {
      const read = await readLabeled(options.tickets, options.label, ticketFileLimit());
      for (const error of read.errors) io.stderr(`skipped ${error.code}: ${error.message}\n`);
      const encoder = io.encoder?.() ?? new UseLiteEncoder();
      const progress = progressFor(options.json);
      try {
        await encoder.load();
        const report = await backtestCategorizer(read.messages, encoder, {
          field: options.label,
          testShare: options.testShare,
          seed: options.seed,
          ...(options.folds ? { folds: options.folds } : {}),
          onProgress: (p) => p.phase && progress.onProgress?.({ phase: p.phase, done: p.done ?? 0, total: p.total ?? 0 }),
        });
        progress.stop();
        io.stdout(options.json ? JSON.stringify({ ...report, skipped: read.errors.length }) + '\n' : formatBacktest(report));
        settle(read.messages.length, read.errors.length, 'row(s)');
      } finally {
        progress.stop();
        await encoder.close();
      }
    });

  program
    .command('categorize')
    .description('categorize messages with a trained categorizer')
    .argument('[text]', "the customer's message")
    .option('--label <field>', 'which categorizer', fieldName, 'category')
    .option('--input <file>', 'batch: a JSONL file (or - for stdin) of {"id","text"} lines; prints {"id","label","confidence","level","alternatives"} per line')
    .option('--json', 'print JSON')
    .action(async (text: string | undefined, options: { label: string; input?: string; json?: boolean }) => {
      kb = await openKb(true);
      if (options.input) {
        return batch(options.input, async (q) => {
          const [p] = await kb!.categorize([q.text], { field: options.label });
          return predictionJson(p!);
        });
      }
      if (text === undefined) throw new AnswerdeskError('ADK_QUERY_EMPTY');
      const [p] = await kb.categorize([text], { field: options.label });
      io.stdout(options.json ? JSON.stringify(predictionJson(p!)) + '\n' : `${options.label}: ${formatPrediction(p!)}\n`);
    });

  program
    .command('triage')
    .description('category, confidence, priority, language, route with its explanation, and the suggested answer, for incoming messages')
    .argument('[text]', "the customer's message; - reads it from standard input")
    .option('--subject <text>', 'subject line of the message')
    .option('--channel <name>', 'email, chat, phone…')
    .option('--field <key=value>', 'custom field, e.g. storeId=S-012 (repeatable)', customField)
    .option('--rules <file>', 'routing rules (.yaml or .json)')
    .option('--languages <codes>', 'languages the helpdesk handles, e.g. en,de (detection picks among them)')
    .option('--no-suggest', 'skip the answer suggestion')
    .option('--no-log', "keep this message out of the knowledge base's question log (what `gaps` and `report` read)")
    .option('--strict', 'refuse rules that name a category, queue, label or language this knowledge base does not know (ADK_RULES_LABEL_UNKNOWN) instead of warning')
    .option('--input <file>', 'batch: a JSONL file (or - for stdin) of messages {"id","text","subject"?,"channel"?,"fields"?,"receivedAt"?}; prints one JSON result per line')
    .option('--json', 'print JSON')
    .action(async (text: string | undefined, options: { subject?: string; channel?: string; field?: Record<string, string | number | boolean>; rules?: string; languages?: string; suggest: boolean; strict?: boolean; input?: string; json?: boolean; log?: boolean }) => {
      const rules: RuleSet | undefined = options.rules ? await loadRules(options.rules) : undefined;
      kb = await openKb(true);
      const languages = options.languages ? options.languages.split(',').map((l) => l.trim()).filter(Boolean) : undefined;
      if (rules) {
        // A rule naming a label nothing predicts never fires: almost always a typo ("fruad").
        const warnings = checkRuleLabels(rules, await knownLabels(kb, languages));
        for (const warning of warnings) io.stderr(`warning: routing rules ${rules.file}: ${warning.message}\n`);
        if (warnings.length && options.strict) throw unknownLabelsError(rules, warnings);
      }
      const triageOptions = {
        ...(rules ? { rules } : {}),
        suggest: options.suggest,
        ...(languages ? { languages } : {}),
      };
      if (options.input) {
        return batch(options.input, async (q) => {
          // The batch reader accepts numeric ids ("id": 7) as text, as search, suggest and categorize do.
          const { id: _id, ...result } = await kb!.triage({ ...q.raw, id: q.id } as unknown as IncomingMessage, triageOptions);
          return result;
        });
      }
      const given = await messageArgument(text, io.stdin ?? process.stdin);
      if (given === undefined) throw new AnswerdeskError('ADK_QUERY_EMPTY');
      const message: IncomingMessage = {
        text: given,
        ...(options.subject ? { subject: options.subject } : {}),
        ...(options.channel ? { channel: options.channel } : {}),
        ...(options.field ? { fields: options.field } : {}),
      };
      const result = await kb.triage(message, triageOptions);
      io.stdout(options.json ? JSON.stringify(result) + '\n' : formatTriage(result));
      if (result.suggestion && options.log !== false) await logQuestion(result.suggestion);
    });

  program
    .command('publish')
    .description('publish a folder of markdown articles incrementally: new and changed sections are embedded, deleted ones removed, unchanged ones cost nothing')
    .argument('<dir>', 'folder of markdown articles')
    .option('--git <range>', 'only the files changed between two commits, e.g. HEAD~1..HEAD (a renamed file keeps its article id)')
    .option('--dry-run', 'print the plan and change nothing')
    .option('--watch', 'publish again whenever a file changes (debounced), until Ctrl+C')
    .option('--json', 'print the report as JSON')
    .action(async (dir: string, options: { git?: string; dryRun?: boolean; watch?: boolean; json?: boolean }) => {
      kb = await openKb(false);
      const maxFileSize = limits().maxFileSize;
      const outcome = await publishCommand(kb, dir, { ...options, ...(maxFileSize !== undefined ? { maxFileBytes: maxFileSize } : {}) }, io, progressFor);
      settle(outcome.accepted, outcome.rejected, 'file(s)');
    });

  const tickets = program.command('tickets').description('append resolved tickets to the knowledge base, or remove them');
  tickets
    .command('add')
    .description('add resolved tickets from a .jsonl or .csv file (- for JSONL on stdin); a ticket whose id is already there replaces it')
    .argument('<file>', 'ticket file, or -')
    .option('--json', 'print the report as JSON')
    .action(async (file: string, options: { json?: boolean }) => {
      const added = await ticketsAdd(() => openKb(false), file, { ...options, ...ticketFileLimit() }, io, progressFor);
      kb = added.kb;
      settle(added.accepted, added.rejected, 'row(s)');
    });
  tickets
    .command('rm')
    .description('remove tickets by id (- reads ids from stdin)')
    .argument('<ids...>', 'ticket ids')
    .option('--json', 'print the report as JSON')
    .action(async (ids: string[], options: { json?: boolean }) => {
      kb = await openKb(true);
      const wanted = await readIds(ids, io.stdin);
      const missing = await ticketsRemove(kb, wanted, options, io);
      settle(wanted.length - missing, missing, 'id(s)');
    });

  program
    .command('doctor')
    .description('check the store: checksums, and that documents, passages, vectors and lexical entries agree (exit 1 on problems)')
    .option('--json', 'print the report as JSON')
    .action(async (options: { json?: boolean }) => {
      const result = await doctor(() => openKb(true), options, io);
      kb = result.kb;
      if (!result.ok) exitCode = EXIT.error;
    });

  program
    .command('backup <file>')
    .description("copy the store folder's database to a new file while it is in use (SQLite's online backup); restore by putting the copy in an empty folder as knowledge.db")
    .option('--json', 'print JSON')
    .action(async (file: string, options: { json?: boolean }) => {
      const global = program.opts<KnowledgeCli>();
      if (databaseOf(global, io.env)) {
        throw new AnswerdeskError('ADK_OPTION_INVALID', { option: '--database-url', reason: "does not go with backup, which copies a store folder's database; back PostgreSQL up with its own tools (pg_dump)" });
      }
      const result = await backupStoreFolder({ store: global.store, file, ...(io.encoder ? { encoder: io.encoder() } : {}), defaultLanguage: global.defaultLanguage });
      if (options.json) io.stdout(JSON.stringify(result) + '\n');
      else io.stdout(`Backed up ${path.resolve(global.store)} to ${result.file} (${formatBytes(result.bytes)})\n`);
    });

  program
    .command('reindex')
    .description('embed every document of the store again with the current model (after changing models); categorizers are retrained')
    .option('--json', 'print the report as JSON')
    .action(async (options: { json?: boolean }) => {
      const global = program.opts<KnowledgeCli>();
      if (databaseOf(global, io.env)) {
        throw new AnswerdeskError('ADK_OPTION_INVALID', {
          option: '--database-url',
          reason: 'does not go with reindex, which re-embeds a store folder; in PostgreSQL, index the sources into a new knowledge base with the new model (answerdesk --model <id> --knowledge-base <new id> index <paths>) and point the service at it',
        });
      }
      const progress = progressFor(options.json);
      try {
        const result = await reindexStoreFolder({ store: global.store, encoder: io.encoder?.() ?? encoderFrom(global, io.env), defaultLanguage: global.defaultLanguage, ...(progress.onProgress ? { onProgress: progress.onProgress } : {}) });
        kb = result.knowledgeBase;
        progress.stop();
        const { knowledgeBase: _kb, ...report } = result;
        if (options.json) io.stdout(JSON.stringify({ ...report, model: kb.encoder.id }) + '\n');
        else {
          io.stdout(`Re-embedded ${report.documents} documents (${report.embedded} passages) with ${kb.encoder.id}; the store was built with ${report.previousModel}\n`);
          if (report.retrained.length) io.stdout(`  categorizers retrained: ${report.retrained.join(', ')}\n`);
          if (report.dropped.length) io.stdout(`  categorizers dropped (train them again with \`answerdesk train\`): ${report.dropped.join(', ')}\n`);
        }
      } finally {
        progress.stop();
      }
    });

  program
    .command('serve')
    .description('the HTTP service and the agent page (open http://localhost:4477/)')
    .option('--port <n>', 'port (env PORT)', port, io.env.PORT ? port(io.env.PORT) : 4477)
    .option('--host <address>', 'address to listen on; loopback by default, 0.0.0.0 for every interface', '127.0.0.1')
    .option('--rules <file>', 'routing rules (.yaml or .json) for triage')
    .option('--webhook-mapping <file>', 'helpdesk webhooks, JSON {"zammad"?: {"groups", "priorities", "fields", "categoryAttribute"}, "generic"?: {"text": "/path/in/the/payload", "subject"?, "id"?, "fields"?, …}} for POST /v1/triage/zammad and /v1/triage/generic (see @answerdesk/server)')
    .option('--keys <file>', 'API keys, JSON {"keys":[{"name","scopes":["read","write","admin"],"key" or "sha256","knowledgeBase"?}]}; env ANSWERDESK_API_KEYS=name:read+write:<secret> (name@<knowledge base>:… for a tenant\'s key) adds more')
    .option('--body-limit <bytes>', 'largest request body', byteCount)
    .option('--rate-limit <n>', 'requests per minute per API key (or per address), or "off"', rateLimit, 600)
    .option('--open-reads', 'let requests without a key suggest, search and triage even when keys are configured (the default without keys)')
    .option('--max-in-flight <n>', 'suggest, search, triage and categorize requests worked on at once (default 1); more wait, and past --max-queue they are answered 503 ADK_OVERLOADED with Retry-After at once; 0 turns load shedding off', wholeNumber)
    .option('--max-queue <n>', 'such requests waiting for their turn (default 1)', wholeNumber)
    .option('--log', 'log every request as JSON on stdout')
    .option('--learning-since <when>', "only agents' feedback and route corrections since then move answers and routes: a date (2026-12-01) or a time back (30d); resets learning without deleting anything, undone by leaving it out")
    .option('--no-learning', "agents' feedback and route corrections move nothing (they are still recorded)")
    .action(async (options: ServeCli) => {
      const global = program.opts<KnowledgeCli>();
      const database = databaseOf(global, io.env);
      if (!database) await checkStoreDir(global.store);
      await serve(database ? { database } : { store: global.store }, options, io, { encoder: io.encoder?.(16) ?? encoderFrom(global, io.env, 16), defaultLanguage: global.defaultLanguage });
    });

  program
    .command('draft')
    .description('draft a help article from past tickets that resolved one problem: steps from their resolutions, other customers\' details removed, draft: true until a writer publishes it')
    .requiredOption('--from-tickets <ids>', 'ticket ids, comma-separated (repeatable), e.g. T-10015,T-10077,T-10110', collect)
    .option('--out <file>', 'write the markdown to this file (refused if it exists, unless --force) instead of printing it')
    .option('--title <title>', "the article's title (default: the subject the tickets share most)")
    .option('--force', 'replace the --out file if it exists')
    .option('--json', 'print the draft as JSON (markdown, title, steps, placeholders, notes)')
    .action(async (options: { fromTickets: string[]; out?: string; title?: string; force?: boolean; json?: boolean }) => {
      kb = await openKb(true);
      await draftCommand(kb, { ...options, language: program.opts<{ defaultLanguage: string }>().defaultLanguage }, io);
    });

  program
    .command('conflicts')
    .description('for writers: sections of different articles that say nearly the same thing, and sections that past tickets on the same topic contradict (days, amounts, percentages, yes/no)')
    .option('--min-similarity <ratio>', 'least similarity (0–1) of a ticket to a section for them to be on the same topic (default 0.5, for the offline model)', unitInterval)
    .option('--json', 'print the report as JSON')
    .addHelpText(
      'after',
      `
How it finds them: two sections are duplicates when their vectors are close (≥ 0.85) and the shorter one's words
are mostly in the other (≥ 60%). Each ticket is compared with its 5 nearest sections in its language: durations
(hours; days or weeks; months or years; working days), amounts with their currency and percentages the resolution
states, outside what the agent did for that customer, against the sections' facts about the same thing (shared
rare words, a table row's label); a value no near section states is a contradiction. A resolution opening with
"Yes" or "No" to a customer who asked for a refund, return… is checked against the sections' flat rules
("Not refundable: renewals").
What it misses: facts without a number or written as words it does not know, paraphrases with no rare word in
common, conditional rules ("after 30 days…"), yes/no outside English, and tickets far from every section.
Exit status 0 whatever it finds.`,
    )
    .action(async (options: { json?: boolean; minSimilarity?: number }) => {
      kb = await openKb(true);
      await conflictsCommand(kb, options, io);
    });

  program
    .command('gaps')
    .description("for writers: what customers ask that the knowledge base fails to answer (left open, or the answer rejected or heavily edited by an agent), grouped into topics, most asked first, from the question log")
    .option('--since <when>', 'only questions asked since: a time back from now (30d, 12h, 2w) or a date (2026-11-01)')
    .option('--min <n>', 'fewest questions that make a topic (default 2)', positiveWhole)
    .option('--similarity <ratio>', "how alike (cosine, 0–1) a question must be to a topic's centre to join it (default 0.6)", unitInterval)
    .option('--limit <n>', 'most topics (default 20)', positiveWhole)
    .option('--json', 'print JSON')
    .action(async (options: { since?: string; min?: number; similarity?: number; limit?: number; json?: boolean }) => {
      kb = await openKb(true);
      await gapsCommand(kb, options, io);
    });

  program
    .command('report')
    .description('for writers: how each article section did: times shown as the answer, sent as it was, edited, rejected, picked instead of the answer shown')
    .option('--since <when>', 'only since: a time back from now (30d, 12h, 2w) or a date (2026-11-01)')
    .option('--json', 'print JSON')
    .action(async (options: { since?: string; json?: boolean }) => {
      kb = await openKb(true);
      await reportCommand(kb, options, io);
    });

  const db = program.command('db').description('the PostgreSQL database of --database-url (or ANSWERDESK_DATABASE_URL): schema migrations and knowledge bases');
  db.command('migrate')
    .description('apply the pending schema migrations (the service and the other commands also apply them when they start)')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      await dbMigrate(requireDatabaseUrl(program.opts<KnowledgeCli>(), io.env), options, io);
    });
  db.command('status')
    .description('the schema version, and every knowledge base (tenant) with its counts')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      await dbStatus(requireDatabaseUrl(program.opts<KnowledgeCli>(), io.env), options, io);
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (error instanceof AnswerdeskError) {
      io.stderr(`error ${error.code}: ${error.message}\n`);
      return EXIT.error;
    }
    io.stderr(`internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\nPlease report this with the command you ran.\n`);
    return EXIT.internal;
  } finally {
    await kb?.close();
  }
}
