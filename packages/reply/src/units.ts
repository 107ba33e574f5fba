// A section's markdown → the units an answer can be made of. Pure.
import type { RootContent, Paragraph, PhrasingContent, List, ListItem, Blockquote, Table, Code } from 'mdast';
import type { AnswerUnit, UnitKind } from './types.js';
import { parseMarkdown, inlineText, tableData } from './plain.js';
import { sentenceSpans, words, type Span } from './text.js';

/** Blocks that become units; headings, raw HTML, rules and definitions never do. */
type ContentBlock = Paragraph | List | Table | Code | Blockquote;
const isContent = (node: RootContent): node is ContentBlock =>
  node.type === 'paragraph' || node.type === 'list' || node.type === 'table' || node.type === 'code' || node.type === 'blockquote';
/** What a lead-in can introduce. */
const introducible = (node: RootContent | undefined): boolean => node !== undefined && (node.type === 'list' || node.type === 'table' || node.type === 'code');

// A sentence that announces what comes next. Only the last sentence of a paragraph is tested:
// "Items below 10 € ship free. Returns are easy." introduces nothing.
const INTRODUCES = words(
  [
    String.raw`below|the following|these steps|as follows|here's how|here is how|like this`,
    String.raw`seguent[ei]|qui sotto|di seguito|come segue|questi passaggi|ecco come`,
    String.raw`folgende[nrs]?|unten|wie folgt|nachstehend|diese schritte|so geht's|so geht es`,
    String.raw`ниже|следующ\p{L}*|вот как|эти шаги`,
  ].join('|'),
);

/** Does this paragraph introduce the block after it? It ends with ':' or says "below", "the following"… */
export function introduces(text: string): boolean {
  const trimmed = text.trim();
  if (/:\s*$/.test(trimmed)) return true;
  const spans = sentenceSpans(trimmed);
  const last = spans[spans.length - 1];
  return last !== undefined && INTRODUCES.test(trimmed.slice(last.start, last.end));
}

// Phrases of a sentence whose whole content sends the reader elsewhere. Each is anchored at the
// start of the sentence, after at most one leading clause ("For how long each method takes, see…",
// "If your parcel is damaged, see…"), so "Choose how to send them back (see below)." is not one.
const LEADING_CLAUSE = String.raw`(?:[^.!?;:]{1,120}?,\s*)?`;
const ELSEWHERE = [
  // English
  String.raw`^${LEADING_CLAUSE}(?:please\s+)?(?:see|read|check(?:\s+out)?|visit|refer\s+to|consult|follow|go\s+through|(?:have|take)\s+a\s+look\s+at|look\s+at)\b.*\b(?:articles?|guides?|sections?|faqs?|tutorials?|documentation|help\s+cent(?:re|er)|below|above|following)\b`,
  String.raw`^(?:this|the\s+following|the\s+next|our)\s+(?:article|guide|page|section|video)\s+(?:explains|describes|covers|shows|lists|tells|walks|is\s+about|helps|answers|gives|sets\s+out)\b`,
  String.raw`^more\s+(?:on|about)\s+[^.]{0,80}?\b(?:in|at|below|on)\b`,
  String.raw`^(?:you(?:'ll|\s+will|\s+can)\s+find|find\s+out|learn|read|get)\s+more\b`,
  String.raw`^(?:for\s+)?(?:more|further|full)\s+(?:details|information|info|help)\b[^.]*\b(?:articles?|guides?|sections?|below|above|see|read)\b`,
  String.raw`^[^.]{0,120}\b(?:is|are)\s+(?:explained|described|covered|listed)\s+(?:in\s+(?:our|the|this|a|another)\s+(?:article|guide|section)|below|above)\b`,
  // Italian
  String.raw`^${LEADING_CLAUSE}(?:vedi|veda|consulta|consulti|leggi|legga|guarda|segui|segua)\b.*(?:articol|guid|sezion|qui\s+sotto|sotto|sopra|seguent|di\s+seguito|faq)`,
  String.raw`^(?:in\s+)?quest[oa']\s*(?:articolo|guida|pagina|sezione)\s+(?:spiega|descrive|illustra|mostra|elenca|tratta|vedremo|trovi|ti\s+spieghiamo)`,
  String.raw`^(?:per\s+)?(?:maggiori|ulteriori|altre|più)\s+(?:informazioni|dettagli|info)\b`,
  String.raw`^(?:per\s+saperne\s+di\s+più|trovi\s+(?:maggiori|più|tutti|tutte))`,
  // German
  String.raw`^${LEADING_CLAUSE}(?:siehe|sehen\s+sie|lesen\s+sie|lies|schauen\s+sie|folgen\s+sie|gehen\s+sie)\b.*(?:artikel|anleitung|abschnitt|unten|oben|folgend|hilfe|faq)`,
  String.raw`^(?:in\s+)?(?:dieser|diese|dieses|diesem)\s+(?:artikel|anleitung|abschnitt|seite)\s+(?:erklärt|erklären|beschreibt|zeigt|zeigen|erfahren|listet|behandelt)`,
  String.raw`^(?:mehr|weitere)\s+(?:dazu|darüber|informationen|details|infos|hinweise)\b`,
  String.raw`^(?:details|einzelheiten|infos)\s+(?:dazu\s+)?(?:finden\s+sie\s+)?(?:unten|im|in|weiter)\b`,
  // Russian
  String.raw`^${LEADING_CLAUSE}(?:см\.|смотрите|посмотрите|прочитайте|прочтите|читайте|ознакомьтесь|обратитесь\s+к|выполните\s+проверки).*(?:стать|инструкц|раздел|ниже|выше|следующ|справк)`,
  String.raw`^(?:в\s+)?(?:эт(?:ой|а|ом|от|у))\s+(?:стать|инструкц|раздел|руководств)\S*\s+(?:объясня|описыва|рассказыва|показыва|перечисл|описан|рассказ|объясн)`,
  String.raw`^(?:подробн(?:ее|ости)|больше\s+(?:информации|о\s)|дополнительн\S*\s+(?:информаци|сведени))`,
].map((source) => new RegExp(source, 'iu'));

