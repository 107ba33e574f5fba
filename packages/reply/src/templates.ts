// Reply templates: markdown files with front matter (greeting, closing, canned replies).
import type { Yaml } from 'mdast';
import { parseDocument } from 'yaml';
import { AnswerdeskError } from '@answerdesk/types';
import { startsWithTitle } from '@answerdesk/message';
import type { ReplyTemplate, TemplateKind, TemplateWant } from './types.js';
import { parseMarkdown } from './plain.js';
import { primaryLanguage } from './text.js';

export const TEMPLATE_KINDS: readonly TemplateKind[] = ['greeting', 'closing', 'canned'];
/** The canned replies Answerdesk itself asks for; a knowledge base may add its own names. */
export const CANNED_NAMES = ['off-topic', 'spam', 'looking-into-it', 'need-details', 'not-covered'] as const;
const CHANNELS = ['email', 'chat'];
const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const LANGUAGE_PATTERN = /^[a-z]{2,3}(-[a-z0-9]{2,8})*$/;

/** Front matter that makes a markdown file a reply template rather than an article: it has `template:`. */
export function isTemplate(frontMatter: Record<string, unknown>): boolean {
  return frontMatter.template !== undefined && frontMatter.template !== null;
}

/**
 * One template file. Throws `ADK_FRONTMATTER_INVALID` (with the line) when the YAML cannot be
 * read, and `ADK_TEMPLATE_INVALID` naming the field and what to put there otherwise.
 */
export function parseTemplate(markdown: string, file?: string): ReplyTemplate {
  const where = file ?? '(unnamed template)';
  const source = markdown.replace(/\r\n?/g, '\n');
  const yamlNode = parseMarkdown(source).children.find((node): node is Yaml => node.type === 'yaml');
  const invalid = (reason: string) => new AnswerdeskError('ADK_TEMPLATE_INVALID', { file: where, reason });
  if (!yamlNode) throw invalid('it has no front matter');

  const doc = parseDocument(yamlNode.value);
  if (doc.errors.length > 0) {
    const first = doc.errors[0]!;
    const line = (yamlNode.position?.start.line ?? 1) + (first.linePos?.[0]?.line ?? 1);
    throw new AnswerdeskError('ADK_FRONTMATTER_INVALID', { file: where, line, reason: first.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '') });
  }
  const data: unknown = doc.toJS();
  if (data === null || typeof data !== 'object' || Array.isArray(data)) throw invalid('the front matter must be a mapping of fields');
  const raw = data as Record<string, unknown>;

  const text = (name: string): string | undefined => {
    const value = raw[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string' && typeof value !== 'number') throw invalid(`field "${name}" must be text`);
    const trimmed = String(value).trim();
    if (trimmed === '') throw invalid(`field "${name}" must not be empty`);
    return trimmed;
  };

  const kind = text('template');
  if (kind === undefined) throw invalid('field "template" is missing; set it to greeting, closing or canned');
  if (!TEMPLATE_KINDS.includes(kind as TemplateKind)) throw invalid(`field "template" must be greeting, closing or canned (got "${kind}")`);

  // The file name is the id when the front matter has none: templates/en/greeting-en.md → greeting-en.
  const id = text('id') ?? file?.replace(/^.*[\\/]/, '').replace(/\.(md|markdown)$/i, '');
  if (!id) throw invalid('field "id" is missing');
  if (!ID_PATTERN.test(id)) throw invalid(`field "id" may contain only letters, digits, ".", "_" and "-" (got "${id}")`);

  const language = text('language')?.toLowerCase();
  if (language === undefined) throw invalid('field "language" is missing; set it to a language code such as en or it');
  if (!LANGUAGE_PATTERN.test(language)) throw invalid(`field "language" must be a language code such as en or de (got "${language}")`);

  const name = text('name')?.toLowerCase();
  if (kind === 'canned' && name === undefined) throw invalid(`field "name" is missing; a canned reply needs one, such as ${CANNED_NAMES.join(', ')}`);
  if (kind !== 'canned' && name !== undefined) throw invalid(`field "name" is only for canned replies; remove it from this ${kind}`);
  if (name !== undefined && !ID_PATTERN.test(name)) throw invalid(`field "name" may contain only letters, digits, ".", "_" and "-" (got "${name}")`);

  const channel = text('channel')?.toLowerCase();
  if (channel !== undefined && !CHANNELS.includes(channel)) throw invalid(`field "channel" must be email or chat (got "${channel}"); leave it out for any channel`);
  const brand = text('brand')?.toLowerCase();
  if (brand !== undefined && !ID_PATTERN.test(brand)) throw invalid(`field "brand" must be a brand id such as brightcart (got "${brand}")`);

  const body = source.slice(yamlNode.position!.end.offset!).trim();
  if (body === '') throw invalid('the text after the front matter is empty');

  const template: ReplyTemplate = { id, kind: kind as TemplateKind, language, title: text('title') ?? id, body };
  if (name !== undefined) template.name = name;
  if (brand !== undefined) template.brand = brand;
  if (channel !== undefined) template.channel = channel;
  if (file !== undefined) template.file = file;
  return template;
}

