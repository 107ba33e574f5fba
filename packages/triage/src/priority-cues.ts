/**
 * Priority from explicit words in a message (outage, fraud, legal threat, cannot pay…), for
 * helpdesks without labeled tickets to learn from, and as a floor the learned model can be checked against.
 */
import { AnswerdeskError, PRIORITIES, type Priority, type PriorityAssessment } from '@answerdesk/types';

/** A family of phrasings that each mean the same thing for priority. */
export interface PriorityCue {
  /** Shown in `PriorityAssessment.cues`, e.g. `fraud`. */
  name: string;
  priority: Priority;
  /** Any one matching is enough. Matched as given (flags included), after the negation check below. */
  patterns: RegExp[];
}

export interface PriorityCueOptions {
  /** Cues to look for; replaces the defaults (spread `defaultPriorityCues` to extend them). */
  cues?: readonly PriorityCue[];
  /** Priority when no cue matches; default `normal`. */
  defaultPriority?: Priority;
}

// Unicode-aware word boundaries: \b only knows ASCII letters, which breaks on "Störung" or "caído".
const B = String.raw`(?<![\p{L}\p{N}_])`;
const E = String.raw`(?![\p{L}\p{N}_])`;
/** A case-insensitive pattern of whole-word alternatives. */
const words = (...alternatives: string[]): RegExp => new RegExp(`${B}(?:${alternatives.join('|')})${E}`, 'iu');

// Shared pieces. Apostrophes are normalised to ' before matching.
const CANT = String.raw`(?:can't|cant|cannot|can not|unable to|not able to|couldn't|could not)`;
const IS = String.raw`(?:is|are|was|were|has been|have been|seems? to be|appears? to be|went|has gone|have gone|'s|'re)`;
const SYSTEM = String.raw`(?:web ?sites?|sites?|shops?|online stores?|servers?|services?|apps?|platforms?|systems?|apis?|e-?mails?|mail|dashboards?|control panels?|panels?|checkouts?|portals?)`;
const DATA = String.raw`(?:data|files|e-?mails|photos|pictures|documents|database|databases|content|posts|records|work)`;
const WITHIN = String.raw`[^.!?\n]{0,40}?`;

/**
 * Built-in cues, English first, with German, French and Spanish for the strongest (outage, fraud,
 * legal threat, payment). Phrasings are specific on purpose ("site is down", not "down"): a cue
 * that fires on ordinary tickets would flood the urgent queue.
 */
