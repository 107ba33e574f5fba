/**
 * A customer's identifiers (order, ticket and invoice numbers, card endings, phone numbers) name
 * their case, never their question: no article holds them, and in past tickets they are other
 * customers' numbers. So they are left out of what is matched ("my order BC-4429455 is on hold" is
 * searched as "my order is on hold") and kept in what is shown.
 */
import type { Entity, EntityKind } from '@answerdesk/types';
import { PICTOGRAPH } from './text.js';

/**
 * Numbers that identify a customer's case. E-mail addresses, domains and links stay: on a hosting
 * helpdesk they are often what the question is about ("create info@…", "point www to shop.myshopify.com").
 * Amounts, dates, names and street addresses can carry meaning ("a £5 fee", "14 months ago") and stay too.
 */
export const IDENTIFIER_KINDS: ReadonlySet<EntityKind> = new Set<EntityKind>(['order', 'ticket', 'invoice', 'certificate', 'card', 'iban', 'tracking', 'phone']);

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&');

/** What taking words out leaves: no space before punctuation, one space between words, none at a line's ends. */
const tidySpaces = (text: string): string =>
  text.replace(/[ \t]+([,.;:!?)])/gu, '$1').replace(/[ \t]{2,}/gu, ' ').replace(/^[ \t]+|[ \t]+$/gmu, '');

/** `text` without the identifiers among `entities` (found by what they say, as whole words), tidied; `text` itself when nothing else would be left. Pure. */
export function withoutIdentifiers(text: string, entities: readonly Entity[]): string {
  const tidied = identifiersRemoved(text, entities);
  return /\p{L}{2,}/u.test(tidied) ? tidied : text;
}

/** `text` without the identifiers among `entities`, tidied, even when nothing is left ("BC-4412345" → ""). Pure. */
export function identifiersRemoved(text: string, entities: readonly Entity[]): string {
  const written = [...new Set(entities.filter((entity) => IDENTIFIER_KINDS.has(entity.kind) && entity.text.trim().length > 1).map((entity) => entity.text.trim()))];
  if (written.length === 0) return text;
  // Longest first, so a number goes before a shorter one inside it.
  written.sort((a, b) => b.length - a.length);
  const found = new RegExp(`(?<![\\p{L}\\p{N}])(?:${written.map(escape).join('|')})(?![\\p{L}\\p{N}])`, 'giu');
  const left = text
    .replace(found, '')
    .replace(/[#№]+(?=[\s,.;:!?)]|$)/gu, '')
    .replace(/[([{]\s*[)\]}]/gu, '');
  return tidySpaces(left);
}

const HAS_PICTOGRAPH = new RegExp(PICTOGRAPH, 'u');
const PICTOGRAPHS = new RegExp(`${PICTOGRAPH}+`, 'gu');

/**
 * `text` without its emoji ("is there a way to pay in 3 instalments? 🙏"): no article says them, and the
 * encoder reads them as words of their own. `text` itself when nothing else would be left. Pure.
 */
export function withoutPictographs(text: string): string {
  if (!HAS_PICTOGRAPH.test(text)) return text;
  const left = tidySpaces(text.replace(PICTOGRAPHS, ' ')).trim();
  return /[\p{L}\p{N}]/u.test(left) ? left : text;
}
