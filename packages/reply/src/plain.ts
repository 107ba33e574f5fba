// Markdown → plain text for replies and a CLI: emphasis and link markup go, lists and tables keep their shape.
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkGfm from 'remark-gfm';
import remarkFrontmatter from 'remark-frontmatter';
import type { Root, RootContent, PhrasingContent, List, Table } from 'mdast';
import { AnswerdeskError } from '@answerdesk/types';
import type { TableData } from './types.js';

const processor = unified().use(remarkParse).use(remarkFrontmatter, ['yaml']).use(remarkGfm);

/** The mdast tree of a markdown text (GFM: tables, strikethrough, task lists; front matter recognised). */
export function parseMarkdown(markdown: string): Root {
  return processor.parse(markdown) as Root;
}

/** Plain text of inline content. Raw HTML is dropped (it must never reach a reply); a hard break is a newline. */
export function inlineText(nodes: readonly PhrasingContent[], options: { urls?: boolean } = {}): string {
  let out = '';
  for (const node of nodes) {
    switch (node.type) {
      case 'text':
        out += node.value;
        break;
      case 'inlineCode':
        out += node.value;
        break;
      case 'break':
        out += '\n';
        break;
      case 'image':
        out += node.alt ?? '';
        break;
      case 'html':
      case 'footnoteReference':
      case 'imageReference':
        break;
      case 'link': {
        const label = inlineText(node.children, options);
        out += label;
        // A plain-text reply has no links: keep an absolute web address unless the label already is it.
        if (options.urls && /^https?:\/\//i.test(node.url) && !label.includes(node.url.replace(/^https?:\/\//i, ''))) out += ` (${node.url})`;
        break;
      }
      default: {
        // emphasis, strong, delete, and any inline node a plugin adds: their text, without markup.
        const other = node as { children?: PhrasingContent[]; value?: unknown };
        if (other.children) out += inlineText(other.children, options);
        else if (typeof other.value === 'string') out += other.value;
      }
    }
  }
  return out;
}

/** Soft line breaks inside a paragraph are spaces; hard breaks stay. */
function paragraphText(nodes: readonly PhrasingContent[], urls: boolean): string {
  return inlineText(
    nodes.map((node) => (node.type === 'text' ? { ...node, value: node.value.replace(/[ \t]*\n[ \t]*/g, ' ') } : node)),
    { urls },
  ).trim();
}

/** The cells of a GFM table as plain text. */
export function tableData(table: Table): TableData {
  const [head, ...body] = table.children;
  const cells = (row: Table['children'][number]) => row.children.map((cell) => paragraphText(cell.children, false));
  return {
    header: head ? cells(head) : [],
    rows: body.map(cells),
    align: (table.align ?? []).map((a) => a ?? null),
  };
}

const width = (text: string) => [...text].length;

function pad(text: string, size: number, align: 'left' | 'right' | 'center' | null): string {
  const gap = size - width(text);
  if (gap <= 0) return text;
  if (align === 'right') return ' '.repeat(gap) + text;
  if (align === 'center') return ' '.repeat(Math.floor(gap / 2)) + text + ' '.repeat(gap - Math.floor(gap / 2));
  return text + ' '.repeat(gap);
}

/**
 * A table as aligned plain-text columns for a terminal: the header, a rule of dashes, the rows;
 * columns two spaces apart, each aligned as the markdown said (left when it said nothing).
 */
export function renderTable(table: TableData, format: 'text'): string {
  if (format !== 'text') throw new AnswerdeskError('ADK_OPTION_INVALID', { option: 'format', reason: `must be "text" (got "${String(format)}")` });
  const columns = Math.max(table.header.length, ...table.rows.map((row) => row.length));
  const rows = [table.header, ...table.rows].map((row) => Array.from({ length: columns }, (_, i) => (row[i] ?? '').replace(/\s+/g, ' ').trim()));
  const widths = Array.from({ length: columns }, (_, i) => Math.max(1, ...rows.map((row) => width(row[i]!))));
  const line = (row: string[]) => row.map((cell, i) => pad(cell, widths[i]!, table.align[i] ?? null)).join('  ').trimEnd();
  const [header, ...body] = rows;
  return [line(header!), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

function listText(list: List, indent: string): string {
  const start = list.start ?? 1;
  return list.children
    .map((item, i) => {
      const marker = list.ordered ? `${start + i}. ` : '- ';
      const inner = indent + ' '.repeat(marker.length);
      // A nested list indents its own lines; any other block (a paragraph, code, a table) is indented here, every line of it.
      const blocks = item.children
        .map((child) => {
          const text = blockText(child, inner);
          return child.type === 'list' || text === '' ? text : text.split('\n').map((line) => (line === '' ? line : inner + line)).join('\n');
        })
        .filter(Boolean);
      // The first block sits on the marker's line; the rest (a nested list, a second paragraph, code) below it.
      const [first = '', ...rest] = blocks;
      return [indent + marker + first.slice(inner.length).trimStart(), ...rest].join('\n');
    })
    .join('\n');
}

function blockText(node: RootContent, indent = ''): string {
  switch (node.type) {
    case 'paragraph':
    case 'heading':
      return paragraphText(node.children, true);
    case 'list':
      return listText(node, indent);
    case 'table':
      return renderTable(tableData(node), 'text');
    case 'code':
      return node.value;
    case 'blockquote':
      return node.children.map((child) => blockText(child, indent)).filter(Boolean).join('\n');
    default:
      // html, yaml, definitions, rules: nothing a customer should read.
      return '';
  }
}

/**
 * Markdown as plain text: emphasis, code and link markup removed (an absolute web address is kept
 * in brackets after its label, since plain text cannot link), lists as "- item" / "1. step" lines,
 * tables as aligned columns, raw HTML dropped; blocks separated by a blank line.
 */
export function plainText(markdown: string): string {
  const text = markdown.replace(/\r\n?/g, '\n');
  if (!hasMarkup(text)) return paragraphsOf(text);
  const tree = parseMarkdown(text);
  return tree.children
    .map((node) => blockText(node))
    .filter(Boolean)
    .join('\n\n');
}

// Characters that are markup somewhere (emphasis, code, links, HTML, entities, escapes, tables, headings,
// strikethrough, NUL); line starts that open a block (lists, quotes, rules, setext underlines, indented
// code); a hard line break (two spaces before a newline).
const MARKUP_CHARACTER = /[*_`~<>[\]\\&|#\u0000]/;
const BLOCK_START = /^(?:[ \t]*(?:[-+=]|\d{1,9}[.)](?:[ \t]|$))| {4}|\t)| {2,}\n/m;

/** Whether the parser could read the text as anything but paragraphs of plain words. */
function hasMarkup(text: string): boolean {
  return MARKUP_CHARACTER.test(text) || BLOCK_START.test(text);
}

/**
 * What `plainText` gives for text without markup, without parsing it (a past ticket's resolution is such
 * text, and parsing it was a millisecond of every suggest that shows one): paragraphs at blank lines, a
 * paragraph's lines joined by a space.
 */
function paragraphsOf(text: string): string {
  return text
    .split(/\n(?:[ \t]*\n)+/)
    .map((paragraph) => paragraph.replace(/[ \t]*\n[ \t]*/g, ' ').trim())
    .filter(Boolean)
    .join('\n\n');
}
