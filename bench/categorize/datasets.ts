/**
 * Loaders: each dataset becomes one or more classification tasks with a fixed
 * train/test split, made the way the dataset's README asks (shared/datasets/<name>/README.md).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { stratifiedSplit } from '@answerdesk/triage';
import { squash, templateKey } from '../retrieval/datasets.js';

/** One labeled message. */
export interface Example {
  text: string;
  label: string;
  language?: string;
}

/** Test items reported on their own (a language; rows with no templated twin in train). Indices into `test`. */
export interface Subset {
  name: string;
  indices: number[];
}

/** One classification task: a label field of a dataset, with its split. */
export interface Task {
  key: string;
  /** Key of the dataset the texts come from: tasks of one dataset share one set of vectors. */
  dataset: string;
  title: string;
  field: string;
  /** How the split was made, in one paragraph (printed above the table, stored in the JSON). */
  protocol: string;
  train: Example[];
  test: Example[];
  subsets: Subset[];
  counts: Record<string, number>;
  notes: string[];
}

const TEST_SHARE = 0.2;

const readCsv = async <T>(file: string): Promise<T[]> =>
  parse(await readFile(file, 'utf8'), { columns: true, skip_empty_lines: true, bom: true }) as T[];

const distinct = (values: readonly string[]): number => new Set(values).size;

/**
 * Identity of a text for duplicate grouping: case, whitespace and punctuation
 * do not make a new message ("Cancel my order!" ≡ "cancel my order"). Pure.
 */
export function duplicateKey(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}

/** Most frequent value; ties go to the first in sort order, so the result does not depend on row order. Pure. */
export function majority(values: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]![0];
}

/**
 * Stratified split in which rows sharing a group key always land on the same
 * side: the groups are split with triage's own `stratifiedSplit` (each group
 * stratified by its majority label), then expanded back to rows. Without it a
 * duplicated text could be trained on and tested on, which measures recall of
 * the training set rather than generalisation. Pure.
 */
export function groupedStratifiedSplit(labels: readonly string[], groups: readonly string[], testShare: number, seed: number): { train: number[]; test: number[] } {
  const rowsOf = new Map<string, number[]>();
  groups.forEach((group, row) => {
    const rows = rowsOf.get(group);
    if (rows) rows.push(row);
    else rowsOf.set(group, [row]);
  });
  const members = [...rowsOf.values()];
  const split = stratifiedSplit(members.map((rows) => majority(rows.map((row) => labels[row]!))), testShare, seed);
  const expand = (picked: number[]) => picked.flatMap((g) => members[g]!).sort((a, b) => a - b);
  return { train: expand(split.train), test: expand(split.test) };
}

/** Per-label counts, most frequent first (for the protocol line and the JSON). Pure. */
export function labelCounts(examples: readonly Example[]): Record<string, number> {
  const counts = new Map<string, number>();
  for (const e of examples) counts.set(e.label, (counts.get(e.label) ?? 0) + 1);
  return Object.fromEntries([...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)));
}

// ------------------------------------------------------------------ BANKING77

export async function loadBanking77(dir: string): Promise<Task> {
  const read = async (file: string) =>
    (await readCsv<{ text: string; category: string }>(path.join(dir, file))).map((row) => ({ text: squash(row.text), label: row.category }));
  const train = await read('train.csv');
  const test = await read('test.csv');
  const trainKeys = new Set(train.map((e) => duplicateKey(e.text)));
  const overlap = test.filter((e) => trainKeys.has(duplicateKey(e.text))).length;
  return {
    key: 'banking77',
    dataset: 'banking77',
    title: 'BANKING77 intent',
    field: 'intent',
    protocol: `The official split: train.csv (${train.length} queries) → test.csv (${test.length}, 40 per intent), ${distinct(train.map((e) => e.label))} intents. Nothing is tuned on test: the only choice made from data (kNN's k) uses a validation split of train.`,
    train,
    test,
    subsets: [],
    counts: { train: train.length, test: test.length, labels: distinct(train.map((e) => e.label)), testTextsAlsoInTrain: overlap },
    notes: overlap ? [`${overlap} test queries also occur in train (case, spacing and punctuation ignored); kept, as in the official split.`] : [],
  };
}

// ------------------------------------------------------------------ Bitext

interface BitextRow {
  instruction: string;
  intent: string;
  category: string;
  entity_value: string;
}

