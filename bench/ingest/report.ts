/** Markdown tables of the ingestion benchmark. Pure. */
import { markdownTable } from '../retrieval/report.js';
import { mib, type CpuReport } from './measure.js';
import type { BareResult, PipelineResult, PublishResult, TicketResult } from './tasks.js';

/** Other processes kept at least this many cores busy on average: the timing is flagged. */
export const BUSY_CORES = 0.25;

const seconds = (ms: number) => (ms >= 100_000 ? `${(ms / 1000).toFixed(0)} s` : ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(ms >= 100 ? 0 : 1)} ms`);
const rate = (count: number, ms: number) => (ms > 0 ? (count / (ms / 1000)).toFixed(count / (ms / 1000) >= 100 ? 0 : 1) : '–');
const size = (bytes: number) => (bytes >= 2 ** 30 ? `${(bytes / 2 ** 30).toFixed(2)} GiB` : `${mib(bytes).toFixed(mib(bytes) >= 100 ? 0 : 1)} MiB`);
const count = (n: number) => n.toLocaleString('en-US');
/** "0.05 (idle)" or "1.10 ⚠ busy": cores used by other processes during the measurement. */
export const other = (cpu: CpuReport) => `${cpu.otherCores.toFixed(2)}${cpu.otherCores >= BUSY_CORES ? ' ⚠ busy' : ''}`;
/** A row's size and store: "100,000 (sqlite)". */
const sizeAndStore = (r: TicketResult) => `${count(r.tickets)} (${r.storeKind})`;

export function ticketTable(rows: readonly TicketResult[]): string {
  return markdownTable(
    ['tickets (store)', 'passages', 'embedded', 'wall', 'passages/s', 'tickets/s', 'peak RSS (sampled)', 'maxRSS', 'heap used after', 'store on disk', 'other cores busy'],
    rows.map((r) => [
      sizeAndStore(r),
      count(r.index.passages),
      count(r.index.embedded),
      seconds(r.index.wallMs),
      rate(r.index.embedded, r.index.wallMs),
      rate(r.tickets, r.index.wallMs),
      size(r.index.rss.peakBytes),
      size(r.index.maxRssBytes),
      size(r.index.memoryAfter.heapUsed),
      size(r.storeBytes),
      other(r.index.cpu),
    ]),
    ['r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
  );
}

export function phaseTable(rows: readonly TicketResult[]): string {
  return markdownTable(
    ['tickets (store)', 'wall', 'encoder', 'index (HNSW + lexical; SQLite: the transaction)', 'save snapshot', 'other (read, parse, passages, hashes)', 'encoder passages/s'],
    rows.map((r) => {
      const p = r.index.phases;
      return [sizeAndStore(r), seconds(p.wallMs), seconds(p.encoderMs), seconds(p.indexMs), seconds(p.saveMs), seconds(p.otherMs), rate(r.index.embedded, p.encoderMs)];
    }),
    ['r', 'r', 'r', 'r', 'r', 'r', 'r'],
  );
}

/** Documents in the lexical index's open (unsealed) segment after the writes: a search after a write rebuilds its lunr index. */
export function writeTable(rows: readonly TicketResult[]): string {
  return markdownTable(
    ['store size (tickets)', 'addTickets 1 new (median of 3)', 'addTickets 1 unchanged (median of 3)', 'first suggest after the writes', 'suggest (median of 5)'],
    rows.map((r) => [
      sizeAndStore(r),
      seconds(r.writes.singleTicketMedianMs),
      seconds(r.writes.unchangedTicketMedianMs),
      seconds(r.writes.firstSuggestAfterWriteMs),
      seconds(r.writes.suggestMedianMs),
    ]),
    ['r', 'r', 'r', 'r', 'r'],
  );
}

export function reopenTable(rows: readonly TicketResult[]): string {
  return markdownTable(
    ['store', 'encoder load', 'KnowledgeBase.open (store)', 'RSS after open', 'addTickets 100 new', 'embedded', 'first suggest', 'second suggest', 'other cores busy'],
    rows.map((r) => {
      const o = r.reopen!;
      return [`${sizeAndStore(r)} tickets, ${size(r.storeBytes)}`, seconds(o.encoderLoadMs), seconds(o.openMs), size(o.rssAfterOpen), seconds(o.addTickets.ms), count(o.addTickets.embedded), seconds(o.firstSuggestMs), seconds(o.secondSuggestMs), other(o.cpu)];
    }),
    ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
  );
}

export function publishTable(r: PublishResult): string {
  return markdownTable(
    ['step', 'method', 'wall', 'sections added/changed', 'passages embedded', 'encoder', 'index', 'other (read, parse, diff, log)', 'other cores busy'],
    r.steps.map((s) => [
      s.step,
      r.method,
      seconds(s.ms),
      s.updated === undefined ? '–' : count(s.updated),
      Number.isNaN(s.embedded) ? '–' : count(s.embedded),
      seconds(s.phases.encoderMs),
      seconds(s.phases.indexMs),
      seconds(s.phases.otherMs + s.phases.saveMs),
      other(s.cpu),
    ]),
    ['l', 'l', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
  );
}

export function throughputTable(bare: BareResult, pipeline: PipelineResult): string {
  return markdownTable(
    ['run', 'tickets', 'passages embedded', 'wall', 'tickets/s', 'passages/s', 'other cores busy'],
    [
      ['bare encoder: embedPassages(distinct passages)', count(pipeline.tickets), count(bare.texts), seconds(bare.ms), rate(pipeline.tickets, bare.ms), rate(bare.texts, bare.ms), other(bare.cpu)],
      ['pipeline: kb.addTickets(tickets), fresh store', count(pipeline.tickets), count(pipeline.embedded), seconds(pipeline.ms), rate(pipeline.tickets, pipeline.ms), rate(pipeline.embedded, pipeline.ms), other(pipeline.cpu)],
    ],
    ['l', 'r', 'r', 'r', 'r', 'r', 'r'],
  );
}

export { seconds, size, count };
