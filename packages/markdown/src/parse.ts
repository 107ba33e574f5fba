import { createHash } from 'node:crypto';
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkFrontmatter from 'remark-frontmatter';
import remarkGfm from 'remark-gfm';
import GithubSlugger from 'github-slugger';
import { toString as mdastToString } from 'mdast-util-to-string';
import { parseDocument } from 'yaml';
import type { Root, RootContent, Heading, Yaml } from 'mdast';
import { AnswerdeskError, type Article, type GlossaryRow, type Section, type TemplateInfo } from '@answerdesk/types';

export interface ParseArticleOptions {
  /** Path shown in errors and sources, relative to the indexed folder. */
  file: string;
  /** Language when the front matter has none. Default `en`. */
  defaultLanguage?: string;
  /** Id when the front matter has none. Default: derived from `file` (see `idFromPath`). */
  defaultId?: string;
}

interface FrontMatter {
  id?: string;
  title?: string;
  category?: string;
  language?: string;
  tags?: string[];
  translationOf?: string;
  template?: TemplateInfo;
  /** A glossary's other language (`glossary: en`). */
  glossary?: string;
  draft?: boolean;
}

/** Plain text of a node without inline raw HTML (`<script>` in a paragraph must not reach answers). */
const toString = (node: Parameters<typeof mdastToString>[0]): string => mdastToString(node, { includeHtml: false });

const processor = unified().use(remarkParse).use(remarkFrontmatter, ['yaml']).use(remarkGfm);
const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const LANGUAGE_PATTERN = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;