/** Does this sentence only send the reader elsewhere ("See our article on refund timelines.")? */
export function refersElsewhere(sentence: string): boolean {
  const text = sentence.replace(/\s+/g, ' ').trim();
  if (text === '') return false;
  return ELSEWHERE.some((pattern) => pattern.test(text));
}

/** A paragraph (or list item) made of links only: a list of related articles. */
function onlyLinks(nodes: readonly PhrasingContent[]): boolean {
  const links = nodes.filter((node) => node.type === 'link' || node.type === 'linkReference');
  const rest = nodes.filter((node) => node.type !== 'link' && node.type !== 'linkReference');
  return links.length > 0 && rest.every((node) => node.type === 'text' && /^[\s.,;:–—\-|·•]*$/.test(node.value));
}

interface Sentence {
  markdown: string;
  text: string;
}

/**
 * A paragraph's sentences. Segmenting its markdown (not its plain text) keeps each sentence's
 * markdown exact; a break inside a link, code span or emphasis is not a break.
 */
function paragraphSentences(paragraph: Paragraph, source: string): Sentence[] {
  const base = paragraph.position!.start.offset!;
  const markdown = source.slice(base, paragraph.position!.end.offset!);
  const keepWhole: Span[] = paragraph.children
    .filter((node) => node.type !== 'text')
    .map((node) => ({ start: node.position!.start.offset! - base, end: node.position!.end.offset! - base }));
  return sentenceSpans(markdown, undefined, keepWhole).map((span) => ({
    markdown: markdown.slice(span.start, span.end),
    text: spanText(paragraph.children, base, span).replace(/\s+/g, ' ').trim(),
  }));
}

/** Plain text of the inline nodes inside a span of the paragraph's markdown. */
function spanText(nodes: readonly PhrasingContent[], base: number, span: Span): string {
  let out = '';
  for (const node of nodes) {
    const start = node.position!.start.offset! - base;
    const end = node.position!.end.offset! - base;
    if (end <= span.start || start >= span.end) continue;
    if (node.type === 'text' && node.value.length === end - start) {
      // Only text nodes are ever cut by a sentence boundary; their value maps 1:1 when nothing was escaped.
      out += node.value.slice(Math.max(0, span.start - start), Math.min(node.value.length, span.end - start));
    } else if (start >= span.start || node.type !== 'text') {
      out += inlineText([node]);
    }
  }
  return out;
}

function itemText(item: ListItem): string {
  return item.children
    .map((child) => (child.type === 'list' ? listText(child) : child.type === 'paragraph' ? inlineText(child.children) : blockPlain(child)))
    .map((text) => text.replace(/[ \t]*\n[ \t]*/g, (m) => (m.includes('\n') ? '\n' : m)).trim())
    .filter(Boolean)
    .join('\n');
}

function listText(list: List): string {
  return list.children.map(itemText).join('\n');
}

function blockPlain(node: RootContent): string {
  switch (node.type) {
    case 'paragraph':
      return inlineText(node.children).replace(/\s*\n\s*/g, ' ').trim();
    case 'list':
      return listText(node);
    case 'code':
      return node.value;
    case 'table': {
      const { header, rows } = tableData(node);
      // One line per row, each cell named by its column: "Item: Gift certificates; Why: Work like cash".
      return rows.map((row) => row.map((cell, i) => (header[i] ? `${header[i]}: ${cell}` : cell)).join('; ')).join('\n');
    }
    case 'blockquote':
      return node.children.map(blockPlain).filter(Boolean).join('\n');
    default:
      return '';
  }
}

