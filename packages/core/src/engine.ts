import type { Encoder } from '@answerdesk/embeddings';
import { trainCategorizer, type Categorizer, type CategorizerOptions, type LabeledText, type PriorityCue } from '@answerdesk/triage';
import { AnswerdeskError, type DocFilter, type KnowledgeDoc, type Feedback, type IncomingMessage, type LabelPrediction, type QueryLanguage, type QuestionAnswer, type SearchHit, type SearchMode, type Suggestion, type TriageResult } from '@answerdesk/types';
import { createSpeller, extractEntities, fromLatinRussian, mayBeLatinRussian, readMessage, servicesNamed, servicesSpokenOf, withoutIdentifiers, type ServiceMention, type Speller } from '@answerdesk/message';
import { adaptResolution, answerUnits, statedNumbers, type AnswerUnit, type ReplyTemplate } from '@answerdesk/reply';
import { DEFAULT_CONFIDENCE_MODEL, type ConfidenceBands, type ConfidenceModel } from './answer-confidence.js';
import { answerQuestion, type RatedCandidate } from './answer-question.js';
import { composeSuggestion, NOTHING_TO_ANSWER } from './suggestion.js';
import { nothingToAnswer } from './nothing-to-answer.js';
import { checkQuestion, checkSearch, readQueryLanguage, type RankingOptions } from './answering.js';
import type { IndexProgress, SearchOptions, SearchResult, SuggestOptions, TrainOptions, TriageOptions } from './types.js';
import { languageName, languageNotes, sameLanguage, type TranslationIndex } from './translations.js';
import { learnLexicon, readGloss, translationPairs, writtenForms, type Gloss, type Lexicon } from './lexicon.js';
import { checkFieldName, composeTriage, retrainFields } from './triage.js';
import { yieldToLoop } from './yield.js';
import { BoundedCache } from './bounded-cache.js';
import { FeedbackMemory, learnedAdjustments, questionKey, type AgentRecord, type LearningOptions } from './learning.js';

/** The options the answering side reads, whatever the store. */
export interface EngineOptions extends RankingOptions {
  /** The model that turns what ranking knows into the probability an answer is right. Default: DEFAULT_CONFIDENCE_MODEL. */
  confidenceModel?: ConfidenceModel;
  /** Probability bands of the levels and of abstaining. Default: DEFAULT_BANDS. */
  bands?: ConfidenceBands;
  preferArticles?: boolean;
  maxQueryLength?: number;
  languages?: readonly string[];
  priorityCues?: readonly PriorityCue[];
  categorizer?: Omit<CategorizerOptions, 'field' | 'descriptions' | 'onProgress'>;
  /** Learning from agents' feedback (see LearningOptions). Default: on. */
  learning?: LearningOptions;
}

