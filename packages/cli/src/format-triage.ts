import { explainRoute, type BacktestReport, type CategorizerInfo, type Entity, type EntityKind, type LabelPrediction, type TriageResult } from '@answerdesk/core';
import { formatSuggestion } from './format.js';

const LEVEL = { high: 'High', medium: 'Medium', low: 'Low' } as const;
const pct = (value: number | null | undefined) => (value === null || value === undefined ? '—' : `${(value * 100).toFixed(1)}%`);

export function formatPrediction(p: LabelPrediction): string {
  const runnersUp = p.alternatives.map((a) => `${a.label} ${a.probability.toFixed(2)}`).join(', ');
  const basis = p.basis === 'description' ? ', from its description only' : '';
  return `${p.label}  [${LEVEL[p.level]}, p=${p.probability.toFixed(2)}${basis}]${runnersUp ? `  then: ${runnersUp}` : ''}`;
}

/** How the Details line names each kind of detail. */
const ENTITY_LABEL: Record<EntityKind, string> = {
  email: 'e-mail', phone: 'phone', url: 'link', domain: 'domain', order: 'order', ticket: 'ticket', invoice: 'invoice', certificate: 'certificate',
  amount: 'amount', card: 'card ending', date: 'date', name: 'name', address: 'address', iban: 'IBAN', tracking: 'tracking',
};

/** "order BC-4410273, e-mail ann@example.com": each detail once (normalized value), in the order found. */
export function formatEntities(entities: readonly Entity[]): string {
  const seen = new Set<string>();
  const parts: string[] = [];
  for (const entity of entities) {
    const part = `${ENTITY_LABEL[entity.kind] ?? entity.kind} ${entity.value}`;
    if (seen.has(part)) continue;
    seen.add(part);
    parts.push(part);
  }
  return parts.join(', ');
}

export function formatTriage(result: TriageResult): string {
  const lines: string[] = [];
  if (result.id) lines.push(`Message ${result.id}`);
  lines.push(`Category:  ${result.category ? formatPrediction(result.category) : '— (no categorizer trained; run `answerdesk train`)'}`);
  for (const [field, p] of Object.entries(result.labels)) lines.push(`${`${field[0]!.toUpperCase()}${field.slice(1)}:`.padEnd(11)}${formatPrediction(p)}`);
  const why = result.priority.basis === 'model' ? `learned, ${LEVEL[result.priority.level ?? 'low']}` : result.priority.basis === 'cues' ? 'from cues' : 'default';
  lines.push(`Priority:  ${result.priority.priority}  [${why}]${result.priority.cues.length ? `  cues: ${result.priority.cues.join('; ')}` : ''}`);
  lines.push(`Language:  ${result.language.code}  [confidence ${result.language.confidence.toFixed(2)}${result.language.reliable ? '' : ', unreliable'}]`);
  if (result.entities.length > 0) lines.push(`Details:   ${formatEntities(result.entities)}`);
  if (result.route) {
    const r = result.route;
    const where = [r.queue && `queue ${r.queue}`, r.team && `team ${r.team}`, r.line && `line ${r.line}`].filter(Boolean).join(', ');
    lines.push(`Route:     ${where || '(no queue)'}; priority ${r.priority}${r.due ? `; due within ${r.due.within} (${r.due.at})` : ''}`);
    if (r.tags.length) lines.push(`Tags:      ${r.tags.join(', ')}`);
    if (r.notify.length) lines.push(`Notify:    ${r.notify.map((n) => (n.role ? `${n.address} (${n.role})` : n.address)).join(', ')}`);
    lines.push('Why:', ...explainRoute(r).map((line) => `  ${line}`));
  }
  if (result.suggestion) lines.push('', formatSuggestion(result.suggestion).trimEnd());
  return lines.join('\n') + '\n';
}

export function formatTrainInfo(info: CategorizerInfo): string {
  const c = info.calibration;
  const examples = Object.values(info.support).reduce((a, b) => a + b, 0);
  const lines = [`Trained the "${info.field}" categorizer: ${info.labels.length} labels, ${examples} examples, ${(info.trainMs / 1000).toFixed(1)} s.`];
  const zeroShot = info.labels.filter((label) => info.support[label] === 0);
  if (zeroShot.length) lines.push(`From descriptions only (Low confidence until examples exist): ${zeroShot.join(', ')}.`);
  if (c.heldOut === 0) {
    lines.push('Too few labeled examples to calibrate: every prediction is Low confidence. Add labeled tickets (10 or more, 2+ per label).');
  } else {
    lines.push(`Held-out check (${c.heldOut} predictions): accuracy ${pct(c.accuracy)}.`);
    lines.push(c.thresholds.high === null ? 'High confidence: never reached 90% held-out accuracy, so nothing will be High.' : `High confidence (p ≥ ${c.thresholds.high.toFixed(2)}): ${pct(c.high.share)} of messages, ${pct(c.high.accuracy)} right.`);
    if (c.thresholds.medium !== null) lines.push(`Medium (p ≥ ${c.thresholds.medium.toFixed(2)}): ${pct(c.medium.share)} of messages, ${pct(c.medium.accuracy)} right.`);
  }
  return lines.join('\n') + '\n';
}

export function formatBacktest(report: BacktestReport): string {
  const split = report.split.kind === 'folds' ? `${report.split.folds}-fold cross-validation` : `stratified ${Math.round(report.split.testShare * 100)}% test split`;
  const lines = [
    `Backtest of "${report.field}": ${report.examples} labeled messages, ${report.labels} labels, ${split} (seed ${report.split.seed}).`,
    `Accuracy ${pct(report.accuracy)}   macro-F1 ${pct(report.macroF1)}   (${report.count} test messages)`,
    '',
    'Automatic routing by confidence level:',
  ];
  for (const level of ['high', 'medium', 'low'] as const) {
    const o = report.levels[level];
    lines.push(`  ${LEVEL[level].padEnd(7)} ${pct(o.share).padStart(6)} of messages, ${pct(o.accuracy)} right`);
  }
  lines.push('', 'Recall per label (worst first):');
  for (const c of [...report.perClass].sort((a, b) => a.recall - b.recall)) {
    lines.push(`  ${c.label.padEnd(32)} recall ${pct(c.recall).padStart(6)}  precision ${pct(c.precision).padStart(6)}  (${c.support} test)`);
  }
  if (report.confusions.length) {
    lines.push('', 'Most confused (actual → predicted):');
    for (const c of report.confusions) lines.push(`  ${c.actual} → ${c.predicted}: ${c.count}`);
  }
  const verdict =
    report.levels.high.share > 0 && (report.levels.high.accuracy ?? 0) >= 0.9
      ? `History is good enough to route ${pct(report.levels.high.share)} of messages automatically (High), ${pct(report.levels.high.accuracy)} right; send the rest to a person.`
      : 'History is not yet good enough for automatic routing: no confidence level reached 90% accuracy. Label more tickets, merge labels that are confused, or add label descriptions.';
  lines.push('', verdict);
  return lines.join('\n') + '\n';
}
