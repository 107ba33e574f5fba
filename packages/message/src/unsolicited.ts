/**
 * Spam and unsolicited offers: a prize to claim ("Your email address has won £850,000"), a sales
 * pitch ("We are a manufacturer of phone cases… wholesale prices"), an SEO or domain-registration
 * offer. Nothing in them is a customer's question; searching them only finds a wrong answer.
 *
 * A sign alone proves nothing ("Do you offer gift wrapping?", "I won a voucher in your contest"):
 * see `isUnsolicited` for what is enough. Built for precision: a customer taken for a spammer loses
 * an answer, a spammer taken for a customer only gets a low-confidence one or none. Patterns for
 * en/it/de/ru, as the reader's other phrases.
 */
import { B, E } from './phrases.js';

/** What a sign says about the writer. */
export type UnsolicitedSignKind = 'prize' | 'vendor' | 'offer' | 'phishing' | 'addressee' | 'details' | 'elsewhere';

export interface UnsolicitedSign {
  kind: UnsolicitedSignKind;
  /** The words as written. */
  text: string;
}

/** Kinds that make a message unsolicited with one more sign of another kind. */
const LEADING = new Set<UnsolicitedSignKind>(['prize', 'vendor', 'offer', 'phishing', 'addressee']);
/** Kinds where two different signs are enough: "You have won a cruise! Claim your reward." */
const SELF_EVIDENT = new Set<UnsolicitedSignKind>(['prize', 'vendor', 'phishing']);

