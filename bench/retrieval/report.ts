import type { AbstainScores, LevelCalibration, RankingScores } from './metrics.js';

/** Markdown table with padded columns, so it reads in a terminal and renders in a README. Pure. */
export function markdownTable(headers: readonly string[], rows: ReadonlyArray<readonly string[]>, align: ReadonlyArray<'l' | 'r'> = []): string {
  const widths = headers.map((h, c) => Math.max(h.length, 3, ...rows.map((r) => (r[c] ?? '').length)));
  const pad = (text: string, c: number) => ((align[c] ?? 'l') === 'r' ? text.padStart(widths[c]!) : text.padEnd(widths[c]!));
  const line = (cells: readonly string[]) => `| ${cells.map((cell, c) => pad(cell, c)).join(' | ')} |`;
  const rule = `| ${widths.map((w, c) => ((align[c] ?? 'l') === 'r' ? `${'-'.repeat(w - 1)}:` : '-'.repeat(w))).join(' | ')} |`;
  return [line(headers), rule, ...rows.map(line)].join('\n');
}

export const fixed = (value: number, digits = 3): string => value.toFixed(digits);
export const percent = (value: number): string => `${(value * 100).toFixed(1)}%`;

export interface SystemRow extends RankingScores {
  name: string;
  msPerQuery: number;
}

export function systemsTable(rows: readonly SystemRow[]): string {
  return markdownTable(
    ['system', 'R@1', 'R@5', 'MRR@10', 'nDCG@10', 'ms/query'],
    rows.map((r) => [r.name, fixed(r.recallAt1), fixed(r.recallAt5), fixed(r.mrrAt10), fixed(r.ndcgAt10), r.msPerQuery.toFixed(2)]),
    ['l', 'r', 'r', 'r', 'r', 'r'],
  );
}

export interface SweepRow {
  abstain: number;
  current: boolean;
  inDomain: AbstainScores;
  outOfDomain: AbstainScores;
}

export function sweepTable(rows: readonly SweepRow[]): string {
  return markdownTable(
    ['abstain cut-off', 'in-domain abstained', 'out-of-domain abstained', 'out-of-domain at High', 'in-domain answers correct', 'in-domain answered & correct'],
    rows.map((r) => [
      `${r.abstain.toFixed(2)}${r.current ? ' (default)' : ''}`,
      percent(r.inDomain.abstainRate),
      percent(r.outOfDomain.abstainRate),
      String(r.outOfDomain.high),
      percent(r.inDomain.answeredCorrectRate ?? 0),
      percent(r.inDomain.correctRate ?? 0),
    ]),
    ['l', 'r', 'r', 'r', 'r', 'r'],
  );
}

export function calibrationTable(rows: readonly LevelCalibration[], cutoffs: { abstain: number; medium: number; high: number }): string {
  const range = { high: `≥ ${cutoffs.high}`, medium: `${cutoffs.medium}–${cutoffs.high}`, low: `${cutoffs.abstain}–${cutoffs.medium}` };
  return markdownTable(
    ['level', 'probability', 'answered', 'correct', 'accuracy', 'stated (mean score)'],
    rows.map((r) => [r.level, range[r.level], String(r.answered), String(r.correct), r.answered ? percent(r.accuracy) : '–', r.answered ? percent(r.stated) : '–']),
    ['l', 'l', 'r', 'r', 'r', 'r'],
  );
}

/** Before and after agents' feedback on the other half: abstention, answers right, and each level's share right against the share it states. */
export function feedbackTable(study: { before: FeedbackSide; steps: ReadonlyArray<FeedbackSide & { questions: number; outOfDomainGiven: number; events: number }> }): string {
  const level = (side: FeedbackSide, name: 'high' | 'medium' | 'low') => {
    const l = side.levels.find((row) => row.level === name);
    return l && l.answered ? `${percent(l.accuracy)} / ${percent(l.stated)} (${l.answered})` : '–';
  };
  const row = (label: string, side: FeedbackSide) => [
    label,
    percent(side.inDomain.abstainRate),
    percent(side.inDomain.answeredCorrectRate ?? 0),
    percent(side.inDomain.correctRate ?? 0),
    level(side, 'high'),
    level(side, 'medium'),
    level(side, 'low'),
    percent(side.outOfDomain.abstainRate),
    String(side.outOfDomain.high),
  ];
  return markdownTable(
    ['', 'in-domain abstained', 'answers correct', 'answered & correct', 'High: right / stated (n)', 'Medium', 'Low', 'out-of-domain abstained', 'out-of-domain at High'],
    [row('before', study.before), ...study.steps.map((step) => row(`after ${step.events} events (${step.questions} questions, ${step.outOfDomainGiven} out-of-domain)`, step))],
    ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
  );
}

interface FeedbackSide {
  inDomain: AbstainScores;
  outOfDomain: AbstainScores;
  levels: readonly LevelCalibration[];
}
