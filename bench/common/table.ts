/** Plain-text tables and small statistics shared by the benchmarks. */

export type Cell = string | number | undefined;

/** A table with a header row, columns aligned (numbers to the right), as printed to stdout. */
export function table(header: readonly string[], rows: ReadonlyArray<readonly Cell[]>): string {
  const text = rows.map((row) => header.map((_h, i) => cellText(row[i])));
  const numeric = header.map((_h, i) => rows.length > 0 && rows.every((row) => row[i] === undefined || typeof row[i] === 'number' || /^[\d.,%\s/()+-]+$/.test(String(row[i]))));
  const widths = header.map((h, i) => Math.max(h.length, ...text.map((row) => row[i]!.length)));
  const line = (cells: readonly string[]) => cells.map((cell, i) => (numeric[i] ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...text.map(line)].join('\n');
}

function cellText(cell: Cell): string {
  if (cell === undefined) return '–';
  if (typeof cell === 'number') return Number.isInteger(cell) ? String(cell) : cell.toFixed(3);
  return cell;
}

/** `n/d` as a percentage with one decimal, or '–' when there is nothing to divide. */
export function pct(n: number, d: number): string {
  return d === 0 ? '–' : `${((100 * n) / d).toFixed(1)}%`;
}

/** Share n/d in [0, 1], or null when d is 0 (kept as null in JSON). */
export function share(n: number, d: number): number | null {
  return d === 0 ? null : Math.round((n / d) * 10000) / 10000;
}

export function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length;
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