const SIGNS: ReadonlyArray<[UnsolicitedSignKind, RegExp]> = (
  [
    // A prize, a lottery, an inheritance: to be claimed with one's details.
    ['prize', String.raw`(?:(?:you|you've|you have|has|have been|email address has)\s+(?:been\s+)?(?:won|selected as (?:a|the) winner)|lottery|sweepstakes?|jackpot|claim (?:your |the )?(?:prize|winnings|reward|funds|payment)|winnings|inheritance|next of kin|unclaimed (?:funds|assets)|dormant account|beneficiary)`],
    ['prize', String.raw`(?:hai vinto|avete vinto|vincit[ae]|lotteria|eredit[àa])`],
    ['prize', String.raw`(?:(?:haben|hast) (?:\S+ )?gewonnen|Gewinnspiel|Lotterie|Gewinnbenachrichtigung|Erbschaft)`],
    ['prize', String.raw`(?:выиграли|выигрыш\S*|лотере\S*|наследств\S*)`],
    // The writer introduces a business of theirs.
    ['vendor', String.raw`(?:we are an? (?:\S+ ){0,4}?(?:manufacturer|supplier|factory|agency|company|firm|organi[sz]ation|provider|studio|team of (?:\S+ )?(?:experts|developers|designers|marketers))|our (?:company|agency|factory|firm) (?:is|specializes|specialises|offers|provides|has)|I am an? (?:\S+ ){0,2}?(?:SEO|marketing|sales|web design|business development) (?:expert|specialist|consultant|manager|executive)|our team of (?:\S+ )?(?:experts|specialists|developers|designers|marketers)|we (?:can |could |would like to |'d like to |are pleased to |are happy to )?(?:offer|supply|provide) (?:you|your)|we are (?:now )?offering|we (?:supply|manufacture|produce|export))`],
    ['vendor', String.raw`(?:siamo (?:un'|una |un )(?:\S+ ){0,3}?(?:azienda|agenzia|società|fornitore|produttore|ditta)|la nostra (?:azienda|agenzia|società) (?:è|offre|propone|si occupa)|(?:vi |le |ti )?offriamo)`],
    ['vendor', String.raw`(?:wir sind (?:ein|eine) (?:\S+ ){0,3}?\S*(?:Hersteller|Unternehmen|Agentur|Firma|Anbieter|Lieferant)|unser (?:Unternehmen|Team) (?:ist|bietet)|(?:wir )?bieten (?:Ihnen|Dir|euch))`],
    ['vendor', String.raw`(?:мы\s*[—–-]?\s*(?:\S+ ){0,3}?(?:\S+-)?(?:компания|агентство|производитель|поставщик|студия|команда)|наша (?:компания|команда|студия) (?:предлагает|занимается|является)|предлагаем (?:вам|вашему))`],
    // The writer offers something for sale.
    ['offer', String.raw`(?:wholesale prices?|(?:our |the )?catalog(?:ue)? (?:is )?attached|free (?:quote|audit|trial|consultation|samples?|SEO)|search engine optimi[sz]ation|SEO (?:services|audit|package)|(?:dofollow )?backlinks?|guest posts?|sponsored (?:article|post)s?|link building|send you (?:a|our) (?:proposal|quote|price list)|business proposal|(?:marketing|maintenance|SEO) packages?|OEM|(?:first page|top(?:[ -]\d+)?) (?:of|on|in) (?:Google|Bing|Yandex)|increase your (?:traffic|sales|ranking)|guaranteed (?:results|ranking|traffic))`],
    ['offer', String.raw`(?:prezzi all'ingrosso|preventivo (?:gratuito|senza impegno)|posizionamento su Google|prima pagina di Google|pacchett\S+ SEO|inviarvi (?:una|la nostra) (?:proposta|offerta)|listino (?:riservato|prezzi))`],
    ['offer', String.raw`(?:Großhandelspreise[n]?|kostenlose[sn]? (?:Angebot|Analyse|Audit|Beratung)|Suchmaschinenoptimierung|Angebot (?:zusenden|unterbreiten))`],
    ['offer', String.raw`(?:предлагаем|продвижени\S* (?:вашего |вашей )?(?:сайта|компании|бизнеса)|(?:в )?топ[ -]?\d+|бесплатн\S* (?:аудит|анализ|консультаци\S*)|гаранти\S* результат\S*|коммерческое предложение|услуги по \S+)`],
    // Phishing: an account about to be closed unless the reader clicks.
    ['phishing', String.raw`(?:click (?:here|the link below|below) to (?:verify|confirm|update|validate|unlock|restore)|(?:your )?(?:account|mailbox|e-?mail) (?:will be|has been) (?:suspended|deactivated|closed|locked)|(?:exceeded|reached) (?:its|your|the) (?:storage|quota|mailbox) (?:limit|quota)|verify your (?:account|identity|mailbox) within \d+ hours)`],
    // A salutation written to whoever opens the mailbox.
    ['addressee', String.raw`(?:(?:Dear|Hello) (?:CEO|Winner|Beneficiary|Friend|Webmaster|Sir/Madam|(?:Website|Site|Business|Shop) Owner|Purchasing|Procurement|Business Partner|Sir or Madam,? we)|Gentile (?:titolare|responsabile acquisti)|Sehr geehrte[rs]? (?:Geschäftsführer(?:in)?|Geschäftsleitung|Einkauf)|Уважаем\S+ (?:руководител\S+|владел\S+ сайта))`],
    // Asks for the details a scam needs.
    ['details', String.raw`(?:(?:send|reply with) (?:us |me )?(?:your )?(?:full name,? (?:and )?(?:address|bank|phone)|bank (?:details|account)|passport)|coordinate bancarie|Bankverbindung und|банковские реквизиты|please confirm within \d+ (?:working |business )?days|reply within \d+ (?:working |business )?days)`],
    // Contact me somewhere else.
    ['elsewhere', String.raw`(?:(?:contact|reach|message|write to|call) (?:us|me) (?:on|via) (?:WhatsApp|Telegram|Viber|WeChat|Skype)|(?:пишите|звоните)[^.!\n]{0,40}(?:Telegram|WhatsApp|Viber|телеграм)|(?:WhatsApp|Telegram|WeChat|Viber)\s*:\s*\+?\d)`],
  ] as const
).map(([kind, source]) => [kind, new RegExp(`${B}${source}${E}`, 'giu')]);

/** Every sign of spam or an unsolicited offer in a text, in the order of the patterns. Pure. */
export function unsolicitedSigns(text: string): UnsolicitedSign[] {
  const signs: UnsolicitedSign[] = [];
  for (const [kind, pattern] of SIGNS) {
    for (const match of text.matchAll(pattern)) signs.push({ kind, text: match[0] });
  }
  return signs;
}

/**
 * Whether a message reads as spam or an unsolicited offer: signs of two kinds, one of them a prize,
 * the writer selling, an offer, phishing or a mass salutation; or two different signs of a prize, the
 * writer selling or phishing; or three different signs. Give it what the writer wrote (greeting and
 * signature included, quoted replies left out: those may be the shop's own offers). Pure.
 */
export function isUnsolicited(text: string): boolean {
  const signs = unsolicitedSigns(text);
  const kinds = new Set(signs.map((sign) => sign.kind));
  if (kinds.size >= 2 && [...kinds].some((kind) => LEADING.has(kind))) return true;
  const distinct = new Set(signs.map((sign) => sign.text.toLowerCase()));
  // Three different signs of one kind, or two of a kind only a spammer writes.
  return distinct.size >= 3 || (distinct.size >= 2 && [...kinds].some((kind) => SELF_EVIDENT.has(kind)));
}
