/**
 * The ingestion corpus: resolved tickets and help-centre articles built from
 * the shared datasets (shared/datasets/<name>/README.md), deterministically.
 *
 * Tickets: every base item is used once as it is (real customer text, real
 * answer where the dataset has one); past the ~27k base items the same
 * customer utterances come back wrapped in different openings, closings,
 * order numbers, dates and products, with ticket-specific sentences in long
 * texts, so every passage the knowledge base embeds is distinct (identical
 * passages are embedded once by the content-hash cache, which would flatter
 * throughput). Ticket i depends only on (seed, i): the 10k corpus is the first
 * 10k tickets of the 100k one, and "100 new tickets" are tickets n…n+99.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import type { Ticket } from '@answerdesk/core';
import { rng, shuffled } from '../retrieval/random.js';

// ------------------------------------------------------------------ sources

interface MultiRow {
  subject: string;
  body: string;
  answer: string;
  type: string;
  queue: string;
  priority: string;
  language: string;
  tags: string[];
}

interface BitextRow {
  instruction: string;
  response: string;
  intent: string;
  category: string;
}

interface Utterance {
  text: string;
  intent: string;
  category?: string;
}

interface Faq {
  question: string;
  answer: string;
  section: string;
}

export interface Sources {
  multilingual: MultiRow[];
  bitext: BitextRow[];
  /** Bitext 8K file: customer utterances only (answered with a response of the same intent from the 4.5K file). */
  service: Utterance[];
  /** BANKING77 train + test: customer queries only (answered from the bank FAQs). */
  banking: Utterance[];
  faqs: Faq[];
  counts: Record<string, number>;
}

const readCsv = async <T>(file: string): Promise<T[]> => parse(await readFile(file, 'utf8'), { columns: true, skip_empty_lines: true, bom: true }) as T[];
const squash = (text: string) => text.replace(/\s+/g, ' ').trim();

export async function loadSources(dir: string): Promise<Sources> {
  const multi = await readCsv<Record<string, string>>(path.join(dir, 'support-tickets-multilingual', 'dataset-tickets-multi-lang3-4k.subset.csv'));
  const multilingual = multi
    .filter((r) => r.body!.trim() && r.answer!.trim())
    .map((r) => ({
      subject: r.subject!.trim(),
      body: r.body!.trim(),
      answer: r.answer!.trim(),
      type: r.type!,
      queue: r.queue!,
      priority: r.priority!,
      language: r.language!,
      tags: [1, 2, 3, 4, 5, 6, 7, 8, 9].map((k) => r[`tag_${k}`] ?? '').filter(Boolean),
    }));
  const bitext = (await readCsv<Record<string, string>>(path.join(dir, 'bitext-customer-support', 'Bitext_Sample_Customer_Support_Training_Dataset.csv'))).map((r) => ({
    instruction: squash(r.instruction!),
    response: r.response!.trim(),
    intent: r.intent!,
    category: r.category!,
  }));
  const service = (await readCsv<Record<string, string>>(path.join(dir, 'bitext-customer-support', 'Bitext_Sample_Customer_Service_Training_Dataset.csv'))).map((r) => ({
    text: squash(r.utterance!),
    intent: r.intent!,
    category: r.category!,
  }));
  const banking: Utterance[] = [];
  for (const file of ['train.csv', 'test.csv']) {
    for (const r of await readCsv<{ text: string; category: string }>(path.join(dir, 'banking77', file))) banking.push({ text: squash(r.text), intent: r.category });
  }
  const seenAnswers = new Set<string>();
  const faqs: Faq[] = [];
  for (const r of await readCsv<{ Question: string; Answer: string; Class: string }>(path.join(dir, 'bank-faqs', 'BankFAQs.csv'))) {
    const answer = squash(r.Answer);
    if (!answer || seenAnswers.has(answer.toLowerCase())) continue;
    seenAnswers.add(answer.toLowerCase());
    faqs.push({ question: squash(r.Question), answer, section: r.Class });
  }
  return {
    multilingual,
    bitext,
    service,
    banking,
    faqs,
    counts: { multilingual: multilingual.length, bitext: bitext.length, bitextService: service.length, banking77: banking.length, bankFaqs: faqs.length },
  };
}

