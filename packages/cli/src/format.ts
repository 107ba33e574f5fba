import type { IndexReport, SearchResult, Source, Suggestion } from '@answerdesk/core';

const LEVEL = { high: 'High', medium: 'Medium', low: 'Low' } as const;

/** `Title › Heading — file#anchor (line N)` or `ticket T-1 — Subject`. */
export function describeSource(source: Source): string {
  if (source.kind === 'ticket') return `ticket ${source.id} — ${source.title}`;
  const where = source.file ? ` — ${source.file}#${source.anchor}${source.line ? ` (line ${source.line})` : ''}` : '';
  const heading = source.heading && source.heading !== source.title ? ` › ${source.heading}` : '';
  return `${source.title}${heading}${where}`;
}

function wrap(text: string, width = 88, indent = '  '): string {
  return text
    .split('\n')
    .map((line) => {
      const words = line.split(/\s+/).filter(Boolean);
      const out: string[] = [];
      let current = '';
      for (const word of words) {
        if (current && current.length + word.length + 1 > width) {
          out.push(current);
          current = word;
        } else current = current ? `${current} ${word}` : word;
      }
      if (current) out.push(current);
      return out.map((l) => indent + l).join('\n');
    })
    .join('\n');
}

export function formatSuggestion(s: Suggestion): string {
  const notes = (s.notes ?? []).map((note) => wrap(`Note: ${note}`));
  if (s.status === 'abstained') {
    return [`No answer found: ${s.reason}`, 'Route this question to an agent, or add an article that answers it.', ...notes].join('\n') + '\n';
  }
  // English questions answered in English (the common case) need no mention of language.
  const marked = s.language !== undefined && (s.needsTranslation || s.language !== 'en');
  const language = marked ? `, in ${s.language}${s.needsTranslation ? ': translate it for the customer' : ''}` : '';
  const lines = [
    `Suggested answer  [${LEVEL[s.confidence.level]} confidence, score ${s.confidence.score.toFixed(2)}${language}]`,
    `Source: ${describeSource(s.source!)} [${s.source!.id}]`,
    ...notes,
    '',
    wrap(s.answer!),
  ];
  if (s.alternatives.length > 0) {
    lines.push('', 'Next best sources:');
    s.alternatives.forEach((alt, i) => lines.push(`  ${i + 2}. ${describeSource(alt.source)} [${LEVEL[alt.confidence.level]} ${alt.confidence.score.toFixed(2)}]`));
  }
  lines.push('', `(${s.tookMs} ms)`);
  return lines.join('\n') + '\n';
}

export function formatSearch(result: SearchResult): string {
  if (result.hits.length === 0) return `No results for "${result.query}".\n`;
  const lines = result.hits.map((hit) => {
    const sim = hit.similarity !== undefined ? ` sim ${hit.similarity.toFixed(2)}` : '';
    return `${String(hit.rank).padStart(2)}. ${describeSource(hit.doc.source)}\n    [${hit.doc.source.id}] score ${hit.score}${sim}`;
  });
  for (const note of result.notes ?? []) lines.push(wrap(`Note: ${note}`));
  lines.push(`(${result.mode}, read as ${result.language.code}, ${result.tookMs} ms)`);
  return lines.join('\n') + '\n';
}

/** Search result as JSON: sources and scores, with a short excerpt instead of whole documents. */
export function searchJson(result: SearchResult): object {
  return {
    query: result.query,
    mode: result.mode,
    language: result.language,
    ...(result.notes ? { notes: result.notes } : {}),
    tookMs: result.tookMs,
    hits: result.hits.map((hit) => ({
      rank: hit.rank,
      id: hit.doc.id,
      score: hit.score,
      ...(hit.similarity !== undefined ? { similarity: hit.similarity } : {}),
      ...(hit.lexicalScore !== undefined ? { lexicalScore: hit.lexicalScore } : {}),
      ...(hit.matched !== undefined ? { matched: hit.matched } : {}),
      category: hit.doc.category,
      language: hit.doc.language,
      source: hit.doc.source,
      excerpt: hit.doc.answer.length > 300 ? hit.doc.answer.slice(0, 297) + '...' : hit.doc.answer,
    })),
  };
}

export function formatReport(report: IndexReport, store: string): string {
  const lines = [
    `Indexed ${report.articles} articles (${report.sections} sections) and ${report.tickets} tickets into ${store}`,
    `  ${report.updated} new or changed, ${report.unchanged} unchanged, ${report.removed} removed; ${report.embedded} passages embedded, ${report.reused} reused from cache (${(report.tookMs / 1000).toFixed(1)} s)`,
  ];
  if (report.trained.length > 0) lines.push(`  categorizers trained from the tickets: ${report.trained.join(', ')} (see \`answerdesk train --help\`)`);
  if (report.errors.length > 0) {
    lines.push(`  ${report.errors.length} problem(s) — these files or rows were skipped, everything else is indexed:`);
    for (const error of report.errors) lines.push(`  ${error.code}: ${error.message}`);
  }
  return lines.join('\n') + '\n';
}