/** Intent (27-way) and category (11-way) tasks over one grouped, stratified 80/20 split. */
export async function loadBitext(file: string, seed: number): Promise<Task[]> {
  const rows = await readCsv<BitextRow>(file);
  const texts = rows.map((row) => squash(row.instruction));
  // Stratified by intent: every intent lies inside one category, so categories are stratified too.
  const split = groupedStratifiedSplit(rows.map((row) => row.intent), texts.map(duplicateKey), TEST_SHARE, seed);
  const groups = distinct(texts.map(duplicateKey));
  // Templated variants ("cancel order 123" / "cancel order 456") are near-duplicates the grouping above does not
  // catch (the entity value differs); the test rows with no such twin in train are reported as a subset.
  const trainTemplates = new Set(split.train.map((i) => templateKey(rows[i]!.instruction, rows[i]!.entity_value)));
  const novel = split.test.flatMap((i, t) => (trainTemplates.has(templateKey(rows[i]!.instruction, rows[i]!.entity_value)) ? [] : [t]));
  const task = (field: 'intent' | 'category'): Task => {
    const pick = (indices: number[]) => indices.map((i) => ({ text: texts[i]!, label: rows[i]![field] }));
    const train = pick(split.train);
    const test = pick(split.test);
    return {
      key: `bitext-${field}`,
      dataset: 'bitext',
      title: `Bitext ${field}`,
      field,
      protocol: `Bitext_Sample_Customer_Support_Training_Dataset.csv, text = instruction, label = ${field} (${distinct(train.map((e) => e.label))} classes). ${rows.length} rows in ${groups} groups of identical text (case, spacing and punctuation ignored); the groups are split 80/20 stratified by intent with seed ${seed}, so no text is on both sides: ${train.length} train, ${test.length} test.`,
      train,
      test,
      subsets: [{ name: 'no templated twin in train', indices: novel }],
      counts: { rows: rows.length, duplicateGroups: groups, train: train.length, test: test.length, labels: distinct(train.map((e) => e.label)), testWithoutTemplatedTwin: novel.length },
      notes: [
        `${split.test.length - novel.length} of ${split.test.length} test instructions are templated variants of a train instruction (same text once case, digits and the entity value are ignored); the "no templated twin in train" subset leaves them out.`,
      ],
    };
  };
  return [task('intent'), task('category')];
}

// ------------------------------------------------------------------ multilingual tickets

interface TicketRow {
  subject: string;
  body: string;
  queue: string;
  priority: string;
  language: string;
}

/** Languages of the file, reported in this order. */
export const TICKET_LANGUAGES = ['en', 'de', 'es', 'pt', 'fr'] as const;

/** Subject and body as one message; many tickets have no subject. Pure. */
export const ticketText = (subject: string, body: string): string => [subject.trim(), body.trim()].filter(Boolean).join('\n');

/** Queue (10-way) and priority (3-way) tasks; each split 80/20 stratified by language × label, so every language has its share of each label in test. */
export async function loadTickets(file: string, seed: number): Promise<Task[]> {
  const rows = await readCsv<TicketRow>(file);
  const examples = rows.map((row) => ({ text: ticketText(row.subject, row.body), language: row.language }));
  const task = (field: 'queue' | 'priority'): Task => {
    const split = stratifiedSplit(rows.map((row) => `${row.language}|${row[field]}`), TEST_SHARE, seed);
    const pick = (indices: number[]) => indices.map((i) => ({ ...examples[i]!, label: rows[i]![field] }));
    const train = pick(split.train);
    const test = pick(split.test);
    const subsets = TICKET_LANGUAGES.map((language) => ({ name: language, indices: test.flatMap((e, t) => (e.language === language ? [t] : [])) }));
    return {
      key: `tickets-${field}`,
      dataset: 'tickets',
      title: `Multilingual tickets ${field}`,
      field,
      protocol: `dataset-tickets-multi-lang3-4k.subset.csv (${rows.length} synthetic tickets in ${TICKET_LANGUAGES.join(', ')}), text = subject + "\\n" + body, label = ${field} (${distinct(train.map((e) => e.label))} classes). Split 80/20 stratified by language × ${field} with seed ${seed}: ${train.length} train, ${test.length} test. One model for all languages; scores per language are over that language's test tickets.`,
      train,
      test,
      subsets,
      counts: { rows: rows.length, train: train.length, test: test.length, labels: distinct(train.map((e) => e.label)), ...Object.fromEntries(subsets.map((s) => [`test_${s.name}`, s.indices.length])) },
      notes: [
        'USE-lite is an English model; in the other languages the embedding sees mostly sub-word pieces, and the lexical features carry more of the weight.',
        'Labels with one ticket in a language × label cell (e.g. Human Resources) are never in test; macro-F1 averages over the labels present in the test tickets scored.',
      ],
    };
  };
  return [task('queue'), task('priority')];
}