/** `articles/eshop/Refunds Policy.md` → `articles-eshop-refunds-policy`: used when front matter has no id. */
export function idFromPath(file: string): string {
  return file
    .replace(/\.(md|markdown)$/i, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

function readFrontMatter(node: Yaml | undefined, file: string): FrontMatter {
  if (!node) return {};
  const startLine = node.position?.start.line ?? 1;
  const doc = parseDocument(node.value, { prettyErrors: true });
  if (doc.errors.length > 0) {
    const first = doc.errors[0]!;
    // +1: the YAML body starts on the line after the opening `---`.
    const line = startLine + (first.linePos?.[0]?.line ?? 1);
    throw new AnswerdeskError('ADK_FRONTMATTER_INVALID', { file, line, reason: first.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '') });
  }
  const data: unknown = doc.toJS();
  if (data === null || data === undefined) return {};
  if (typeof data !== 'object' || Array.isArray(data)) {
    throw new AnswerdeskError('ADK_FRONTMATTER_INVALID', { file, line: startLine, reason: 'it must be a mapping of fields (id, title, category, language, tags, translationOf)' });
  }
  const raw = data as Record<string, unknown>;
  const field = (name: string, reason: string) => new AnswerdeskError('ADK_ARTICLE_FIELD_INVALID', { file, field: name, reason });
  const out: FrontMatter = {};
  for (const name of ['id', 'title', 'category', 'language', 'translationOf'] as const) {
    const value = raw[name];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string' && typeof value !== 'number') throw field(name, 'must be text');
    const text = String(value).trim();
    if (text === '') throw field(name, 'must not be empty');
    out[name] = text;
  }
  if (out.id !== undefined && !ID_PATTERN.test(out.id)) throw field('id', 'may contain only letters, digits, ".", "_" and "-", and must start with a letter or digit');
  if (out.translationOf !== undefined && !ID_PATTERN.test(out.translationOf)) throw field('translationOf', 'must be the id of another article');
  if (out.language !== undefined) {
    out.language = out.language.toLowerCase();
    if (!LANGUAGE_PATTERN.test(out.language)) throw field('language', 'must be a language code such as "en" or "de"');
  }
  const tags = raw.tags;
  if (tags !== undefined && tags !== null) {
    const list = typeof tags === 'string' ? tags.split(',') : tags;
    if (!Array.isArray(list) || list.some((tag) => typeof tag !== 'string' && typeof tag !== 'number')) {
      throw field('tags', 'must be a list of words, e.g. [refund, card]');
    }
    out.tags = [...new Set(list.map((tag) => String(tag).trim().toLowerCase()).filter(Boolean))];
  }
  if (raw.template !== undefined && raw.template !== null) out.template = readTemplateInfo(raw, field);
  if (raw.glossary !== undefined && raw.glossary !== null) {
    if (out.template) throw field('glossary', 'a file is a reply template or a glossary, not both');
    const into = typeof raw.glossary === 'string' ? raw.glossary.trim().toLowerCase() : '';
    if (!LANGUAGE_PATTERN.test(into)) throw field('glossary', 'must be the language code its table translates into, such as "en"');
    out.glossary = into;
  }
  if (raw.draft !== undefined && raw.draft !== null) {
    // YAML reads `draft: true` as a boolean; a quoted "true" is what some editors write.
    const draft = typeof raw.draft === 'string' ? raw.draft.trim().toLowerCase() : raw.draft;
    if (draft !== true && draft !== false && draft !== 'true' && draft !== 'false') throw field('draft', 'must be true or false');
    if (draft === true || draft === 'true') out.draft = true;
  }
  return out;
}

const TEMPLATE_KINDS = ['greeting', 'closing', 'canned'] as const;

/** A reply template's front matter: `template: greeting | closing | canned`, with `name` (canned), `brand` and `channel`. */
function readTemplateInfo(raw: Record<string, unknown>, field: (name: string, reason: string) => AnswerdeskError): TemplateInfo {
  const kind = String(raw.template).trim().toLowerCase();
  if (!(TEMPLATE_KINDS as readonly string[]).includes(kind)) throw field('template', 'must be greeting, closing or canned');
  const info: TemplateInfo = { kind: kind as TemplateInfo['kind'] };
  for (const name of ['name', 'brand', 'channel'] as const) {
    const value = raw[name];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string' || !ID_PATTERN.test(value.trim())) throw field(name, 'must be a single word such as "off-topic", "brightcart" or "email"');
    info[name] = value.trim().toLowerCase();
  }
  if (info.kind === 'canned' && !info.name) throw field('name', 'a canned reply needs a name, such as "off-topic" or "spam"');
  return info;
}

/** Markdown of a block as written; raw HTML never reaches answers (no script injection downstream). */
function blockMarkdown(node: RootContent, source: string): string {
  if (node.type === 'html' || node.type === 'yaml' || node.type === 'definition') return '';
  const start = node.position?.start.offset;
  const end = node.position?.end.offset;
  return start === undefined || end === undefined ? blockText(node) : source.slice(start, end).trim();
}

/** Plain text of one block, keeping list items and table rows on their own lines. */
function blockText(node: RootContent): string {
  switch (node.type) {
    case 'html':
    case 'yaml':
    case 'definition':
    case 'thematicBreak':
      return ''; // raw HTML is never carried into answers (no script injection downstream)
    case 'code':
      return node.value;
    case 'list':
      return node.children.map((item) => item.children.map(blockText).filter(Boolean).join(' ')).join('\n');
    case 'table':
      return node.children.map((row) => row.children.map((cell) => toString(cell).trim()).join(' | ')).join('\n');
    case 'blockquote':
      return node.children.map(blockText).filter(Boolean).join('\n');
    default:
      return toString(node).trim();
  }
}

/**
 * A glossary's rows: every table's rows after its header, the first cell the file's language's forms
 * (separated by commas), the second what they mean in the glossary's other language. Pure.
 */
function glossaryRows(body: readonly RootContent[], file: string, into: string): GlossaryRow[] {
  const rows: GlossaryRow[] = [];
  for (const node of body) {
    if (node.type !== 'table') continue;
    for (const row of node.children.slice(1)) {
      const [terms = '', meaning = ''] = row.children.map((cell) => toString(cell).trim());
      const forms = [...new Set(terms.split(',').map((term) => term.trim()).filter(Boolean))];
      if (!forms.length || !meaning) {
        throw new AnswerdeskError('ADK_ARTICLE_FIELD_INVALID', { file, field: 'glossary', reason: `the row at line ${row.position?.start.line ?? '?'} needs the words (separated by commas) in its first cell and what they mean in "${into}" in its second` });
      }
      rows.push({ terms: forms, meaning });
    }
  }
  if (!rows.length) throw new AnswerdeskError('ADK_ARTICLE_FIELD_INVALID', { file, field: 'glossary', reason: 'a glossary needs a table: the words in its first column, what they mean in its second' });
  return rows;
}

export function sectionHash(headingPath: readonly string[], text: string): string {
  return createHash('sha256').update(headingPath.join('\u001f')).update('\n').update(text).digest('hex');
}

/** Parse one markdown article into its front matter and sections. Pure: no I/O. */
export function parseArticle(source: string, options: ParseArticleOptions): Article {
  const { file } = options;
  // CRLF / CR checkouts: same text, same lines, same hashes as LF (and no stray \r in answers).
  const markdown = source.replace(/\r\n?/g, '\n');
  const tree = processor.parse(markdown) as Root;
  const yamlNode = tree.children.find((node): node is Yaml => node.type === 'yaml');
  const meta = readFrontMatter(yamlNode, file);
  const body = tree.children.filter((node) => node.type !== 'yaml');
  const firstH1 = body.find((node): node is Heading => node.type === 'heading' && node.depth === 1);
  const title = meta.title ?? (firstH1 ? toString(firstH1).trim() : undefined) ?? file.replace(/^.*\//, '').replace(/\.(md|markdown)$/i, '');
  const id = meta.id ?? options.defaultId ?? idFromPath(file);
  if (!id) throw new AnswerdeskError('ADK_ARTICLE_FIELD_INVALID', { file, field: 'id', reason: 'is missing and cannot be derived from the file name' });

  const slugger = new GithubSlugger();
  // A final newline ends the last line; it does not start another one.
  const totalLines = Math.max(1, markdown.replace(/\n$/, '').split('\n').length);
  const sections: Section[] = [];
  // The text before the first sub-heading belongs to the article itself.
  let current = { heading: title, headingPath: [title], anchor: slugger.slug(title), depth: 1, startLine: body[0]?.position?.start.line ?? 1, blocks: [] as string[], markdown: [] as string[] };
  const stack: Array<{ depth: number; heading: string }> = [];

  const flush = (endLine: number) => {
    const text = current.blocks.filter(Boolean).join('\n').trim();
    if (text !== '') {
      sections.push({
        id: `${id}#${current.anchor}`,
        articleId: id,
        articleTitle: title,
        heading: current.heading,
        headingPath: current.headingPath,
        anchor: current.anchor,
        depth: current.depth,
        text,
        markdown: current.markdown.filter(Boolean).join('\n\n').trim(),
        startLine: current.startLine,
        endLine,
        hash: sectionHash(current.headingPath, text),
      });
    }
  };

  for (const node of body) {
    if (node.type === 'heading' && !(node === firstH1 && current.blocks.length === 0)) {
      const line = node.position?.start.line ?? 1;
      flush(line - 1);
      const heading = toString(node).trim();
      while (stack.length > 0 && stack[stack.length - 1]!.depth >= node.depth) stack.pop();
      stack.push({ depth: node.depth, heading });
      current = {
        heading,
        headingPath: [title, ...stack.filter((entry) => entry.depth > 1).map((entry) => entry.heading)],
        anchor: slugger.slug(heading),
        depth: node.depth,
        startLine: line,
        blocks: [],
        markdown: [],
      };
      continue;
    }
    if (node === firstH1) continue;
    current.blocks.push(blockText(node));
    current.markdown.push(blockMarkdown(node, markdown));
  }
  flush(totalLines);
  const glossary = meta.glossary === undefined ? undefined : { into: meta.glossary, rows: glossaryRows(body, file, meta.glossary) };

  return {
    id,
    title,
    category: meta.category,
    language: meta.language ?? options.defaultLanguage ?? 'en',
    tags: meta.tags ?? [],
    translationOf: meta.translationOf,
    ...(meta.template ? { template: meta.template } : {}),
    ...(glossary ? { glossary } : {}),
    ...(meta.draft ? { draft: true } : {}),
    file,
    sections,
  };
}