export const defaultPriorityCues: readonly PriorityCue[] = Object.freeze([
  {
    name: 'outage',
    priority: 'urgent',
    patterns: [
      words(`outages?`, `service (?:disruption|interruption)`, `down for (?:everyone|everybody|all (?:of )?(?:our|my|the) (?:users|customers|clients))`),
      words(`${SYSTEM} ${IS} (?:completely |totally |all |still )?(?:down|offline|gone|unreachable|inaccessible)`, `${SYSTEM} (?:down|offline)`),
      words(`(?:not|isn't|aren't|won't|doesn't|don't) (?:loading|load|working|work|responding|reachable|accessible) for (?:anyone|anybody|everyone|everybody|all|any of)`),
      words(`(?:all (?:of )?(?:my|our)|every) (?:web ?)?sites?(?: on (?:my|our) account)?${WITHIN}(?:down|offline|unreachable|not (?:working|loading)|broken|errors?|suspended|50[234])`),
      // HTTP 502-504, not an amount or an order number ($503, BC-503, 503.20).
      words(`(?<![$€£#/.-])50[234](?![.,]?\\d)(?: (?:error|service unavailable|bad gateway|gateway time-?out))?`),
      words(`(?:web ?sites?|sites?|shops?|stores?|servers?|pages?)${WITHIN}(?:timing out|times out|time out)`),
      words(`(?:none of (?:us|our (?:staff|team|users|customers|clients))|no ?one|nobody) (?:can|is able to|are able to) (?:access|log ?in|send|receive|reach|connect|use|open|load)`),
      // de, fr, es
      words(`(?:Seite|Webseite|Website|Server|Dienst|Shop|System)e? (?:ist |sind )?(?:komplett |völlig )?(?:down|offline|nicht erreichbar|ausgefallen)`, `(?:Total|Server|System|Dienst)?ausfall`),
      words(`(?:site|serveur|service|boutique)s? (?:est |sont )?(?:en panne|hors ligne|inaccessibles?)`, `panne (?:générale|totale|du (?:site|serveur|service))`),
      words(`(?:sitio|página|servidor|servicio|sistema|tienda)s? (?:web )?(?:está |están )?(?:caíd[oa]s?|fuera de línea|inaccesibles?)`, `caída (?:del|de los) (?:servicio|sistema|servidor)(?:es)?`, `interrupción del servicio`),
    ],
  },
  {
    name: 'fraud',
    priority: 'urgent',
    patterns: [
      words(`fraud`, `fraudulent(?:ly)?`, `identity theft`, `unauthori[sz]ed (?:charges?|transactions?|payments?|purchases?|orders?|withdrawals?|debits?)`),
      words(`(?:orders?|purchases?|charges?|payments?|transactions?)(?: that)? I (?:didn't|did not|never|don't|do not) (?:place|make|made|order|authori[sz]e|recogni[sz]e)`),
      // "I didn't order this!" but not "I didn't order this colour" (a wrong item, not fraud).
      words(`I (?:didn't|did not|never) (?:order(?:ed)?|buy|bought|purchase[d]?|place[d]?|authori[sz]e[d]?) (?:this|that|it|these|them|anything)(?=\\s*(?:[.!;,]|$))`),
      words(`(?:charges?|transactions?|payments?|debits?)${WITHIN}I (?:don't|do not|didn't|did not) recogni[sz]e`),
      words(`charged without (?:my )?(?:permission|consent|authori[sz]ation)`),
      words(`(?:credit |debit |bank )?cards? (?:was |were |has been |have been |got |is )?(?:stolen|cloned|skimmed)`, `stolen (?:credit |debit |bank )?cards?`),
      // de, fr, es
      words(`Betrug`, `betrügerisch(?:e|en|er)?`, `nicht autorisierte (?:Abbuchung|Zahlung|Transaktion)(?:en)?`, `Karte (?:wurde )?gestohlen`),
      words(`fraude`, `frauduleu(?:x|se)s?`, `(?:paiement|prélèvement|transaction)s? non autorisée?s?`, `carte (?:a été )?volée`),
      words(`fraude`, `fraudulent[oa]s?`, `(?:cargo|cobro|pago|transacción)(?:s|es)? no autorizad[oa]s?`, `tarjeta robada`, `me robaron la tarjeta`),
    ],
  },
  {
    name: 'security',
    priority: 'urgent',
    patterns: [
      words(`(?:security|data) breach(?:es)?`, `breached`, `hacked`, `hacker`, `hijacked`, `malware`, `ransomware`, `defaced`, `(?:data|password)s? (?:leak|leaked)`),
      words(`(?:account|site|website|server|e-?mail|mailbox)s? (?:was |were |has been |have been |got |is )?(?:compromised|taken over)`),
      words(`someone (?:has |else )?(?:changed|reset|accessed|logged into|is logging into|used|took over) (?:my|our)`),
      words(`gehackt`, `piraté`, `hackeado`, `hackearon`),
    ],
  },
  {
    name: 'data loss',
    priority: 'urgent',
    patterns: [
      words(`(?:lost|losing|lose) (?:all (?:of )?(?:my|our|the) ${DATA}|everything)`),
      words(`(?:all (?:of )?)?(?:my|our|the) ${DATA} ${IS} (?:all )?(?:gone|deleted|wiped|erased|lost|missing|disappeared|vanished|corrupted)`),
      words(`(?:deleted|wiped|erased) (?:all|everything)`, `database (?:was |got |has been )?(?:deleted|wiped|dropped|corrupted)`),
      words(`backups? (?:is |are |was |were |has been |have been )?(?:missing|gone|deleted|lost|empty|corrupted)`, `missing backups?`),
    ],
  },
  {
    name: 'legal threat',
    priority: 'high',
    patterns: [
      words(`lawyers?`, `attorneys?`, `solicitors?`, `lawsuit`, `legal (?:action|steps|proceedings)`, `(?:will|going to|gonna|'ll|shall|could|can) sue`, `sue (?:you|your company|them)`, `suing`),
      words(`(?:to|in|see you in) court`, `court (?:case|order)`, `small claims`, `consumer (?:protection|rights)(?: (?:agency|office|authority|bureau))?`, `ombudsman`, `trading standards`, `better business bureau`),
      words(`chargeback`, `dispute (?:the|this|these) (?:charges?|payments?|transactions?)`, `report (?:you|this|your company) to`),
      // de, fr, es
      words(`(?:Rechts)?anwalt`, `Anwältin`, `rechtliche Schritte`, `verklagen`, `Klage`, `Verbraucherzentrale`),
      words(`avocat`, `poursuites(?: judiciaires)?`, `porter plainte`, `tribunal`, `mise en demeure`, `action en justice`),
      words(`abogad[oa]`, `demandar(?:les|los)?`, `acciones legales`, `tribunal(?:es)?`, `denunciar(?:les|los)?`),
    ],
  },
  {
    name: 'cannot pay',
    priority: 'high',
    patterns: [
      words(`${CANT} (?:pay|check ?out|complete (?:my |the |a )?(?:purchase|payment|order|checkout)|place (?:my |an |the )?order|make (?:a |the |my )?payment)`),
      words(`payments? (?:keeps? |is |are |was |has been )?(?:fail(?:s|ed|ing)?|declined|rejected|not going through|won't go through|doesn't go through)`),
      words(`cards? (?:keeps? |is |was |gets |got )?(?:getting |being )?(?:declined|rejected|refused)`, `transactions? (?:failed|declined|rejected)`),
      words(`checkout (?:is |keeps )?(?:broken|failing|fails|failed|not working|doesn't work|won't work|crash(?:es|ing)?)`),
      // de, fr, es
      words(`kann nicht (?:be)?zahlen`, `Zahlung (?:ist )?(?:fehlgeschlagen|abgelehnt|schlägt fehl)`, `impossible de payer`, `paiement (?:refusé|échoué|impossible)`, `no puedo pagar`, `pago (?:rechazado|fallido)`),
    ],
  },
  {
    name: 'business impact',
    priority: 'high',
    patterns: [
      words(`(?:losing|costing (?:us|me)) (?:money|sales|revenue|customers|clients|orders|business)`, `(?:killing|hurting|ruining) (?:my|our) business`),
      words(`customers ${CANT} (?:buy|order|check ?out|pay|reach us|access)`),
    ],
  },
  {
    name: 'urgent',
    priority: 'high',
    patterns: [
      words(`urgent(?:ly)?`, `asap`, `a\\.s\\.a\\.p\\.?`, `as soon as possible`, `emergency`, `immediately`, `right away`, `time[- ]sensitive`, `top priority`, `high priority`, `critical`),
      words(`dringend`, `sofort`, `Notfall`, `urgence`, `immédiatement`, `urgente`, `inmediatamente`, `lo antes posible`),
    ],
  },
  {
    name: 'low priority',
    priority: 'low',
    patterns: [
      words(`feature request`, `(?:small |minor |a |my )?suggestions?`, `I (?:would )?suggest`, `(?:it )?(?:would|'d) be (?:nice|great|cool|good|helpful|handy)`, `(?:I|we) (?:would|'d) love`, `any plans (?:to|for)`, `wish ?list`),
      words(`just (?:wondering|curious|asking|a question)`, `(?:just )?(?:fyi|for your information)`, `just (?:a heads up|letting you know|thought (?:you|someone) should know)`),
      words(`no rush`, `no hurry`, `not (?:urgent|an emergency|a priority|time[- ]sensitive|in a hurry)`, `nothing urgent`, `whenever you (?:can|get a chance|have time)`, `in your own time`),
      words(`not a complaint`, `shout ?out`, `compliments?`, `kudos`),
    ],
  },
] satisfies PriorityCue[]);

