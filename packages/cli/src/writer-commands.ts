// Tools for writers: `draft --from-tickets` (an article drafted from past tickets) and `conflicts`
// (duplicate sections, and sections past tickets contradict).
import { constants } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import {
  AnswerdeskError,
  StoreKnowledgeBase,
  draftFromTickets,
  findConflicts,
  reasonOf,
  type ArticleDraft,
  type ConflictReport,
  type Contradiction,
  type KnowledgeService,
  type Source,
} from '@answerdesk/core';
import { describeSource } from './format.js';
import type { Io } from './io.js';

/** Both tools read the store itself (every document, stored vectors): every knowledge base the CLI opens has one. */
function storeOf(kb: KnowledgeService): StoreKnowledgeBase {
  if (!(kb instanceof StoreKnowledgeBase)) throw new AnswerdeskError('ADK_OPTION_INVALID', { option: '--store', reason: 'must name a knowledge base this command can read directly' });
  return kb;
}

/** `T-1,T-2 T-3` → ids, in order, each once. */
export function ticketIds(values: readonly string[]): string[] {
  return [...new Set(values.flatMap((value) => value.split(/[,\s]+/)).map((id) => id.trim()).filter(Boolean))];
}

function formatDraft(draft: ArticleDraft, out: string | undefined): string {
  const lines = [
    `Drafted "${draft.title}" (${draft.language}${draft.category ? `, ${draft.category}` : ''}) from ${draft.fromTickets.join(', ')}: ${draft.steps} step(s)`,
  ];
  if (draft.placeholders.length) lines.push(`  fill in or rewrite: ${draft.placeholders.join(', ')}`);
  if (draft.notes.length) lines.push(`  ${draft.notes.length} note(s) for you at the end of the article: what agents did in those tickets`);
  lines.push(`  written to ${out} with draft: true: publish and index skip it until you remove that line`);
  return lines.join('\n') + '\n';
}

/** `draft --from-tickets T-1,T-2 [--out FILE] [--title T] [--force] [--json]`: the markdown on stdout, or written to FILE. */
export async function draftCommand(kb: KnowledgeService, options: { fromTickets: string[]; out?: string; title?: string; force?: boolean; json?: boolean; language: string }, io: Io): Promise<void> {
  const draft = await draftFromTickets(storeOf(kb), ticketIds(options.fromTickets), { language: options.language, ...(options.title ? { title: options.title } : {}) });
  if (options.out) {
    try {
      // Never over a writer's file unless asked: a draft is where their edits go.
      await writeFile(options.out, draft.markdown, { flag: options.force ? 'w' : 'wx', mode: constants.S_IRUSR | constants.S_IWUSR | constants.S_IRGRP | constants.S_IROTH });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new AnswerdeskError('ADK_OPTION_INVALID', { option: '--out', reason: `names ${options.out}, which exists already; pass --force to replace it, or another file` });
      throw new AnswerdeskError('ADK_FILE_UNREADABLE', { file: options.out, reason: `it cannot be written: ${reasonOf(error)}` });
    }
  }
  if (options.json) io.stdout(JSON.stringify({ ...draft, ...(options.out ? { file: options.out } : {}) }) + '\n');
  else io.stdout(options.out ? formatDraft(draft, options.out) : draft.markdown);
}

const where = (source: Source) => describeSource(source);
const quote = (text: string, max = 110) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
const ticketLine = (source: Source) => `ticket ${source.id} — ${source.title}${source.file ? ` (${source.file})` : ''}`;

const UNITS: Record<string, string> = { hours: 'hours', days: 'days', months: 'months', 'working-days': 'working days', percent: 'percentage' };

function formatContradiction(c: Contradiction): string[] {
  const lines = [`  ${where(c.section)}`, `  vs ${ticketLine(c.ticket)}  [similarity ${c.similarity.toFixed(2)}]`];
  for (const fact of c.facts) {
    lines.push(`    ${fact.kind === 'amount' ? `amount (${fact.section.unit})` : (UNITS[fact.section.unit] ?? fact.section.unit)}: the article says "${fact.section.text}": ${quote(fact.section.sentence)}`);
    lines.push(`      the ticket says "${fact.ticket.text}": ${quote(fact.ticket.sentence)}`);
  }
  for (const policy of c.policies) {
    lines.push(`    yes/no (${policy.section.predicate}): the article says ${policy.section.polarity}: ${quote(policy.section.text)}`);
    lines.push(`      the ticket says ${policy.ticket.polarity}: ${quote(policy.ticket.text)}`);
  }
  return lines;
}

export function formatConflicts(report: ConflictReport): string {
  const lines: string[] = [];
  lines.push(report.duplicates.length ? `Duplicates (${report.duplicates.length}): sections of different articles that say nearly the same thing` : 'No duplicate sections.');
  for (const d of report.duplicates) {
    lines.push(`  ${where(d.a)}`, `  ≈ ${where(d.b)}`, `    similarity ${d.similarity.toFixed(2)}, ${Math.round(d.overlap * 100)}% of the shorter one's words in the other`, '');
  }
  if (!report.duplicates.length) lines.push('');
  lines.push(report.contradictions.length ? `Contradictions (${report.contradictions.length}): sections that past tickets on the same topic contradict` : 'No contradictions between sections and past tickets.');
  for (const c of report.contradictions) lines.push(...formatContradiction(c), '');
  lines.push(`(${report.sections} sections and ${report.tickets} tickets compared in ${(report.tookMs / 1000).toFixed(1)} s; what this finds and misses: answerdesk conflicts --help)`);
  return lines.join('\n') + '\n';
}

/** The report as JSON: each fact by its value as written and its sentence (not the terms it was matched on). */
export function conflictsJson(report: ConflictReport): object {
  const fact = (f: Contradiction['facts'][number]['section']) => ({ text: f.text, unit: f.unit, low: f.low, high: f.high, sentence: f.sentence });
  return {
    ...report,
    contradictions: report.contradictions.map((c) => ({
      ...c,
      facts: c.facts.map((f) => ({ kind: f.kind, article: fact(f.section), ticket: fact(f.ticket), shared: f.shared })),
      policies: c.policies.map((p) => ({ predicate: p.section.predicate, article: { polarity: p.section.polarity, text: p.section.text }, ticket: { polarity: p.ticket.polarity, text: p.ticket.text }, shared: p.shared })),
    })),
  };
}

/** `conflicts [--json]`. */
export async function conflictsCommand(kb: KnowledgeService, options: { json?: boolean; minSimilarity?: number }, io: Io): Promise<void> {
  const report = await findConflicts(storeOf(kb), options.minSimilarity !== undefined ? { minTopicSimilarity: options.minSimilarity } : {});
  io.stdout(options.json ? JSON.stringify(conflictsJson(report)) + '\n' : formatConflicts(report));
}
