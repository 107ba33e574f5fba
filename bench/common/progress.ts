/**
 * Progress lines for a person watching the run: only when stderr is a
 * terminal and `CI` is unset, never on stdout (which holds the tables), so
 * CI logs and redirected output stay clean. Shared by every benchmark.
 */

const showProgress = Boolean(process.stderr.isTTY) && !process.env.CI;
let lastDrawn = 0;

export function progress(message: string, done?: number, total?: number): void {
  if (!showProgress) return;
  const now = Date.now();
  // Redrawing thousands of times a second slows the run down; 10 times a second is plenty.
  if (done !== undefined && total !== undefined && done < total && now - lastDrawn < 100) return;
  lastDrawn = now;
  const count = done !== undefined && total !== undefined ? ` ${done}/${total}` : '';
  process.stderr.write(`\r\x1b[2K${message}${count}`);
}

export function progressDone(): void {
  if (showProgress) process.stderr.write('\r\x1b[2K');
}