const RANK = new Map<Priority, number>(PRIORITIES.map((priority, index) => [priority, index]));
/** Negation that cancels a cue when it stands in the few words before it: "not urgent", "no outage", "kein Betrug". */
const NEGATORS = new Set(['not', 'no', 'never', 'without', 'nothing', 'nicht', 'kein', 'keine', 'keinen', 'nie', 'pas', 'sans', 'aucun', 'aucune', 'jamais', 'sin', 'nunca', 'ningún', 'ninguna', 'ninguno']);
// "no idea why the site is down" is not a denial of the outage; "can't" is the complaint itself ("can't pay").
const NOT_NEGATING_AFTER_NO = new Set(['idea', 'matter', 'longer', 'doubt', 'one']);
const MODAL_NOT = new Set(["can't", "couldn't", 'cannot']);
const NEGATION_WINDOW = 3;
const QUOTE_SNIPPET = 60;

function isNegated(before: string): boolean {
  // Only the current clause counts: "Not sure, but the site is down" is an outage.
  const clause = before.split(/[.!?;:,\n]/u).pop() ?? '';
  const tokens = clause.toLowerCase().match(/[\p{L}']+/gu) ?? [];
  const window = tokens.slice(-NEGATION_WINDOW);
  return window.some((token, index) => {
    if (token === 'no') return !NOT_NEGATING_AFTER_NO.has(window[index + 1] ?? '');
    if (NEGATORS.has(token)) return true;
    return token.endsWith("n't") && !MODAL_NOT.has(token);
  });
}

function checkCues(cues: unknown): readonly PriorityCue[] {
  const invalid = (reason: string) => new AnswerdeskError('ADK_OPTION_INVALID', { option: 'cues', reason });
  if (!Array.isArray(cues)) throw invalid('must be a list of { name, priority, patterns }');
  cues.forEach((cue: unknown, index) => {
    const { name, priority, patterns } = (cue ?? {}) as Partial<PriorityCue>;
    if (typeof name !== 'string' || name.trim() === '') throw invalid(`item ${index} needs a "name"`);
    if (!RANK.has(priority as Priority)) throw invalid(`"${name}" has priority ${JSON.stringify(priority)}; use one of ${PRIORITIES.join(', ')}`);
    if (!Array.isArray(patterns) || patterns.some((pattern) => !(pattern instanceof RegExp))) throw invalid(`"${name}" needs "patterns", a list of regular expressions`);
  });
  return cues as PriorityCue[];
}

/** Quoted earlier messages ("> …") are not what the customer says now; curly apostrophes and runs of spaces would make patterns miss. */
function prepare(text: string): string {
  return text
    .split(/\r?\n/)
    .filter((line) => !/^\s*>/.test(line))
    .join('\n')
    .replace(/[\u2018\u2019\u02BC]/g, "'")
    .replace(/[^\S\n]+/g, ' ');
}

/**
 * Priority from the explicit cues in a text. Pure. The most pressing matched cue wins; `cues` lists
 * what matched as `name: "phrase"`, most pressing first. A cue preceded by a negation in the same
 * clause ("not urgent", "no outage") does not count.
 */
export function priorityFromCues(text: string, options: PriorityCueOptions = {}): PriorityAssessment {
  if (typeof text !== 'string') {
    throw new AnswerdeskError('ADK_MESSAGE_INVALID', { id: '(text)', reason: `the text to assess must be a string, got ${text === null ? 'null' : typeof text}` });
  }
  const { defaultPriority = 'normal' } = options;
  if (!RANK.has(defaultPriority)) {
    throw new AnswerdeskError('ADK_OPTION_INVALID', { option: 'defaultPriority', reason: `must be one of ${PRIORITIES.join(', ')} (got ${JSON.stringify(defaultPriority)})` });
  }
  const cues = options.cues === undefined ? defaultPriorityCues : checkCues(options.cues);
  const prepared = prepare(text);

  const found: Array<{ rank: number; at: number; label: string }> = [];
  for (const cue of cues) {
    let first: { at: number; phrase: string } | undefined;
    for (const pattern of cue.patterns) {
      // A global copy, to see every occurrence (the first may be negated, a later one not) without touching the caller's lastIndex.
      const all = new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`);
      for (const match of prepared.matchAll(all)) {
        if (match[0] === '' || isNegated(prepared.slice(0, match.index))) continue;
        if (first === undefined || match.index < first.at) first = { at: match.index, phrase: match[0] };
        break;
      }
    }
    if (first === undefined) continue;
    const phrase = first.phrase.replace(/\s+/g, ' ').trim();
    const quoted = phrase.length > QUOTE_SNIPPET ? `${phrase.slice(0, QUOTE_SNIPPET - 1)}…` : phrase;
    found.push({ rank: RANK.get(cue.priority) ?? RANK.size, at: first.at, label: `${cue.name}: "${quoted}"` });
  }
  if (found.length === 0) return { priority: defaultPriority, basis: 'default', cues: [] };
  found.sort((a, b) => a.rank - b.rank || a.at - b.at);
  const top = found[0]!;
  return { priority: PRIORITIES[top.rank] ?? defaultPriority, basis: 'cues', cues: found.map((entry) => entry.label) };
}