/**
 * The template to use, or undefined when there is none in that language. Ranking: the exact
 * language tag over the same language (`de-ch` wanted, `de` found); a template of the wanted brand
 * over a brand-neutral one; one for the wanted channel over one for any channel; then by id, so
 * the choice never depends on file order. A template of another brand, or of another channel
 * than the one asked for, is never used; a branded one only when that brand is asked for (one
 * brand's greeting must not reach another's customer).
 */
export function pickTemplate(templates: readonly ReplyTemplate[], want: TemplateWant): ReplyTemplate | undefined {
  const language = want.language.toLowerCase();
  const base = primaryLanguage(language);
  const brand = want.brand?.toLowerCase();
  const channel = want.channel?.toLowerCase();
  const name = want.name?.toLowerCase();
  let best: { template: ReplyTemplate; rank: number[] } | undefined;
  for (const template of templates) {
    if (template.kind !== want.kind) continue;
    if (name !== undefined && template.name !== name) continue;
    const exact = template.language === language;
    if (!exact && primaryLanguage(template.language) !== base) continue;
    if (template.brand !== undefined && template.brand !== brand) continue;
    if (template.channel !== undefined && channel !== undefined && template.channel !== channel) continue;
    // Lower is better, compared in order.
    const rank = [exact ? 0 : 1, template.brand !== undefined ? 0 : 1, template.channel === channel ? 0 : template.channel === undefined ? 1 : 2];
    if (!best || compareRank(rank, best.rank) < 0 || (compareRank(rank, best.rank) === 0 && template.id < best.template.id)) best = { template, rank };
  }
  return best?.template;
}

function compareRank(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

/**
 * A name's first word, or the whole name when it starts with a courtesy title ("Mr Smith", "Frau Weber",
 * "Dr. Anna Weber") or an initial ("K. Novak", "J Smith"): "Hello Mr," or "Hello K.," would be worse than
 * "Hello Mr Smith," and "Hello K. Novak,". The titles are the message reader's. Pure.
 */
export function firstNameOf(name: string): string {
  const trimmed = name.trim();
  const words = trimmed.split(/\s+/u);
  return words.length > 1 && !startsWithTitle(trimmed) && !/^\p{L}\.?$/u.test(words[0]!) ? words[0]! : trimmed;
}

/**
 * `{name}` replaced by the customer's name as the message gives it, `{firstName}` by its first word
 * (`firstNameOf`); without a name, the placeholder goes together with the separator before it, so
 * "Hello {firstName}," becomes "Hello," and "Здравствуйте, {name}!" "Здравствуйте!".
 */
export function fillName(body: string, name: string | undefined): string {
  const trimmed = name?.trim();
  if (trimmed) return body.replace(/\{\s*(name|firstName)\s*\}/g, (_all, which: string) => (which === 'firstName' ? firstNameOf(trimmed) : trimmed));
  return body
    .replace(/^([ \t]*)\{\s*(?:name|firstName)\s*\}[ \t]*[,!]?[ \t]*/gm, '$1') // "{name}, thanks…" at a line's start: the separator after it goes
    .replace(/[ \t]*,?[ \t]*\{\s*(?:name|firstName)\s*\}/g, '');
}