/** `https://www.brightcart.com/help` → `brightcart.com`. */
function hostOf(value: string): string {
  return value.replace(/^[a-z]+:\/\//i, '').replace(/[/?#:].*$/, '').replace(/^www\./i, '').toLowerCase();
}

/** `SuggestOptions.pick`, checked: question index → source id. */
function checkPicks(pick: SuggestOptions['pick']): Map<number, string> {
  const out = new Map<number, string>();
  if (pick === undefined) return out;
  const bad = () => new AnswerdeskError('ADK_OPTION_INVALID', { option: 'pick', reason: 'must be a list of { question, sourceId }: the question\'s index (0 for the first) and the id of a source listed for it' });
  if (!Array.isArray(pick) || pick.length > MAX_QUESTIONS * 4) throw bad();
  for (const entry of pick) {
    if (!entry || !Number.isInteger(entry.question) || entry.question < 0 || typeof entry.sourceId !== 'string' || entry.sourceId === '') throw bad();
    out.set(entry.question, entry.sourceId);
  }
  return out;
}

/** A categorizer trained with another model cannot read this one's vectors: answering goes on without it. */
function usable(categorizer: Categorizer, encoder: Encoder): boolean {
  try {
    categorizer.checkEncoder(encoder);
    return true;
  } catch {
    return false;
  }
}

export type CategorizerOrigin = 'knowledge-base' | 'examples';

/** A suggestion looks this deep, so asking for more alternatives never changes whether the engine answers. */
const SUGGEST_DEPTH = 8;
/** Of those, at least this many article sections where the knowledge base has any near the question: the published policy is always weighed. */
const SUGGEST_SECTIONS = 3;

/** Questions answered in one message; more are rare and would slow the answer. */
const MAX_QUESTIONS = 4;
const UNIT_CACHE_SIZE = 5000;
const RESOLUTION_CACHE_SIZE = 2000;
/** Aligned pairs (headings, paragraphs, list items) a word-for-word bridge needs: a translated article gives about 40. */
const MIN_LEXICON_PAIRS = 40;

/** What the engine reads of the knowledge base it answers for; the knowledge base reads it from its store. */
export interface KnowledgeAccess {
  readonly encoder: Encoder;
  readonly options: EngineOptions;
  /** Catch up with other writers before a read. */
  beforeRead(): Promise<void>;
  /**
   * Ranked, translation-collapsed hits for a question. `embedded`: its vector when already known, or
   * on its way (the word search runs while an encoder on a worker thread embeds the question).
   * `sections`: at least this many article sections among the k hits, where any are near the question;
   * `gloss`: the question's gloss into a language the encoder reads, whose vector `embedded` is; its words
   * are searched too.
   */
  rank(query: string, mode: SearchMode, k: number, filter: DocFilter | undefined, language: QueryLanguage, embedded?: Float32Array | Promise<Float32Array>, more?: RankMore): Promise<SearchHit[]>;
  /**
   * Hits for documents by id that ranking did not find for a question (a source the agent picked from the
   * knowledge search), rated like ranked ones.
   */
  hitsOf(ids: readonly string[], query: string, language: QueryLanguage, vector: Float32Array | undefined): Promise<SearchHit[]>;
  /** Vectors of section texts (answer units, headings) the store keeps from publishing, by text; those it lacks are left out. */
  storedUnitVectors(texts: readonly string[]): Promise<Map<string, Float32Array>>;
  /** The language of every document the hits matched or show (fetched first where needed). */
  hitLanguages(hits: readonly SearchHit[]): Promise<(id: string) => string | undefined>;
  /** Languages of the knowledge base's documents. */
  documentLanguages(): readonly string[];
  /** Words the speller knows, with their counts: every document's text and answer (`countVocabulary`). */
  vocabularyCounts(): Promise<Map<string, number>>;
  /** Changes whenever the documents change (spellers are rebuilt). */
  knowledgeVersion(): number;
  /** Articles' and templates' texts: what the helpdesk itself publishes. */
  publishedTexts(): Promise<Iterable<string>>;
  /** What the word-for-word bridges into the encoder's language learn from: article sections with their translation families, and glossaries. */
  translationSources(): { sections: Iterable<KnowledgeDoc>; translations: TranslationIndex; glossaries: Iterable<KnowledgeDoc> };
  /** The reply templates the knowledge base holds. */
  replyTemplates(): Promise<readonly ReplyTemplate[]>;
  categorizerEntries(): Array<{ field: string; categorizer: Categorizer; origin: CategorizerOrigin }>;
  /** Keep a trained categorizer (in memory, and in the store). */
  keepCategorizer(field: string, categorizer: Categorizer, origin: CategorizerOrigin): Promise<void>;
  labeledExamples(field: string, articles?: boolean): LabeledText[] | Promise<LabeledText[]>;
  /** Agents' feedback on answers and their route corrections, oldest first. */
  agentRecords(): Promise<AgentRecord[]>;
}

/** What else ranking is told: see `KnowledgeAccess.rank`. */
export interface RankMore {
  sections?: number;
  gloss?: Gloss;
}

/** A service's name lowercased, and for two words its last alone ("Your Brightcart" → "your brightcart", "brightcart"). Pure. */
function namesIn(name: string): string[] {
  const lower = name.toLowerCase();
  const parts = lower.split(/\s+/u);
  return parts.length > 1 ? [lower, parts.at(-1)!] : [lower];
}

/** A question read through the knowledge base's bridge into the encoder's language: see `AnswerEngine.readThrough`. */
interface ReadThrough {
  gloss?: Gloss;
  unread?: { words: number; glossed: number };
}

const NOT_READ_THROUGH: ReadThrough = Object.freeze({});

/** What the published articles and templates say to every customer (see `AnswerEngine.published`). */
interface Published {
  ownDomains: string[];
  statedNumbers: Set<string>;
  /** `service|kind` for each service the articles and templates speak of holding something with ("brightcart|account"); undefined when nothing is published. */
  servicesHeld?: Set<string>;
}

/** The vector of a question that is not searched: never read. */
const NOT_EMBEDDED: Promise<Float32Array> = Promise.resolve(new Float32Array(0));

/**
 * Answering, the same whatever holds the documents: reading the question's language, search and
 * suggest around the store's own ranking, triage, categorizing and training. The knowledge base
 * owns one and hands it a `KnowledgeAccess` to its data (composition: no base class to extend).
 */
export class AnswerEngine {
  /** Loaded on the first question: the detector's tables are big and indexing never needs them. */
  private languageDetector?: Promise<typeof import('@answerdesk/triage/language')>;
  private readonly unitCache = new BoundedCache<string, Float32Array>(UNIT_CACHE_SIZE);
  /** Answer units of sections by their markdown: parsing a section is a few milliseconds, and the same sections recur. */
  private readonly unitsCache = new BoundedCache<string, AnswerUnit[]>(UNIT_CACHE_SIZE);
  /** Where past resolutions' details are (see adaptResolution's `cache`). */
  private readonly resolutionCache = new BoundedCache<string, unknown>(RESOLUTION_CACHE_SIZE);
  private publishedFacts?: Published & { version: number };
  /** Word-for-word bridges into the encoder's language, by the question's language (undefined: none can be learned). */
  private lexicons: { version: number; byLanguage: Map<string, Promise<Lexicon | undefined>>; forms: Promise<Map<string, string>> | undefined } = { version: -1, byLanguage: new Map(), forms: undefined };
  private spellers: { version: number; byLanguage: Map<string, Promise<Speller>>; vocabulary: Promise<Map<string, number>> | undefined } = { version: -1, byLanguage: new Map(), vocabulary: undefined };

  /** Agents' feedback with its questions: what suggest learns from. */
  private readonly memory: FeedbackMemory;

  constructor(private readonly knowledge: KnowledgeAccess) {
    this.memory = new FeedbackMemory(
      () => knowledge.agentRecords(),
      // The same reading as a question gets: greetings and signatures out, so similar questions look similar.
      async (texts) => {
        const matched = texts.map((text) => {
          const reading = readMessage(text, {});
          return withoutIdentifiers(reading.text, reading.entities) || text;
        });
        const vectors = await knowledge.encoder.embedQueries(matched);
        return Promise.all(matched.map(async (text, i) => questionKey(vectors[i]!, text, await this.queryLanguage(text, undefined))));
      },
      knowledge.options.learning,
    );
  }

  /** Feedback this process recorded: learning uses it from the next question on. */
  remember(record: AgentRecord): void {
    this.memory.remember(record);
  }

  private get encoder(): Encoder {
    return this.knowledge.encoder;
  }

  private get options(): EngineOptions {
    return this.knowledge.options;
  }

  private checkQuery(text: unknown): string {
    return checkQuestion(text, this.options.maxQueryLength);
  }

  private queryLanguage(text: string, given: string | undefined): Promise<QueryLanguage> {
    this.languageDetector ??= import('@answerdesk/triage/language');
    return readQueryLanguage(text, given, {
      encoder: this.encoder,
      detector: this.languageDetector,
      ...(this.options.languages ? { languages: this.options.languages } : {}),
      ...(this.options.defaultLanguage ? { defaultLanguage: this.options.defaultLanguage } : {}),
      known: this.knowledge.documentLanguages(),
    });
  }

  /** Rank documents for a question: by meaning, by words, or both fused. */
  async search(text: string, options: SearchOptions = {}): Promise<SearchResult> {
    const started = performance.now();
    const query = this.checkQuery(text);
    const { mode, k } = checkSearch(options);
    await this.knowledge.beforeRead();
    const language = await this.queryLanguage(query, options.language);
    const gloss = mode === 'lexical' ? undefined : (await this.readThrough(query, language)).gloss;
    const hits = await this.knowledge.rank(query, mode, k, options.filter, language, gloss ? this.embedQuestion(gloss.text) : undefined, gloss ? { gloss } : {});
    const notes = languageNotes(language, this.encoder.id, mode, gloss?.text);
    return { query, mode, language, hits, ...(notes.length ? { notes } : {}), tookMs: Math.round((performance.now() - started) * 100) / 100 };
  }

  /**
   * The suggested answer for a customer's message: the best section or past
   * resolution with its source and confidence, or an abstention when nothing
   * in the knowledge base is close enough.
   */
  suggest(text: string, options: SuggestOptions = {}): Promise<Suggestion> {
    return this.suggestWith(text, options);
  }

  private async suggestWith(text: string, options: SuggestOptions, embedded?: Float32Array, known?: QueryLanguage): Promise<Suggestion> {
    const started = performance.now();
    const query = this.checkQuery(text);
    const alternatives = options.alternatives ?? 3;
    const picks = checkPicks(options.pick);
    if (options.canned !== undefined && !(typeof options.canned === 'string' && /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(options.canned))) {
      throw new AnswerdeskError('ADK_OPTION_INVALID', { option: 'canned', reason: 'must name a canned reply, such as off-topic, spam, need-details, not-covered or looking-into-it' });
    }
    if (!known) await this.knowledge.beforeRead();
    // Russian written in Latin letters is read in Cyrillic, where the knowledge base has Russian: as written, it is
    // neither English nor anything its Russian articles and glossary know.
    const cyrillic = known || options.language ? undefined : await this.fromLatinRussian(query);
    const message = cyrillic ?? query;
    // Read once to find the language (greetings and footers would skew detection), then again with its speller.
    const first = readMessage(message, options.language ? { language: options.language } : {});
    const language = known ?? (await this.queryLanguage(first.text, options.language));
    const reading = readMessage(message, { language: language.code, speller: await this.speller(language.code) });
    // An automatic reply, a closing thanks, a follow-up or a bare greeting asks nothing: nothing is searched
    // (any match would be a wrong answer), unless the agent chose a canned reply for it.
    const asked = nothingToAnswer(reading);
    const automatic = asked !== undefined && options.canned === undefined;
    // Matched without the customer's identifiers (order numbers, card endings…); shown as written.
    const questions = automatic ? [] : reading.questions.map((q) => q.match).slice(0, MAX_QUESTIONS);
    // "My Netflix account…": an account with a service the knowledge base never mentions is another company's to
    // answer. Such a question is neither glossed, embedded nor searched, unless the agent picked a source for it.
    // A service the articles name, but never as something held of that kind ("Gmail app", never "Gmail account"), is
    // elsewhere too: "my Gmail password" is Google's to answer. A knowledge base of tickets alone is told by its words.
    const words = await this.vocabulary();
    const { servicesHeld, ownDomains } = await this.published();
    const mentioned = (service: ServiceMention) => service.name.split(/\s+/u).some((part) => words.has(part.toLowerCase()));
    const ours = (service: ServiceMention) => mentioned(service) && (!servicesHeld || namesIn(service.name).some((name) => servicesHeld.has(`${name}|${service.kind}`)));
    const elsewhere = questions.map((_question, i) => (picks.has(i) ? undefined : servicesNamed(reading.questions[i]!.text).find((service) => !ours(service))));
    // A question in a language the encoder cannot read is glossed into one it can, where the knowledge base's glossaries or
    // translations teach how. When they know under a third of its words (a football coach, a film for the weekend), what it
    // asks is not known: it is not searched either.
    const readings = await Promise.all(questions.map((question, i) => (elsewhere[i] ? NOT_READ_THROUGH : this.readThrough(question, language))));
    // A question the agent picked a source for is answered from it, however little of it is known.
    const unread = readings.map((read, i) => (picks.has(i) ? undefined : read.unread));
    const skipped = (i: number) => elsewhere[i] !== undefined || unread[i] !== undefined;
    const glosses = readings.map((read, i) => (skipped(i) ? undefined : read.gloss));
    await yieldToLoop();
    // Embedded one question at a time, with a turn for the event loop before each (~10 ms of model time
    // on this thread). Not awaited here: each question's word search runs meanwhile, in parallel with
    // an encoder that embeds on a worker thread (UseLiteEncoder's offThread).
    // A glossed question is searched by its gloss's vector; its own vector still compares it with sections in its language.
    const vectors: Array<Promise<Float32Array>> = [];
    const searchVectors: Array<Promise<Float32Array>> = [];
    if (embedded && questions.length === 1 && questions[0] === query && !glosses[0]) vectors.push(Promise.resolve(embedded));
    else {
      let previous: Promise<unknown> = Promise.resolve();
      for (const [i, question] of questions.entries()) {
        if (skipped(i)) {
          vectors.push(NOT_EMBEDDED);
          continue;
        }
        const both = previous.then(async () => {
          await yieldToLoop();
          return this.encoder.embedQueries(glosses[i] ? [question, glosses[i].text] : [question]);
        });
        const vector = both.then((pair) => pair[0]!);
        searchVectors[i] = both.then((pair) => pair[pair.length - 1]!);
        searchVectors[i]!.catch(() => undefined);
        // Awaited in the loop below; a failure is reported there, not as an unhandled rejection meanwhile.
        vector.catch(() => undefined);
        vectors.push(vector);
        previous = vector;
      }
    }
    const categorizer = this.categorizer('category');
    const published = await this.published();
    const { answers: feedback, recalibration } = await this.memory.current();
    const answered: Array<{ answer: QuestionAnswer; rated: RatedCandidate[] }> = [];
    for (const [i, question] of questions.entries()) {
      await yieldToLoop();
      // A question that is not searched abstains, and the reason says why.
      const notSearched = (reason: string) => answered.push({ answer: { question: reading.questions[i]!.text, status: 'abstained', confidence: { level: 'low', score: 0 }, alternatives: [], reason }, rated: [] });
      const unknown = unread[i];
      if (unknown) {
        notSearched(`Written in ${languageName(language.code)}, and the knowledge base's glossaries and translated articles know ${unknown.glossed} of its ${unknown.words} words: too few to tell what it asks. If it is not about us, send the off-topic reply; if it is, pick a source from the knowledge search.`);
        continue;
      }
      const service = elsewhere[i];
      if (service) {
        const never = mentioned(service) ? `the articles mention ${service.name}, but never a ${service.name} ${service.holding}` : `the knowledge base never mentions ${service.name}`;
        notSearched(`About the customer's ${service.name} ${service.holding}: ${never}, so this is likely a question for that company. If it is not about us, send the off-topic reply.`);
        continue;
      }
      const ranked = await this.knowledge.rank(question, 'hybrid', Math.max(SUGGEST_DEPTH, alternatives + 1), options.filter, language, searchVectors[i] ?? vectors[i]!, { sections: SUGGEST_SECTIONS, ...(glosses[i] ? { gloss: glosses[i] } : {}) });
      const vector = await vectors[i]!;
      // Compared with earlier questions only where agents gave feedback: a foreign question's key is its words' vector.
      const learned = feedback.length ? learnedAdjustments(questionKey(vector, question, language), feedback, this.options.learning) : undefined;
      // The source the agent picked is weighed where ranking did not find it (from the knowledge search, say).
      const hits = picks.has(i) ? await this.withSource(ranked, picks.get(i)!, question, language, vector) : ranked;
      let categoryProbability: ((category: string | undefined) => number | undefined) | undefined;
      let confidentCategory: string | undefined;
      if (categorizer && usable(categorizer, this.encoder)) {
        const p = categorizer.probabilities(vector, question);
        const byLabel = new Map(categorizer.labels.map((label, n) => [label, p[n]!]));
        categoryProbability = (category) => (category === undefined ? undefined : (byLabel.get(category) ?? 0));
        // The same probabilities give the confident category: predictVector would compute them again.
        const best = categorizer.labels.reduce((a, label, n) => (p[n]! > p[a]! ? n : a), 0);
        const label = categorizer.labels[best]!;
        if (categorizer.info.support[label]! > 0 && categorizer.levelOf(p[best]!) !== 'low') confidentCategory = label;
      }
      const answer = await answerQuestion(hits, {
        question: reading.questions[i]!.text,
        match: question,
        language,
        vector,
        ...(glosses[i] ? { gloss: { ...glosses[i], vector: await searchVectors[i]! } } : {}),
        unitVectors: (texts) => this.unitVectors(texts),
        answerUnits: (markdown) => this.answerUnitsOf(markdown),
        resolutionCache: this.resolutionCache,
        ...(learned ? { learned } : {}),
        ...(hits !== ranked ? { depth: hits.length } : {}),
        ...(recalibration ? { recalibration } : {}),
        ...(picks.has(i) ? { picked: picks.get(i)! } : {}),
        entities: reading.entities,
        ownDomains: published.ownDomains,
        statedNumbers: published.statedNumbers,
        ...(reading.customerName ? { customerName: reading.customerName } : {}),
        ...(categoryProbability ? { categoryProbability } : {}),
        ...(confidentCategory ? { confidentCategory } : {}),
        languageOf: await this.knowledge.hitLanguages(hits),
        model: this.options.confidenceModel ?? DEFAULT_CONFIDENCE_MODEL,
        ...(this.options.bands ? { bands: this.options.bands } : {}),
        // preferArticles: false lets a more probable ticket stand, however close an article comes.
        ...(this.options.preferArticles === false ? { articleMargin: -1 } : {}),
        alternatives,
      });
      answered.push(glosses[i] ? { ...answer, answer: { ...answer.answer, gloss: glosses[i].text } } : answer);
    }
    if (automatic) {
      for (const question of reading.questions.slice(0, MAX_QUESTIONS)) {
        answered.push({ answer: { question: question.text, status: 'abstained', confidence: { level: 'low', score: 0 }, alternatives: [], reason: NOTHING_TO_ANSWER[asked!] }, rated: [] });
      }
    }
    return composeSuggestion({
      query,
      reading,
      language,
      answered,
      templates: await this.knowledge.replyTemplates(),
      encoderId: this.encoder.id,
      defaultLanguage: this.options.defaultLanguage ?? 'en',
      ...(options.brand ? { brand: options.brand } : {}),
      // Most helpdesk replies are e-mails; chat templates are shorter and only used when asked for.
      channel: options.channel ?? 'email',
      ...(options.explain ? { explain: true } : {}),
      ...(options.canned ? { canned: options.canned } : {}),
      ownDomains,
      ...(cyrillic !== undefined ? { fromLatinRussian: true } : {}),
      tookMs: () => Math.round((performance.now() - started) * 100) / 100,
    });
  }

  /**
   * Read each ticket's message and adapt its resolution, as a suggest would, and throw the results away: the
   * patterns and parsers of reading and adapting are compiled by the time the first agent asks. A turn of the
   * event loop before each.
   */
  async warmUpReading(tickets: Iterable<KnowledgeDoc>): Promise<number> {
    const { ownDomains, statedNumbers } = await this.published();
    let done = 0;
    for (const ticket of tickets) {
      await yieldToLoop();
      const reading = readMessage(ticket.text, { language: ticket.language });
      // With the details the ticket keeps, as a suggest adapts it: compromise is compiled only for a store that lacks them.
      adaptResolution(ticket.answer, { message: reading.entities, language: ticket.language, resolutionLanguage: ticket.language, ticketId: ticket.id, ownDomains, statedNumbers, ...(ticket.answerDetails ? { details: ticket.answerDetails } : {}) });
      done++;
    }
    return done;
  }

  private answerUnitsOf(markdown: string): AnswerUnit[] {
    let units = this.unitsCache.get(markdown);
    if (!units) {
      units = answerUnits(markdown);
      this.unitsCache.set(markdown, units);
    }
    return units;
  }

  /** Vectors of answer units, cached: the same sections come back question after question. */
  private async unitVectors(texts: readonly string[]): Promise<Float32Array[]> {
    // Called for each candidate section: a turn for the event loop each time keeps a suggest's CPU in short slices.
    await yieldToLoop();
    const known = texts.map((t) => this.unitCache.get(t));
    let missing = [...new Set(texts.filter((_t, i) => !known[i]))];
    if (missing.length === 0) return known as Float32Array[];
    // Sections published by this version keep theirs in the store; the rest (older stores) are embedded once here.
    const fresh = await this.knowledge.storedUnitVectors(missing);
    missing = missing.filter((t) => !fresh.has(t));
    const vectors = missing.length ? await this.encoder.embedPassages(missing) : [];
    // Answered from this call's own vectors: adding them may drop the oldest cached ones.
    missing.forEach((t, i) => fresh.set(t, vectors[i]!));
    for (const [t, vector] of fresh) this.unitCache.set(t, vector);
    return texts.map((t, i) => known[i] ?? fresh.get(t)!);
  }

  private async embedQuestion(text: string): Promise<Float32Array> {
    return (await this.encoder.embedQueries([text]))[0]!;
  }

  /**
   * A question in a language the encoder cannot read, read through the knowledge base's bridge into one it can
   * (see lexicon.ts), once: its English gloss where there is one, and `unread` (how many words it has, how many are
   * known) where the bridge knows under a third of them. Nothing where the encoder reads the language, or the
   * knowledge base has no translations or glossary to gloss it with.
   */
  private async readThrough(question: string, language: QueryLanguage): Promise<ReadThrough> {
    if (language.semantic || this.encoder.languages === 'multilingual') return NOT_READ_THROUGH;
    const lexicon = await this.lexicon(language.code, this.encoder.languages);
    if (!lexicon) return NOT_READ_THROUGH;
    const { gloss, words, glossed } = readGloss(question, lexicon);
    return {
      ...(gloss ? { gloss: { text: gloss, language: lexicon.into } } : {}),
      ...(words > 0 && glossed * 3 < words ? { unread: { words, glossed } } : {}),
    };
  }

  /** The ranked hits a suggestion weighs (the first SUGGEST_DEPTH) and after them the picked document where they lack it, numbered again. */
  private async withSource(ranked: SearchHit[], picked: string, query: string, language: QueryLanguage, vector: Float32Array): Promise<SearchHit[]> {
    const top = ranked.slice(0, SUGGEST_DEPTH);
    if (top.some((hit) => hit.doc.id === picked || hit.matched === picked)) return ranked;
    const found = await this.knowledge.hitsOf([picked], query, language, vector);
    return found.length ? [...top, ...found].map((hit, n) => ({ ...hit, rank: n + 1 })) : ranked;
  }

  /** A language's bridge into the encoder's, learned once per change of the knowledge base (in slices: the event loop keeps turning). */
  private lexicon(from: string, readable: readonly string[]): Promise<Lexicon | undefined> {
    const version = this.knowledge.knowledgeVersion();
    if (this.lexicons.version !== version) this.lexicons = { version, byLanguage: new Map(), forms: undefined };
    const known = this.lexicons.byLanguage.get(from);
    if (known) return known;
    const preferred = this.options.defaultLanguage ?? 'en';
    const into = readable.find((code) => sameLanguage(code, preferred)) ?? readable[0];
    const learned = (async () => {
      if (into === undefined) return undefined;
      const { sections, translations, glossaries } = this.knowledge.translationSources();
      const all = [...sections];
      const glossary = [...glossaries].filter((doc) => doc.glossary && sameLanguage(doc.language, from) && sameLanguage(doc.glossary.into, into)).flatMap((doc) => doc.glossary!.rows);
      const pairs = translationPairs(all, translations, from, into);
      // Too few pairs teach chance co-occurrences, not translations: a glossary alone still glosses.
      const learnFrom = pairs.length < MIN_LEXICON_PAIRS ? [] : pairs;
      if (!learnFrom.length && !glossary.length) return undefined;
      await yieldToLoop();
      this.lexicons.forms ??= writtenForms(
        all.filter((doc) => sameLanguage(doc.language, into)).map((doc) => doc.text),
        into,
        yieldToLoop,
      );
      return learnLexicon(learnFrom, from, into, await this.lexicons.forms, { pause: yieldToLoop, glossary });
    })();
    this.lexicons.byLanguage.set(from, learned);
    return learned;
  }

  /**
   * What the knowledge base's articles and templates say to every customer, found once per change: the
   * domains they name (brightcart.com: the helpdesk's own, never a customer's) and the numbers they state
   * (a past resolution's other numbers are that customer's).
   */
  private async published(): Promise<Published> {
    const version = this.knowledge.knowledgeVersion();
    if (this.publishedFacts?.version !== version) {
      const texts = [...(await this.knowledge.publishedTexts())];
      const found = new Set<string>();
      const servicesHeld = new Set<string>();
      for (const text of texts) {
        for (const entity of extractEntities(text)) {
          if (entity.kind === 'domain' || entity.kind === 'url') found.add(hostOf(entity.value));
          else if (entity.kind === 'email') found.add(entity.value.slice(entity.value.indexOf('@') + 1));
        }
        // "Your Brightcart account" at a sentence's start reads as the name "Your Brightcart": its last word is kept too.
        for (const service of servicesSpokenOf(text)) for (const name of namesIn(service.name)) servicesHeld.add(`${name}|${service.kind}`);
      }
      this.publishedFacts = { version, ownDomains: [...found].filter(Boolean).sort(), statedNumbers: statedNumbers(texts), ...(texts.length ? { servicesHeld } : {}) };
    }
    return this.publishedFacts;
  }

  /** The knowledge base's words with their counts, read once per change of the knowledge base. */
  private vocabulary(): Promise<Map<string, number>> {
    const version = this.knowledge.knowledgeVersion();
    if (this.spellers.version !== version) this.spellers = { version, byLanguage: new Map(), vocabulary: undefined };
    this.spellers.vocabulary ??= this.knowledge.vocabularyCounts();
    return this.spellers.vocabulary;
  }

  /** The message in Cyrillic when it is Russian written in Latin letters and the knowledge base has Russian documents. */
  private async fromLatinRussian(text: string): Promise<string | undefined> {
    // Cheap tests first: a message whose words the English speller knows a third of (English, and words of the
    // knowledge base's other languages, which its vocabulary holds) never loads the Russian dictionary for this.
    if (!this.knowledge.documentLanguages().includes('ru')) return undefined;
    const english = await this.speller('en');
    if (!mayBeLatinRussian(text, (word) => english.known(word))) return undefined;
    const russian = await this.speller('ru');
    return fromLatinRussian(text, { isRussian: (word) => russian.known(word), isEnglish: (word) => english.known(word) });
  }

  /** A speller for the knowledge base's own words in a language, built once per change of the knowledge base. */
  private async speller(language: string): Promise<Speller> {
    const vocabulary = this.vocabulary();
    const cached = this.spellers.byLanguage.get(language);
    if (cached) return cached;
    const made = vocabulary.then((words) => createSpeller({ vocabulary: words, language }));
    this.spellers.byLanguage.set(language, made);
    return made;
  }

  /**
   * Everything a first-line agent needs about one incoming message: category,
   * confidence, priority, language, the route with its explanation, and the
   * suggested answer with its sources.
   */
  async triage(message: IncomingMessage, options: TriageOptions = {}): Promise<TriageResult> {
    await this.knowledge.beforeRead();
    this.languageDetector ??= import('@answerdesk/triage/language');
    return composeTriage(message, options, {
      encoder: this.encoder,
      categorizers: this.knowledge.categorizerEntries(),
      detector: this.languageDetector,
      maxQueryLength: this.options.maxQueryLength ?? 4000,
      ...(this.options.priorityCues ? { priorityCues: this.options.priorityCues } : {}),
      queryLanguage: (text) => this.queryLanguage(text, undefined),
      fromLatinRussian: (text) => this.fromLatinRussian(text),
      suggest: (text, filter, vector, language) => this.suggestWith(text, filter ? { filter } : {}, vector, language),
      corrections: (await this.memory.current()).routes,
      ...(this.options.learning ? { learning: this.options.learning } : {}),
    });
  }

  /** The trained categorizer of a field, if any. */
  categorizer(field = 'category'): Categorizer | undefined {
    return this.knowledge.categorizerEntries().find((entry) => entry.field === field)?.categorizer;
  }

  /** Fields with a trained categorizer. */
  get categorizerFields(): string[] {
    return this.knowledge.categorizerEntries()
      .map((entry) => entry.field)
      .sort();
  }

  /** Categorize texts with the trained categorizer of `field` (default `category`). */
  async categorize(texts: readonly string[], options: { field?: string } = {}): Promise<LabelPrediction[]> {
    await this.knowledge.beforeRead();
    const field = checkFieldName(options.field ?? 'category');
    const found = this.categorizer(field);
    if (!found) throw new AnswerdeskError('ADK_CATEGORIZER_NOT_TRAINED', { field });
    return found.categorize(
      texts.map((text) => this.checkQuery(text)),
      this.encoder,
    );
  }

  private async fit(field: string, examples: readonly LabeledText[], options: Pick<TrainOptions, 'descriptions' | 'onProgress'>, origin: CategorizerOrigin): Promise<Categorizer> {
    const categorizer = await trainCategorizer(examples, this.encoder, {
      ...this.options.categorizer,
      field,
      ...(options.descriptions ? { descriptions: options.descriptions } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
    await this.knowledge.keepCategorizer(field, categorizer, origin);
    return categorizer;
  }

  /** Train a field's categorizer from `options.examples`, or from the knowledge base's own labels. */
  async trainField(options: TrainOptions): Promise<Categorizer> {
    const field = checkFieldName(options.field ?? 'category');
    const fromKnowledgeBase = options.examples === undefined;
    const examples = options.examples ?? (await this.knowledge.labeledExamples(field, options.articles ?? field === 'category'));
    if (examples.length === 0 && Object.keys(options.descriptions ?? {}).length === 0) {
      throw new AnswerdeskError('ADK_TRAINING_DATA_INVALID', {
        field,
        reason: fromKnowledgeBase ? `no indexed ticket has a "${field}" label; index labeled tickets or pass examples` : 'no examples were given',
      });
    }
    return this.fit(field, examples, options, fromKnowledgeBase ? 'knowledge-base' : 'examples');
  }

  /** Retrain the knowledge base's own categorizers for `fields` after a write (see IndexOptions.train). */
  retrain(fields: readonly string[], kindsChanged: ReadonlySet<string | undefined>, progress?: (p: IndexProgress) => void): Promise<string[]> {
    const origins = new Map(this.knowledge.categorizerEntries().map((entry) => [entry.field, entry.origin]));
    return retrainFields(
      fields,
      kindsChanged,
      {
        origin: (field) => origins.get(field),
        examples: (field) => this.knowledge.labeledExamples(field, field === 'category'),
        fit: (field, examples) => this.fit(field, examples, {}, 'knowledge-base'),
      },
      progress,
    );
  }
}
