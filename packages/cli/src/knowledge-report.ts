// For writers: `gaps` (what customers ask that the knowledge base fails to answer) and `report`
// (how each article section did with agents), both from the question log and agents' feedback.
import { sinceTime, type KnowledgeGap, type KnowledgeService, type SectionPerformance } from '@answerdesk/core';
import { describeSource } from './format.js';
import type { Io } from './io.js';

const outcomeWords: Record<string, string> = { abstained: 'left open', rejected: 'answer rejected', edited: 'answer heavily edited' };

export function formatGaps(gaps: readonly KnowledgeGap[], since: string | undefined): string {
  const span = since ? ` since ${since.slice(0, 10)}` : '';
  if (gaps.length === 0) return `No knowledge gaps${span}: no topic was asked about twice and left open, rejected or heavily edited.\n`;
  const lines = [`${gaps.length} knowledge gap(s)${span}, most asked first:`, ''];
  gaps.forEach((gap, i) => {
    const how = Object.entries(gap.outcomes)
      .map(([outcome, n]) => `${n} ${outcomeWords[outcome] ?? outcome}`)
      .join(', ');
    lines.push(`${i + 1}. ${gap.title}`);
    lines.push(`   asked ${gap.count} times (${how}), ${gap.firstAt.slice(0, 10)} – ${gap.lastAt.slice(0, 10)}${gap.keywords.length ? `; words: ${gap.keywords.join(', ')}` : ''}`);
    for (const example of gap.examples) lines.push(`   · "${example.length > 120 ? `${example.slice(0, 119)}…` : example}"`);
    lines.push(gap.nearest.length ? `   nearest articles: ${gap.nearest.map(describeSource).join('; ')}` : '   no article is near it');
    lines.push('');
  });
  return lines.join('\n');
}

export function formatPerformance(sections: readonly SectionPerformance[], since: string | undefined): string {
  const span = since ? ` since ${since.slice(0, 10)}` : '';
  if (sections.length === 0) return `No article section was shown or got feedback${span}.\n`;
  const header = ['shown', 'sent', 'edited', 'rejected', 'picked', 'sent %'];
  const rows = sections.map((s) => [String(s.shown), String(s.sent), String(s.edited), String(s.rejected), String(s.picked), s.sentShare === undefined ? '–' : `${Math.round(s.sentShare * 100)}%`]);
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const cells = (r: string[]) => r.map((cell, c) => cell.padStart(widths[c]!)).join('  ');
  const lines = [`Article sections${span}, most shown first (sent %: sent as it was, of the times agents acted on it):`, '', `${cells(header)}  section`];
  sections.forEach((s, i) => lines.push(`${cells(rows[i]!)}  ${describeSource(s.source)}`));
  return lines.join('\n') + '\n';
}

export async function gapsCommand(kb: KnowledgeService, options: { since?: string; min?: number; similarity?: number; limit?: number; json?: boolean }, io: Io): Promise<void> {
  const since = options.since ? sinceTime(options.since) : undefined;
  const gaps = await kb.gaps({ ...(since ? { since } : {}), ...(options.min ? { minCount: options.min } : {}), ...(options.similarity ? { similarity: options.similarity } : {}), ...(options.limit ? { limit: options.limit } : {}) });
  io.stdout(options.json ? JSON.stringify({ ...(since ? { since } : {}), gaps }) + '\n' : formatGaps(gaps, since));
}

export async function reportCommand(kb: KnowledgeService, options: { since?: string; json?: boolean }, io: Io): Promise<void> {
  const since = options.since ? sinceTime(options.since) : undefined;
  const sections = await kb.performance(since ? { since } : {});
  io.stdout(options.json ? JSON.stringify({ ...(since ? { since } : {}), sections }) + '\n' : formatPerformance(sections, since));
}
