import type { IndexReport, QuestionAnswer, SearchResult, Source, Suggestion } from '@answerdesk/core';
import { nothingToAnswer } from '@answerdesk/core';
import { plainText } from '@answerdesk/reply';

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

/** Plain text for a terminal: long lines wrapped, but a table's aligned columns never re-wrapped. */
function keepColumns(text: string, indent = '  '): string {
  return text
    .split('\n')
    .map((line) => (/\S {2,}\S|^-{2,}/.test(line) ? `${indent}${line}` : wrap(line, 88, indent)))
    .join('\n');
}

/** A shown passage as terminal text: markup gone, lists kept, a table as aligned columns. */
function passageText(answer: QuestionAnswer): string {
  return keepColumns(plainText(answer.answer ?? ''));
}

function confidenceText(answer: QuestionAnswer, queryLanguage?: string): string {
  const marked = answer.language !== undefined && (answer.needsTranslation || answer.language !== 'en');
  const language = marked ? `, in ${answer.language}${answer.needsTranslation ? `: translate it${queryLanguage ? ` into ${queryLanguage}` : ''}` : ''}` : '';
  return `${LEVEL[answer.confidence.level]} confidence, ${Math.round(answer.confidence.score * 100)}% likely right${language}`;
}

function formatAnswer(answer: QuestionAnswer, heading: string, queryLanguage?: string): string[] {
  if (answer.status === 'abstained') return [`${heading}: no answer. ${answer.reason ?? ''}`.trimEnd(), ...likeliest(answer)];
  const lines = [`${heading}  [${confidenceText(answer, queryLanguage)}]`, `Source: ${describeSource(answer.source!)} [${answer.source!.id}]`, '', passageText(answer)];
  if (answer.alternatives.length > 0) {
    lines.push('', 'Other sources:');
    answer.alternatives.forEach((alt, i) => lines.push(`  ${i + 2}. ${describeSource(alt.source)} [${LEVEL[alt.confidence.level]} ${Math.round(alt.confidence.score * 100)}%]`));
  }
  return lines;
}

/** An abstention's best candidate, below the bar: the source an agent would check first. */
function likeliest(answer: QuestionAnswer): string[] {
  return answer.best ? [`Likeliest, below the bar: ${describeSource(answer.best)} [${answer.best.id}] (${Math.round(answer.confidence.score * 100)}%)`] : [];
}

/** A suggestion for a terminal: how the message was read, each question's answer, the reply draft, similar tickets. */
export function formatSuggestion(s: Suggestion): string {
  const lines: string[] = [];
  const reading = s.message;
  if (reading && (reading.text !== s.query.trim() || reading.corrections.length > 0)) {
    lines.push(wrap(`Read as: ${reading.text}`, 88, ''));
    if (reading.corrections.length) lines.push(`Spelling: ${reading.corrections.map((c) => `${c.from} → ${c.to}`).join(', ')}`);
    lines.push('');
  }
  const answers = s.answers ?? [];
  const code = s.queryLanguage?.code;
  if (answers.length > 1) {
    answers.forEach((answer, i) => {
      lines.push(...formatAnswer(answer, `Question ${i + 1}: "${answer.question}"`, code), '');
    });
  } else if (s.status === 'abstained' && s.message && nothingToAnswer(s.message)) {
    // Nothing was searched: there is no article to write, only a reply (or none) to send.
    lines.push(`Nothing to answer: ${s.reason}`, '');
  } else if (s.status === 'abstained') {
    lines.push(`No answer found: ${s.reason}`, ...(answers[0] ? likeliest(answers[0]) : []), 'Route this question to an agent, or add an article that answers it.', '');
  } else if (answers[0]) {
    lines.push(...formatAnswer(answers[0], 'Suggested answer', code), '');
  } else {
    lines.push(`Suggested answer  [${LEVEL[s.confidence.level]} confidence]`, `Source: ${describeSource(s.source!)} [${s.source!.id}]`, '', wrap(s.answer ?? ''), '');
  }
  for (const note of s.notes ?? []) lines.push(wrap(`Note: ${note}`, 88, ''));
  if (s.notes?.length) lines.push('');
  if (s.draft) {
    // An automatic reply or a closing thanks gets no draft, only the note that says why.
    if (s.draft.text) lines.push(`Reply draft (${s.draft.language}${s.draft.needsTranslation ? ', needs translation' : ''}):`, '', keepColumns(s.draft.text, '    '), '');
    else lines.push('No reply draft.', '');
    if (s.draft.placeholders.length) lines.push(`Fill in: ${s.draft.placeholders.join(', ')}`);
    for (const note of s.draft.notes) lines.push(wrap(`For you: ${note}`, 88, ''));
    if (s.draft.placeholders.length || s.draft.notes.length) lines.push('');
  }
  if (s.similarTickets?.length) {
    lines.push('Similar resolved tickets:');
    for (const ticket of s.similarTickets) {
      const when = ticket.createdAt ? `, ${ticket.createdAt.slice(0, 10)}` : '';
      lines.push(`  ${ticket.id} — ${ticket.subject}${ticket.category ? ` (${ticket.category}${when})` : when ? ` (${when.slice(2)})` : ''}`);
    }
    lines.push('');
  }
  lines.push(`(${s.tookMs} ms)`);
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
    `Indexed ${report.articles} articles (${report.sections} sections)${report.templates ? `, ${report.templates} reply templates` : ''}${report.glossaries ? `, ${report.glossaries} glossaries` : ''} and ${report.tickets} tickets into ${store}`,
    `  ${report.updated} new or changed, ${report.unchanged} unchanged, ${report.removed} removed; ${report.embedded} passages embedded, ${report.reused} reused from cache (${(report.tookMs / 1000).toFixed(1)} s)`,
  ];
  if (report.drafts?.length) lines.push(`  ${draftsLine(report.drafts)}`);
  if (report.trained.length > 0) lines.push(`  categorizers trained from the tickets: ${report.trained.join(', ')} (see \`answerdesk train --help\`)`);
  if (report.errors.length > 0) {
    lines.push(`  ${report.errors.length} problem(s) — these files or rows were skipped, everything else is indexed:`);
    for (const error of report.errors) lines.push(`  ${error.code}: ${error.message}`);
  }
  return lines.join('\n') + '\n';
}

/** Ids or files, at most `max` of them named. Pure. */
export const list = (ids: readonly string[], max = 8) => (ids.length > max ? `${ids.slice(0, max).join(', ')} … (+${ids.length - max})` : ids.join(', '));

/** Drafts left out, as `publish` and `index` say it. */
export function draftsLine(drafts: ReadonlyArray<{ file: string }>): string {
  return `skipped ${drafts.length} draft(s), not published until "draft: true" is removed from their front matter: ${list(drafts.map((d) => d.file))}`;
}
