import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { AnswerdeskError, KnowledgeBase, type DocFilter, type KnowledgeBaseOptions, type SearchMode } from '@answerdesk/core';
import { readBatch } from './batch.js';
import { formatReport, formatSearch, formatSuggestion, searchJson } from './format.js';
import { interactive, progressReporter } from './progress.js';

export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  /** Show progress bars (a person at a terminal). */
  tty: boolean;
}

export const defaultIo = (): Io => ({
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  env: process.env,
  tty: interactive(),
});

/** Exit codes: 0 ok, 1 a coded error (bad input, missing store…), 2 bad command line, 70 a bug. */
export const EXIT = { ok: 0, error: 1, usage: 2, internal: 70 } as const;

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 1000) throw new InvalidArgumentError('must be a whole number from 1 to 1000');
  return n;
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

/** Run the `answerdesk` command line; resolves to the process exit code. */
export async function run(argv: readonly string[], io: Io = defaultIo()): Promise<number> {
  const program = new Command('answerdesk')
    .description('Answer search for helpdesks: index articles and resolved tickets, then suggest cited answers.')
    .option('--store <dir>', 'store folder (env ANSWERDESK_STORE)', io.env.ANSWERDESK_STORE ?? '.answerdesk')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError();

  const kbOptions = (): KnowledgeBaseOptions => ({ store: program.opts<{ store: string }>().store });
  let kb: KnowledgeBase | undefined;

  program
    .command('index')
    .description('index markdown articles and ticket files (.jsonl, .csv): the store then holds exactly these paths')
    .argument('<paths...>', 'folders or files')
    .option('--json', 'print the report as JSON')
    .action(async (paths: string[], options: { json?: boolean }) => {
      kb = await KnowledgeBase.open(kbOptions());
      const progress = progressReporter(io.tty && !options.json);
      try {
        const report = await kb.index(paths, { onProgress: progress.onProgress });
        progress.stop();
        if (options.json) io.stdout(JSON.stringify({ ...report, store: kb.storeDir, errors: report.errors.map((e) => e.toJSON()) }) + '\n');
        else io.stdout(formatReport(report, kb.storeDir));
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
      .option('--tag <tag>', 'only documents with this tag (repeatable)', collect);

  type SearchCli = { json?: boolean; input?: string; k: number; mode: SearchMode; kind?: 'article' | 'ticket'; category?: string[]; language?: string[]; tag?: string[] };

  async function batch(file: string, answer: (text: string) => Promise<object>): Promise<void> {
    let failed = 0;
    for await (const entry of readBatch(file)) {
      if ('error' in entry) {
        failed++;
        io.stdout(JSON.stringify({ id: entry.id ?? null, error: entry.error.toJSON() }) + '\n');
        continue;
      }
      try {
        io.stdout(JSON.stringify({ id: entry.query.id, ...(await answer(entry.query.text)) }) + '\n');
      } catch (error) {
        if (!(error instanceof AnswerdeskError)) throw error;
        failed++;
        io.stdout(JSON.stringify({ id: entry.query.id, error: error.toJSON() }) + '\n');
      }
    }
    if (failed > 0) io.stderr(`${failed} line(s) could not be answered; see their "error" field.\n`);
  }

  searchOptions(
    program
      .command('search')
      .description('rank articles and tickets for a question')
      .argument('[text]', 'the question')
      .option('--k <n>', 'number of results', positiveInt, 5)
      .addOption(new Option('--mode <mode>', 'ranking').choices(['hybrid', 'vector', 'lexical']).default('hybrid')),
  ).action(async (text: string | undefined, options: SearchCli) => {
    kb = await KnowledgeBase.openExisting(kbOptions());
    const opts = { k: options.k, mode: options.mode, filter: filterFrom(options) };
    if (options.input) return batch(options.input, async (q) => searchJson(await kb!.search(q, opts)));
    if (text === undefined) throw new AnswerdeskError('ADK_QUERY_EMPTY');
    const result = await kb.search(text, opts);
    io.stdout(options.json ? JSON.stringify(searchJson(result)) + '\n' : formatSearch(result));
  });

  searchOptions(
    program
      .command('suggest')
      .description('suggest an answer with its source and confidence, or abstain')
      .argument('[text]', "the customer's message"),
  ).action(async (text: string | undefined, options: SearchCli) => {
    kb = await KnowledgeBase.openExisting(kbOptions());
    const opts = { filter: filterFrom(options) };
    if (options.input) return batch(options.input, async (q) => kb!.suggest(q, opts));
    if (text === undefined) throw new AnswerdeskError('ADK_QUERY_EMPTY');
    const suggestion = await kb.suggest(text, opts);
    io.stdout(options.json ? JSON.stringify(suggestion) + '\n' : formatSuggestion(suggestion));
  });

  try {
    await program.parseAsync(argv, { from: 'user' });
    return EXIT.ok;
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