/** Every item only points elsewhere (a list of related articles, "see …" items). */
function listPointsElsewhere(list: List): boolean {
  return list.children.every((item) =>
    item.children.every((child) =>
      child.type === 'paragraph' ? onlyLinks(child.children) || refersElsewhere(inlineText(child.children)) : child.type === 'list' && listPointsElsewhere(child),
    ),
  );
}

/**
 * The units of one section's markdown, in reading order. Paragraphs, lists ("steps" when ordered),
 * tables, code blocks and quotes are units; a list, steps or table is always whole. A paragraph
 * that introduces the list, table or code right after it becomes that unit's `leadIn`. Each
 * sentence of a paragraph of 3 or more sentences is also a unit (`parent` = the paragraph), so a
 * long paragraph can be narrowed to the sentence that answers; so is each of two sentences when
 * one of them only points elsewhere, so that it is shown without it.
 */
export function answerUnits(markdown: string): AnswerUnit[] {
  const source = markdown.replace(/\r\n?/g, '\n');
  const blocks = parseMarkdown(source).children.filter(isContent);
  const units: AnswerUnit[] = [];
  const slice = (from: RootContent, to: RootContent) => source.slice(from.position!.start.offset!, to.position!.end.offset!);
  const add = (unit: Omit<AnswerUnit, 'index'>): AnswerUnit => {
    // Absent fields stay absent rather than undefined, so units compare and serialise cleanly.
    const out = { index: units.length, ...unit } as AnswerUnit;
    for (const key of ['leadIn', 'table', 'parent'] as const) if (out[key] === undefined) delete out[key];
    units.push(out);
    return out;
  };

  for (let i = 0; i < blocks.length; i++) {
    const block = blocks[i]!;
    const next = blocks[i + 1];
    if (block.type === 'paragraph') {
      const text = blockPlain(block);
      // Adjacent in the source too: a heading or HTML between them would break the link.
      if (introducible(next) && adjacent(block, next!, source) && introduces(text)) {
        addBlock(next!, block);
        i++;
        continue;
      }
      if (text === '') continue;
      const sentences = paragraphSentences(block, source);
      // Each sentence is tested once: the answer serves the paragraph and its sentence units alike.
      const elsewhere = sentences.map((sentence) => refersElsewhere(sentence.text));
      const pointing = onlyLinks(block.children) || (sentences.length > 0 && elsewhere.every(Boolean));
      const paragraph = add({ kind: 'paragraph', markdown: slice(block, block), text, pointsElsewhere: pointing });
      // Two sentences, one of them a pointer ("… This article tells you where to find each."): units too, so it can be left out.
      if (sentences.length >= 3 || (sentences.length === 2 && elsewhere.some(Boolean) && !pointing)) {
        sentences.forEach((sentence, n) => add({ kind: 'sentence', markdown: sentence.markdown, text: sentence.text, pointsElsewhere: elsewhere[n]!, parent: paragraph.index }));
      }
      continue;
    }
    addBlock(block, undefined);
  }
  return units;

  function addBlock(block: ContentBlock, leadIn: Paragraph | undefined): void {
    const lead = leadIn ? blockPlain(leadIn) : undefined;
    const body = blockPlain(block);
    const text = [lead, body].filter(Boolean).join('\n');
    if (text === '') return;
    const markdown = slice(leadIn ?? block, block);
    const leadMarkdown = leadIn ? slice(leadIn, leadIn) : undefined;
    if (block.type === 'list') {
      const kind: UnitKind = block.ordered ? 'steps' : 'list';
      add({ kind, markdown, text, leadIn: leadMarkdown, pointsElsewhere: listPointsElsewhere(block) });
    } else if (block.type === 'table') {
      add({ kind: 'table', markdown, text, leadIn: leadMarkdown, pointsElsewhere: false, table: tableData(block) });
    } else if (block.type === 'code') {
      add({ kind: 'code', markdown, text, leadIn: leadMarkdown, pointsElsewhere: false });
    } else if (block.type === 'blockquote') {
      const inner = block.children.filter((child): child is Paragraph => child.type === 'paragraph');
      const pointing = inner.length > 0 && inner.every((p) => paragraphSentences(p, source).every((s) => refersElsewhere(s.text)));
      add({ kind: 'quote', markdown, text, pointsElsewhere: pointing });
    }
  }
}

/** Only blank lines between two blocks. */
function adjacent(a: RootContent, b: RootContent, source: string): boolean {
  return source.slice(a.position!.end.offset!, b.position!.start.offset!).trim() === '';
}