// ------------------------------------------------------------------ helpers

type Random = () => number;
const pick = <T>(items: readonly T[], random: Random): T => items[Math.floor(random() * items.length)]!;
const fill = (template: string, facts: Record<string, string>) => template.replace(/\{(\w+)\}/g, (_, key: string) => facts[key] ?? key);
const words = (text: string) => text.split(/\s+/).filter(Boolean).length;
const humanize = (intent: string) => intent.replace(/[?]/g, '').replace(/_/g, ' ').toLowerCase();
const capital = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
const slug = (text: string) => text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');

/** Sentences of a text; list numbers ("1. Firstly…") are dropped so they do not become sentences. */
export function sentences(text: string): string[] {
  return squash(text.replace(/(^|\n)\s*(\d+\.|[-*•])\s+/g, '$1'))
    .split(/(?<=[.!?])\s+(?=[\p{Lu}\p{N}"'(¿¡])/u)
    .map((s) => s.trim())
    .filter(Boolean);
}

const FIRST_NAMES = ['Anna', 'Ben', 'Chloé', 'David', 'Elif', 'Farid', 'Grace', 'Hannah', 'Ivan', 'Julia', 'Kenji', 'Laura', 'Mateo', 'Nadia', 'Oliver', 'Priya', 'Quentin', 'Rosa', 'Samuel', 'Tara', 'Umar', 'Vera', 'William', 'Xenia', 'Yusuf', 'Zoe', 'Marta', 'Lukas', 'Inês', 'João', 'Sofia', 'Pierre', 'Lena', 'Tomás', 'Emma', 'Noah'];
const LAST_INITIALS = 'ABCDEFGHIJKLMNOPRSTVW';
const AGENTS = ['Alex', 'Jordan', 'Sam', 'Robin', 'Casey', 'Morgan', 'Taylor', 'Jamie', 'Riley', 'Avery', 'Charlie', 'Dana'];
const PRODUCTS = [
  'Philips hand blender', 'Sony WH-1000XM5 headphones', 'Dyson V11 vacuum', 'Kindle Paperwhite', 'Nike Pegasus 40 running shoes', 'Le Creuset casserole', 'Logitech MX Master 3S mouse',
  'Samsung 55" QLED TV', 'iPad Air case', 'Bosch cordless drill', 'Nespresso Vertuo machine', 'Garmin Forerunner 255', 'IKEA Poäng armchair', 'Levi\'s 501 jeans', 'Canon EOS R50 camera',
  'Fitbit Charge 6', 'KitchenAid stand mixer', 'Anker 737 power bank', 'Tefal frying pan set', 'Lego Technic set', 'Brita water filter jug', 'JBL Flip 6 speaker', 'Osprey daypack',
  'Premium hosting plan', 'Business email add-on', 'Platinum credit card', 'Regalia debit card', 'travel insurance policy', 'personal loan', 'savings account',
];
const CHANNELS = ['email', 'chat', 'web form', 'phone'];
const CATEGORY_QUEUE: Record<string, string> = {
  ACCOUNT: 'customer-care', ORDER: 'orders', REFUND: 'billing', DELIVERY: 'logistics', INVOICE: 'billing', FEEDBACK: 'customer-care',
  PAYMENT: 'billing', CONTACT: 'customer-care', SHIPPING_ADDRESS: 'logistics', CANCELLATION_FEE: 'billing', NEWSLETTER: 'marketing',
};

/** Per-ticket facts (unique order, case and account numbers: ticket i gets its own). */
interface Facts extends Record<string, string> {
  name: string;
  agent: string;
  order: string;
  case: string;
  account: string;
  date: string;
  product: string;
  amount: string;
}

/** A bijection of 0…8,999,999 (7919 is prime and does not divide 9,000,000), so every ticket gets its own number. */
const spread = (i: number, salt: number) => 1_000_000 + ((i * 7919 + salt) % 9_000_000);

function factsFor(i: number, random: Random): Facts {
  const day = new Date(Date.UTC(2024, 0, 1) + Math.floor(random() * 600) * 86_400_000);
  return {
    name: `${pick(FIRST_NAMES, random)} ${LAST_INITIALS[Math.floor(random() * LAST_INITIALS.length)]}.`,
    agent: pick(AGENTS, random),
    order: `BC-${spread(i, 17)}`,
    case: `CS-${spread(i, 4_242_421)}`,
    account: `AC${spread(i, 777_001)}`,
    date: day.toISOString().slice(0, 10),
    product: pick(PRODUCTS, random),
    amount: `${(5 + random() * 495).toFixed(2)}`,
  };
}

/** Bitext placeholders ({{Order Number}}, {{Website URL}}…) filled with concrete values, as a real reply would have them. */
function fillPlaceholders(text: string, facts: Facts | undefined): string {
  return text.replace(/\{\{([^}]*)\}\}/g, (_, raw: string) => {
    const name = raw.trim();
    if (/^\d+$|^[0-9A-F]{20,}$/.test(name)) return facts?.order ?? 'your order';
    if (/order|purchase/i.test(name) && /number|id/i.test(name)) return facts?.order ?? 'your order number';
    if (/invoice|bill/i.test(name) && /number/i.test(name)) return facts ? `INV-${facts.order.slice(3)}` : 'your invoice number';
    if (/tracking number/i.test(name)) return facts ? `1Z${facts.order.slice(3)}GB` : 'your tracking number';
    if (/website name|company name|website\/app name|mobile app name/i.test(name)) return 'BrightCart';
    if (/url|website$|company website|service website/i.test(name)) return 'www.brightcart.com';
    if (/phone/i.test(name)) return '+1 800 555 0142';
    if (/e-?mail/i.test(name)) return 'support@brightcart.com';
    if (/hours|availability|start time|end time|operating/i.test(name)) return '8:00–20:00 Monday to Saturday';
    if (/date/i.test(name)) return facts?.date ?? 'the purchase date';
    if (/name field/i.test(name)) return facts?.name ?? 'your name';
    if (/number of days|refund period|time frame|timeframe|processing time/i.test(name)) return '14 days';
    if (/payment method/i.test(name)) return 'Visa ending 4242';
    return name.replace(/ Anonymized$/, '');
  });
}

// ------------------------------------------------------------------ language templates

interface Phrases {
  openings: string[];
  closings: string[];
  details: string[];
  greetings: string[];
  notes: string[];
  signoffs: string[];
}

const PHRASES: Record<string, Phrases> = {
  en: {
    openings: ['Hello,', 'Hi team,', 'Good morning,', 'Hi there,', 'Dear support,', 'Hey,', 'Good afternoon,'],
    closings: ['Thanks in advance, {name}', 'Best regards, {name}', 'Thank you, {name}', 'Cheers, {name}', 'Kind regards, {name}', '{name}'],
    details: ['My order number is {order}.', 'This is about order {order} from {date}.', 'Account reference: {account}.', 'I bought the {product} on {date} (order {order}).', 'It concerns the {product}, order {order}.', 'Customer number {account}, if that helps.'],
    greetings: ['Hi {name},', 'Hello {name},', 'Dear {name},', 'Thanks for reaching out, {name}'],
    notes: ['I have noted this on case {case}.', 'Your case number is {case}.', 'For reference, this concerns order {order} of {date}.', 'I have added a note to account {account}.', 'This applies to your {product} too (order {order}).'],
    signoffs: ['Kind regards, {agent}, Customer Support (case {case})', 'Best, {agent} – case {case}', 'Thanks, {agent}. Reference: {case}', 'All the best, {agent} from the support team ({case})'],
  },
  de: {
    openings: ['Hallo,', 'Guten Tag,', 'Sehr geehrtes Support-Team,', 'Liebes Team,'],
    closings: ['Vielen Dank, {name}', 'Mit freundlichen Grüßen, {name}', 'Beste Grüße, {name}'],
    details: ['Meine Bestellnummer ist {order}.', 'Es geht um die Bestellung {order} vom {date}.', 'Kundennummer: {account}.'],
    greetings: ['Hallo {name},', 'Guten Tag {name},', 'Liebe/r {name},'],
    notes: ['Ich habe dies unter Fall {case} vermerkt.', 'Ihre Fallnummer lautet {case}.', 'Dies betrifft die Bestellung {order} vom {date}.'],
    signoffs: ['Mit freundlichen Grüßen, {agent}, Kundensupport ({case})', 'Viele Grüße, {agent} – Fall {case}'],
  },
  es: {
    openings: ['Hola,', 'Buenos días,', 'Estimado equipo de soporte,', 'Buenas tardes,'],
    closings: ['Gracias, {name}', 'Saludos cordiales, {name}', 'Un saludo, {name}'],
    details: ['Mi número de pedido es {order}.', 'Se trata del pedido {order} del {date}.', 'Número de cliente: {account}.'],
    greetings: ['Hola {name},', 'Estimado/a {name},', 'Buenos días {name},'],
    notes: ['He registrado esto en el caso {case}.', 'Su número de caso es {case}.', 'Esto se refiere al pedido {order} del {date}.'],
    signoffs: ['Saludos cordiales, {agent}, Atención al cliente ({case})', 'Un saludo, {agent} – caso {case}'],
  },
  fr: {
    openings: ['Bonjour,', 'Madame, Monsieur,', 'Bonsoir,', 'Chère équipe,'],
    closings: ["Merci d'avance, {name}", 'Cordialement, {name}', 'Bien à vous, {name}'],
    details: ['Mon numéro de commande est {order}.', "Il s'agit de la commande {order} du {date}.", 'Numéro client : {account}.'],
    greetings: ['Bonjour {name},', 'Cher/Chère {name},', 'Madame, Monsieur {name},'],
    notes: ["J'ai noté cela dans le dossier {case}.", 'Votre numéro de dossier est {case}.', 'Cela concerne la commande {order} du {date}.'],
    signoffs: ['Cordialement, {agent}, Service client ({case})', 'Bien à vous, {agent} – dossier {case}'],
  },
  pt: {
    openings: ['Olá,', 'Bom dia,', 'Prezada equipe de suporte,', 'Boa tarde,'],
    closings: ['Obrigado, {name}', 'Atenciosamente, {name}', 'Abraços, {name}'],
    details: ['O número do meu pedido é {order}.', 'Trata-se do pedido {order} de {date}.', 'Número de cliente: {account}.'],
    greetings: ['Olá {name},', 'Prezado/a {name},', 'Bom dia {name},'],
    notes: ['Registrei isto no caso {case}.', 'O número do seu caso é {case}.', 'Isto se refere ao pedido {order} de {date}.'],
    signoffs: ['Atenciosamente, {agent}, Suporte ao cliente ({case})', 'Abraços, {agent} – caso {case}'],
  },
};
const phrasesOf = (language: string) => PHRASES[language] ?? PHRASES.en!;

/**
 * A ticket-specific sentence (case, order or account number) at least every
 * `every` words, so that every 80-word passage window of a long text is
 * distinct from the same base text in another ticket.
 */
function personalize(text: string, facts: Facts, language: string, random: Random, every = 45): string {
  const notes = phrasesOf(language).notes;
  const out: string[] = [];
  let since = 0;
  for (const sentence of sentences(text)) {
    out.push(sentence);
    since += words(sentence);
    if (since >= every) {
      out.push(fill(pick(notes, random), facts));
      since = 0;
    }
  }
  return out.join(' ');
}

// ------------------------------------------------------------------ tickets

type BaseItem = { kind: 'multilingual'; row: MultiRow } | { kind: 'bitext'; row: BitextRow } | { kind: 'service'; row: Utterance } | { kind: 'banking'; row: Utterance };

/** Bank FAQ section that answers a BANKING77 intent (coarse, by keywords: the answer is a plausible agent reply, not a graded one). */
function faqSectionOf(intent: string): string[] {
  if (/pin|passcode|compromised|identity|verify|stolen|not_recognised/.test(intent)) return ['security', 'cards'];
  if (/card|atm|contactless|apple_pay|visa|cash_withdrawal/.test(intent)) return ['cards'];
  if (/transfer|beneficiary|direct_debit|receiving_money/.test(intent)) return ['fundstransfer', 'accounts'];
  if (/exchange|currency|fiat/.test(intent)) return ['investments', 'accounts'];
  if (/top_up|balance|cheque|refund|charge|fee/.test(intent)) return ['accounts', 'cards'];
  return ['accounts', 'loans'];
}

function bankingQueue(intent: string): string {
  if (/compromised|stolen|not_recognised|verify|identity|passcode|pin/.test(intent)) return 'security';
  if (/transfer|beneficiary|direct_debit|receiving_money/.test(intent)) return 'transfers';
  if (/top_up|balance|cheque|exchange|currency|fiat/.test(intent)) return 'payments';
  if (/card|atm|contactless|apple_pay|visa|cash/.test(intent)) return 'cards';
  return 'accounts';
}

const PRIORITIES = [['low', 0.25], ['medium', 0.45], ['high', 0.22], ['urgent', 0.08]] as const;
function pickPriority(random: Random): string {
  let r = random();
  for (const [name, share] of PRIORITIES) if ((r -= share) < 0) return name;
  return 'medium';
}

const SUBJECTS = ['{Intent}', 'Question about {intent}', '{Intent} – order {order}', 'Re: {intent}', 'Help with {intent}', '{Intent} ({product})', 'Urgent: {intent}', '{Intent}?'];

/** Builds tickets from the shared datasets; ticket i depends only on the seed and i. */
export class TicketFactory {
  private readonly pool: BaseItem[];
  private readonly responsesByIntent = new Map<string, BitextRow[]>();
  private readonly faqsBySection = new Map<string, Faq[]>();

  constructor(private readonly sources: Sources, private readonly seed: number) {
    const items: BaseItem[] = [
      ...sources.multilingual.map((row) => ({ kind: 'multilingual' as const, row })),
      ...sources.bitext.map((row) => ({ kind: 'bitext' as const, row })),
      ...sources.service.map((row) => ({ kind: 'service' as const, row })),
      ...sources.banking.map((row) => ({ kind: 'banking' as const, row })),
    ];
    this.pool = shuffled(items, rng(seed));
    for (const row of sources.bitext) {
      const list = this.responsesByIntent.get(row.intent) ?? [];
      list.push(row);
      this.responsesByIntent.set(row.intent, list);
    }
    for (const faq of sources.faqs) {
      const list = this.faqsBySection.get(faq.section) ?? [];
      list.push(faq);
      this.faqsBySection.set(faq.section, list);
    }
  }

  /** Distinct base items: tickets past this count are varied copies. */
  get baseItems(): number {
    return this.pool.length;
  }

  ticket(i: number): Ticket {
    const random = rng((Math.imul(this.seed, 0x9e3779b1) ^ Math.imul(i + 1, 0x85ebca6b)) >>> 0);
    const base = this.pool[i % this.pool.length]!;
    const varied = i >= this.pool.length;
    const facts = factsFor(i, random);
    const id = `T-${String(i + 1).padStart(7, '0')}`;
    const createdAt = `${facts.date}T${String(7 + Math.floor(random() * 13)).padStart(2, '0')}:${String(Math.floor(random() * 60)).padStart(2, '0')}:00Z`;
    const fields = { channel: pick(CHANNELS, random), source: base.kind };

    if (base.kind === 'multilingual') {
      const { row } = base;
      const p = phrasesOf(row.language);
      const body = varied ? [pick(p.openings, random), personalize(row.body, facts, row.language, random), fill(pick(p.details, random), facts), fill(pick(p.closings, random), facts)].join('\n') : row.body;
      const resolution = varied ? [fill(pick(p.greetings, random), facts), personalize(row.answer, facts, row.language, random), fill(pick(p.signoffs, random), facts)].join('\n') : row.answer;
      const subject = varied && row.subject ? (random() < 0.5 ? `Re: ${row.subject}` : `${row.subject} (${facts.order})`) : row.subject;
      return {
        id, subject, body, resolution,
        category: slug(row.tags[0] ?? row.type), queue: row.queue, priority: row.priority, language: row.language, createdAt,
        tags: row.tags.slice(0, 4).map(slug), fields,
      };
    }

    const p = PHRASES.en!;
    let utterance: string;
    let intent: string;
    let category: string;
    let queue: string;
    let answer: string;
    if (base.kind === 'bitext' || base.kind === 'service') {
      const row = base.row;
      intent = row.intent;
      category = (row.category ?? 'ORDER').toLowerCase();
      queue = CATEGORY_QUEUE[row.category ?? ''] ?? 'customer-care';
      utterance = 'instruction' in row ? row.instruction : row.text;
      const response = 'response' in row ? row.response : pick(this.responsesByIntent.get(intent) ?? this.sources.bitext, random).response;
      answer = fillPlaceholders(response, facts);
    } else {
      const row = base.row;
      intent = row.intent;
      category = intent.replace(/[?]/g, '').toLowerCase();
      queue = bankingQueue(intent);
      utterance = row.text;
      const faqs = faqSectionOf(intent).flatMap((section) => this.faqsBySection.get(section) ?? []);
      const first = pick(faqs, random).answer;
      // Short FAQ answers get a second one, as an agent's reply covers the follow-up question too.
      answer = words(first) < 40 ? `${first} ${pick(faqs, random).answer}` : first;
    }
    const subjectTemplate = random() < 0.1 ? '' : pick(SUBJECTS, random);
    const subject = fill(subjectTemplate, { ...facts, intent: humanize(intent), Intent: capital(humanize(intent)) });
    const detail = random() < 0.6 ? fill(pick(p.details, random), facts) : '';
    const body = varied || base.kind === 'banking' || base.kind === 'service'
      ? [random() < 0.7 ? pick(p.openings, random) : '', capital(utterance), detail, random() < 0.6 ? fill(pick(p.closings, random), facts) : ''].filter(Boolean).join('\n')
      : utterance;
    // A borrowed answer (BANKING77 and the 8K utterances have none of their own) is shared with other tickets: personalized always.
    const ownAnswer = base.kind === 'bitext' && !varied;
    const resolution = [fill(pick(p.greetings, random), facts), ownAnswer ? squash(answer) : personalize(answer, facts, 'en', random), fill(pick(p.signoffs, random), facts)].join('\n');
    return { id, subject, body, resolution, category, queue, priority: pickPriority(random), language: 'en', createdAt, tags: [slug(humanize(intent))], fields };
  }

  tickets(from: number, count: number): Ticket[] {
    return Array.from({ length: count }, (_, k) => this.ticket(from + k));
  }
}

// ------------------------------------------------------------------ articles

interface Paragraph {
  heading: string;
  text: string;
}

const DOMAINS = [
  { folder: 'banking', brand: 'Northbank', products: ['Platinum credit card', 'Regalia debit card', 'Easy Saver account', 'MoneyBack card', 'NetBanking', 'home loan', 'car loan', 'travel insurance', 'fixed deposit', 'mobile banking app'] },
  { folder: 'shop', brand: 'BrightCart', products: ['BrightCart Plus membership', 'standard delivery', 'express delivery', 'click & collect', 'gift certificates', 'marketplace sellers', 'the BrightCart app', 'BrightCart Pay Later', 'electronics orders', 'furniture orders'] },
  { folder: 'it', brand: 'Cloudhaven', products: ['Starter hosting plan', 'Business hosting plan', 'managed WordPress', 'business email', 'VPN client', 'backup service', 'SSO portal', 'ticketing portal', 'status page', 'DNS manager'] },
];

const TOPIC_TITLES = ['Getting started with {product}', '{Product}: common questions', 'Troubleshooting {product}', '{Product}: fees, limits and timings', 'Managing {product}', '{Product}: problems and fixes', 'Everything about {product}', '{Product}: security and access', 'How {product} works', '{Product}: changes and cancellations'];

/**
 * Help-centre articles: 3–6 sections, each 60–150 words of real answers
 * (bank FAQ answers, Bitext responses, English ticket answers) under a real
 * question as heading. Distinct section texts are guaranteed (a duplicate is
 * redrawn). Pure given the sources and seed.
 */
export function buildArticles(sources: Sources, count: number, seed: number): Array<{ file: string; markdown: string; id: string }> {
  const random = rng(seed + 1000);
  const generic: Facts = { name: 'you', agent: 'the support team', order: 'your order number', case: 'your case number', account: 'your customer number', date: 'the order date', product: 'your item', amount: '0' };
  const pools: Paragraph[][] = [
    sources.faqs.map((f) => ({ heading: f.question.replace(/\s*\?*$/, '?'), text: f.answer })),
    sources.bitext.map((b) => ({ heading: capital(b.instruction.replace(/[?.!]*$/, '')), text: fillPlaceholders(b.response, undefined) })),
    sources.multilingual.filter((m) => m.language === 'en' && m.subject).map((m) => ({ heading: m.subject, text: m.answer })),
  ];
  const domainPool = [pools[0]!, pools[1]!, pools[2]!];
  const seenSections = new Set<string>();
  const out: Array<{ file: string; markdown: string; id: string }> = [];
  for (let a = 0; a < count; a++) {
    const d = a % 3;
    const domain = DOMAINS[d]!;
    const pool = domainPool[d]!;
    const product = pick(domain.products, random);
    const title = `${fill(pick(TOPIC_TITLES, random), { product, Product: capital(product) })} (${domain.brand} ${String(a + 1).padStart(4, '0')})`;
    const id = `${domain.folder}-${String(a + 1).padStart(4, '0')}`;
    const sectionCount = 3 + Math.floor(random() * 4);
    const sections: string[] = [];
    const headings = new Set<string>();
    while (sections.length < sectionCount) {
      const target = 60 + Math.floor(random() * 91);
      const first = pick(pool, random);
      if (headings.has(first.heading)) continue;
      const collected: string[] = [`This applies to ${product} at ${domain.brand}.`];
      let n = words(collected[0]!);
      let source = first;
      for (let guard = 0; n < target && guard < 6; guard++) {
        for (const sentence of sentences(fillPlaceholders(source.text, generic))) {
          if (n >= target) break;
          if (n + words(sentence) > 150) continue;
          collected.push(sentence);
          n += words(sentence);
        }
        source = pick(pool, random);
      }
      if (n < 60) continue;
      // About a third of sections end in a bulleted list, as help-centre pages do.
      let body: string;
      if (collected.length >= 5 && random() < 0.35) {
        const split = collected.length - 2 - Math.floor(random() * 2);
        body = `${collected.slice(0, split).join(' ')}\n\n${collected.slice(split).map((s) => `- ${s}`).join('\n')}`;
      } else {
        const mid = Math.ceil(collected.length / 2);
        body = collected.length > 3 ? `${collected.slice(0, mid).join(' ')}\n\n${collected.slice(mid).join(' ')}` : collected.join(' ');
      }
      const key = `${first.heading}\n${body}`;
      if (seenSections.has(key)) continue;
      seenSections.add(key);
      headings.add(first.heading);
      sections.push(`## ${first.heading}\n\n${body}`);
    }
    const tags = [slug(product), domain.folder];
    const markdown = `---\nid: ${id}\ntitle: ${JSON.stringify(title)}\ncategory: ${domain.folder}\nlanguage: en\ntags: [${tags.join(', ')}]\n---\n\n${sections.join('\n\n')}\n`;
    out.push({ file: `${domain.folder}/${id}.md`, markdown, id });
  }
  return out;
}

/**
 * Change one section of an article: one sentence in the middle of its second
 * section gets different words. The line count stays the same, so no other
 * section moves (a moved section changes only its line in the source, and
 * costs no embedding either way). Returns the new markdown and the heading changed.
 */
export function editOneSection(markdown: string): { markdown: string; heading: string } {
  const lines = markdown.split('\n');
  const headingsAt = lines.flatMap((line, i) => (line.startsWith('## ') ? [i] : []));
  const start = headingsAt[1] ?? headingsAt[0]!;
  const end = headingsAt.find((i) => i > start) ?? lines.length;
  // The first body line of the section (a paragraph), changed mid-way.
  const at = lines.findIndex((line, i) => i > start && i < end && line.trim() !== '' && !line.startsWith('- '));
  const line = lines[at]!;
  const cut = line.indexOf('. ', Math.floor(line.length / 3));
  const edited = cut > 0
    ? `${line.slice(0, cut + 2)}Since the last update, requests like this are handled within two working days instead of five. ${line.slice(cut + 2)}`
    : `${line} Since the last update, requests like this are handled within two working days instead of five.`;
  lines[at] = edited;
  return { markdown: lines.join('\n'), heading: lines[start]!.slice(3) };
}
