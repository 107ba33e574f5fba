// Answerdesk agent page. Plain ES2020 module, no dependencies, served under a
// strict CSP. Article and ticket text is untrusted, so every element is built
// with createElement and filled with textContent; never HTML strings. Answers
// are markdown: the small renderer below turns it into DOM nodes the same way
// (lists, tables, emphasis; raw HTML stays text; only http(s)/mailto links).

const $ = (id) => document.getElementById(id);
const KEY_STORAGE = 'answerdesk.apiKey';
const LEVELS = { high: 'High', medium: 'Medium', low: 'Low' };
const BASIS = { model: 'from the model', cues: 'from cues in the text', default: 'default' };
const LINES = { 1: 'First line', 2: 'Second line' };

const state = {
  busy: false,
  query: '',            // the text the shown suggestion was made for (feedback refers to it)
  suggestion: null,
  suggestionId: undefined,
  trigger: null,        // the source link that opened the panel, to return focus to
  panelToken: 0,        // ignores document responses that arrive after the panel moved on
  retry: null,          // what to redo after the key dialog saves a key
  keyOpener: null,
  memoryKey: '',        // used when sessionStorage is unavailable
  copyTimer: 0,
  placeholders: [],     // the draft's placeholders, marked once the agent fills them in
  draftOriginal: '',    // the draft as suggested, to tell how much the agent edited it
  sentRecorded: false,  // the first copy of this suggestion's draft was recorded as sent
  feedbackWithoutKey: false, // the server takes feedback from this page without a key (/v1/ready says)
  channel: undefined,   // the channel the shown suggestion was asked for
  picks: {},            // question index → the source the agent picked for it ("Use this")
  nothingRightRecorded: false, // an off-topic / spam / not-covered reply was recorded for this message
  searchHits: null,     // the knowledge search's last hits, shown with "Use this" for the message shown
};

// ---------- small DOM helpers ----------

/** Element with optional class and text; children may be nodes or strings (strings become text nodes). */
function el(tag, { className, text } = {}, children = []) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  for (const child of children) if (child !== null && child !== undefined && child !== false) node.append(child);
  return node;
}

const percent = (p) => `${Math.round((Number(p) || 0) * 100)}%`;
const capitalize = (s) => { const t = String(s ?? ''); return t.charAt(0).toUpperCase() + t.slice(1); };
const levelClass = (level) => (['high', 'medium', 'low'].includes(level) ? `level-${level}` : 'level-unknown');
const plural = (n, word) => `${Number(n).toLocaleString()} ${word}${n === 1 ? '' : 's'}`;

/** "de" → "German" in the agent's language; the code itself where the browser has no name for it. */
function languageName(code) {
  try { return new Intl.DisplayNames(navigator.languages?.length ? navigator.languages : ['en'], { type: 'language' }).of(code) ?? code; } catch { return String(code ?? ''); }
}

const badgeText = (level, score) => `${LEVELS[level] ?? capitalize(level)} · ${percent(score)}`;
const badge = (level, score) => el('span', { className: `badge ${levelClass(level)}`, text: badgeText(level, score) });

// ---------- API ----------

class ApiError extends Error {
  constructor(status, code, message, data) {
    super(message);
    this.status = status;
    this.code = code;
    this.data = data;
  }
}

function getKey() {
  try { return sessionStorage.getItem(KEY_STORAGE) || ''; } catch { return state.memoryKey; }
}

function setKey(value) {
  state.memoryKey = value;
  try {
    if (value) sessionStorage.setItem(KEY_STORAGE, value);
    else sessionStorage.removeItem(KEY_STORAGE);
  } catch { /* storage disabled: the in-memory copy lasts for this page */ }
  $('key-state').hidden = !value;
}

/** fetch wrapper: adds the key, sends/parses JSON, turns non-2xx bodies ({ error: {...} }) into ApiError. */
async function api(method, path, body) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const key = getKey();
  if (key) headers.Authorization = `Bearer ${key}`;
  let res;
  let data;
  // A busy server answers 503 ADK_OVERLOADED with Retry-After: wait that long (a few seconds at most) and try once more.
  for (let attempt = 0; ; attempt++) {
    try {
      res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch {
      throw new ApiError(0, '', 'Could not reach the Answerdesk server. Check your connection and that the server is running.');
    }
    data = await res.json().catch(() => null);
    const wait = Number(res.headers.get('Retry-After'));
    if (attempt > 0 || res.status !== 503 || data?.error?.code !== 'ADK_OVERLOADED' || !(wait >= 0 && wait <= 5)) break;
    await new Promise((resolve) => setTimeout(resolve, wait * 1000));
  }
  if (!res.ok) {
    const e = data && typeof data.error === 'object' ? data.error : {};
    throw new ApiError(res.status, e.code || `HTTP ${res.status}`, e.message || `The server answered ${res.status} ${res.statusText}.`, data);
  }
  return data;
}

// ---------- readiness ----------

async function checkReady() {
  let ready = false;
  let text;
  try {
    const data = (await api('GET', '/v1/ready')) ?? {};
    ready = data.ready !== false;
    state.feedbackWithoutKey = data.feedbackWithoutKey === true;
    searchFilterOptions($('search-category'), data.categories);
    searchFilterOptions($('search-language'), data.languages, languageName);
    // Counts may sit at the top level or under stats; fall back to a plain "Ready".
    const stats = data.stats ?? data.knowledgeBase ?? data;
    text = ready
      ? (typeof stats.articles === 'number' ? `${plural(stats.articles, 'article')} · ${plural(stats.tickets ?? 0, 'ticket')}` : 'Ready')
      : String(data.reason ?? data.message ?? 'Not ready yet');
  } catch (err) {
    text = String(err.data?.reason ?? err.message);
  }
  const status = $('status');
  status.classList.toggle('is-ready', ready);
  status.classList.toggle('is-waiting', !ready);
  // Only touch the text when it changes, so the status region is not re-announced every 3 s.
  if ($('status-text').textContent !== text) $('status-text').textContent = text;
  if (!ready) setTimeout(checkReady, 3000);
}

// ---------- asking ----------

function setBusy(busy) {
  state.busy = busy;
  $('ask').disabled = busy;
  $('ask').textContent = busy ? 'Working…' : 'Suggest answer';
  $('result').setAttribute('aria-busy', String(busy));
}

/** Message and code as nodes (never markup), for #error and the other error spots. */
const errorNodes = (err) => [el('span', { text: err.message }), err.code ? ' ' : '', err.code ? el('code', { text: err.code }) : ''];

function showError(err) {
  $('error').replaceChildren(...(err ? errorNodes(err) : []));
  $('error').hidden = !err;
}

async function ask(event) {
  event?.preventDefault();
  if (state.busy) return;
  const text = $('message').value.trim();
  if (!text) { $('message').focus(); return; }
  const body = { text };
  const subject = $('subject').value.trim();
  if (subject) body.subject = subject;
  if ($('channel').value) body.channel = $('channel').value;

  showError(null);
  setBusy(true);
  let failure = null;
  try {
    const result = await api('POST', '/v1/triage', body);
    state.query = text;
    state.subject = subject;
    state.channel = body.channel;
    state.picks = {};
    state.nothingRightRecorded = false;
    renderResult(result ?? {});
  } catch (err) {
    failure = err;
  } finally {
    setBusy(false);
  }
  if (!failure) { ($('draft-card').hidden ? $('answer-heading') : $('draft-heading')).focus(); return; }
  // A stale answer or draft for a different message must not stay on screen to be copied.
  $('draft-card').hidden = true;
  $('answer-card').hidden = true;
  for (const id of ['triage-card', 'similar-card']) $(id).hidden = true;
  $('empty').hidden = false;
  showError(failure);
  if (failure.status === 401) openKeyDialog(failure.message, () => $('ask-form').requestSubmit());
  else if (document.activeElement === document.body) $('ask').focus();
}

// ---------- rendering the result ----------

function renderResult(r) {
  $('empty').hidden = true;
  $('answer-card').hidden = false;
  $('triage-card').hidden = false;
  renderSuggestion(r.suggestion, r.suggestionId);
  renderFacts(r);
  renderRoute(r.route);
  $('timing').textContent = `answered in ${Math.round(Number(r.tookMs) || 0)} ms`;
}

function sourceLabel(src) {
  if (src.kind === 'ticket') return `Ticket ${src.id}: ${src.title}`;
  const path = src.headingPath?.length ? src.headingPath : (src.heading ? [src.heading] : []);
  // Avoid "Title › Title › Section" when the heading path already starts with the title.
  const parts = path[0] === src.title ? path : [src.title, ...path];
  return parts.filter(Boolean).join(' › ');
}

/** Another section of the article already named above it: just its headings ("If the courier marked it delivered › How to report it"). */
function sameArticleLabel(src, main) {
  if (!main || src.kind !== 'article' || main.kind !== 'article' || src.title !== main.title) return undefined;
  const path = (src.headingPath ?? []).filter((h) => h && h !== src.title);
  return path.length ? path.join(' › ') : undefined;
}

/** A link that opens a source (section or ticket) in the side panel; `label` replaces the usual title. */
function sourceLink(src, label) {
  const a = el('a', { className: 'source-link', text: label ?? sourceLabel(src) });
  a.href = '#source=' + encodeURIComponent(src.id);
  a.addEventListener('click', (e) => {
    if (e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) return; // let "open in new tab" work
    e.preventDefault();
    openSource(src.id, a);
  });
  return a;
}

/** Arrays and strings from a reply that may lack them (an older server, an abstention). */
const list = (value) => (Array.isArray(value) ? value.filter((v) => v !== null && v !== undefined) : []);
const strings = (value) => list(value).filter((v) => typeof v === 'string' && v.trim());

/** "High · 92% likely right": the level and the probability that the shown answer is right. */
function answerBadge(confidence) {
  const b = el('span', { className: `badge ${levelClass(confidence?.level)}`, text: `${badgeText(confidence?.level, confidence?.score)} likely right` });
  b.title = `Probability that this answer is right: ${percent(confidence?.score)}`;
  return b;
}

/** The answers to show: one per question, or (from an older server) the one top-level answer. */
function questionAnswers(s) {
  if (!s) return [];
  if (list(s.answers).length) return list(s.answers);
  return [{
    question: s.query ?? '', status: s.status, answer: s.answer, source: s.source, confidence: s.confidence,
    alternatives: s.alternatives, reason: s.reason, language: s.language, needsTranslation: s.needsTranslation, notes: s.notes,
  }];
}

function renderSuggestion(s, suggestionId) {
  state.suggestion = s ?? null;
  state.suggestionId = suggestionId;
  const answers = questionAnswers(s);
  renderDraft(s);
  renderReading(s?.message);
  renderAnswers(s, answers);
  renderSimilar(s?.similarTickets);
  // The knowledge search's "Use this" buttons belong to the message shown: made again for this one.
  if (state.searchHits) renderSearchHits(state.searchHits);
}

// ---------- the reply draft ----------

/** Rows for the draft box: its length, at least 6, at most 11 (so Copy stays above the fold). */
function draftRows(text) {
  const lines = String(text).split('\n').reduce((n, line) => n + Math.max(1, Math.ceil(line.length / 70)), 0);
  return Math.min(11, Math.max(6, lines + 1));
}

function renderDraft(s) {
  // Without a draft (an older server), the first answer is the draft.
  const draft = s?.draft ?? (s?.status === 'answered' && typeof s.answer === 'string'
    ? { text: s.answer, placeholders: [], notes: [], language: s.language, needsTranslation: s.needsTranslation }
    : null);
  $('draft-card').hidden = !draft;
  const box = $('draft-text');
  box.value = draft?.text ?? '';
  state.draftOriginal = box.value;
  state.sentRecorded = false;
  box.rows = draftRows(box.value);
  box.scrollTop = 0;

  // The customer's language; "Needs translation" when the draft is in another one.
  const customer = String(s?.queryLanguage?.code ?? draft?.language ?? '');
  $('draft-language').hidden = !customer;
  $('draft-language').textContent = customer ? `Customer: ${languageName(customer)}` : '';
  const translate = Boolean(draft?.needsTranslation);
  $('draft-translate').hidden = !translate;
  $('draft-translate').title = translate ? `The reply is in ${languageName(draft.language)}: translate it into ${languageName(customer)} before sending it.` : '';

  state.placeholders = [...new Set(strings(draft?.placeholders))];
  $('draft-placeholders').replaceChildren(...state.placeholders.map((label) => el('li', { className: 'chip placeholder' }, [
    label, el('span', { className: 'done', text: ' ✓' }), el('span', { className: 'visually-hidden', text: ' (filled in)' }),
  ])));
  const notes = strings(draft?.notes);
  $('draft-notes').replaceChildren(...notes.map((n) => el('li', { text: n })));
  $('draft-notes-box').hidden = notes.length === 0;
  $('draft-fill').hidden = state.placeholders.length === 0;
  updatePlaceholders();

  clearTimeout(state.copyTimer);
  $('copy-status').textContent = '';
  $('copy-status').classList.remove('is-error');
}

/** Placeholders like "[order number]" still in the (edited) text. Not links ("[label](url)") nor checkboxes ("[ ]", "[x]"). */
const PLACEHOLDER = /\[[^[\]\n]*[^\s[\]xX][^[\]\n]*\](?!\()/g;

/**
 * Marks the placeholders the agent has filled in, and says which are left. Runs on every edit, so it
 * only touches what changed (the result is a live region: no re-announcing on each keystroke).
 */
function updatePlaceholders() {
  const text = $('draft-text').value;
  $('draft-placeholders').querySelectorAll('li').forEach((li, i) => {
    li.classList.toggle('filled', !text.includes(state.placeholders[i]));
  });
  const left = [...new Set(text.match(PLACEHOLDER) ?? [])];
  const note = $('draft-placeholder-note');
  const message = left.length
    ? `Fill in ${left.length === 1 ? 'the placeholder' : `${left.length} placeholders`} before sending: ${left.slice(0, 4).join(', ')}${left.length > 4 ? '…' : ''}`
    : '';
  if (note.textContent !== message) note.textContent = message;
  note.hidden = !message;
}

// ---------- how the message was read ----------

const ENTITY_WORDS = {
  email: 'e-mail', phone: 'phone', url: 'link', domain: 'domain', order: 'order', ticket: 'ticket', invoice: 'invoice',
  certificate: 'gift certificate', amount: 'amount', card: 'card', date: 'date', name: 'name', address: 'address', iban: 'IBAN', tracking: 'tracking',
};
const REMOVED_WORDS = { greeting: 'greeting', signOff: 'sign-off', signature: 'signature', quoted: 'quoted reply', footer: 'footer' };

/** Text cut at a word boundary near `max` characters, with an ellipsis. */
function excerpt(text, max) {
  const flat = String(text ?? '').replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).replace(/[\s.,;:!?-]+$/, '')}…`;
}

function renderReading(m) {
  const details = $('reading');
  const body = $('reading-body');
  details.hidden = !m || typeof m !== 'object';
  body.replaceChildren();
  if (details.hidden) return;
  details.open = false;

  const corrections = list(m.corrections).filter((c) => typeof c.from === 'string' && typeof c.to === 'string');
  const questions = strings(m.questions);
  const entities = list(m.entities).filter((e) => typeof (e.value || e.text) === 'string');
  const removed = Object.entries(m.removed ?? {}).filter(([, v]) => typeof v === 'string' && v.trim());
  const found = entities.map((e) => `${ENTITY_WORDS[e.kind] ?? e.kind} ${e.value || e.text}`);
  if (m.customerName && !entities.some((e) => e.kind === 'name')) found.unshift(`name ${m.customerName}`);

  const counts = [
    questions.length ? plural(questions.length, 'question') : null,
    corrections.length ? `${corrections.length} spelling ${corrections.length === 1 ? 'fix' : 'fixes'}` : null,
    found.length ? plural(found.length, 'detail') : null,
  ].filter(Boolean);
  $('reading-summary').textContent = counts.length ? `Read as: ${counts.join(' · ')}` : 'Read as';

  const part = (title, content) => el('div', { className: 'reading-part' }, [el('h3', { className: 'sub-heading', text: title }), content]);
  body.append(part('Cleaned message', el('p', { className: 'reading-text', text: m.text ?? '' })));
  if (m.capsFolded) body.append(el('p', { className: 'muted small', text: 'Written in capitals; read in lower case.' }));
  if (removed.length) {
    body.append(part('Left out', el('ul', { className: 'plain small' }, removed.map(([k, v]) => el('li', {}, [
      el('span', { className: 'muted', text: `${capitalize(REMOVED_WORDS[k] ?? k)}: ` }), `“${excerpt(v, 70)}”`,
    ])))));
  }
  if (corrections.length) {
    body.append(part('Spelling corrected', el('ul', { className: 'chips plain' }, corrections.map((c) => el('li', { className: 'chip', text: `${c.from} → ${c.to}` })))));
  }
  if (questions.length) body.append(part(questions.length === 1 ? 'Question' : 'Questions', el('ol', { className: 'reading-questions' }, questions.map((q) => el('li', { text: q })))));
  if (found.length) body.append(part('Details found', el('ul', { className: 'chips plain' }, found.map((d) => el('li', { className: 'chip', text: d })))));
}

// ---------- answers ----------

function renderAnswers(s, answers) {
  const many = answers.length > 1;
  $('answer-heading').textContent = many ? `Answers to ${answers.length} questions` : 'Answer';

  // Notes about the whole suggestion (e.g. the model's languages) that no answer or the draft already shows.
  const shown = new Set([...answers.flatMap((a) => strings(a.notes)), ...strings(s?.draft?.notes)]);
  const general = strings(s?.notes).filter((n) => !shown.has(n));
  $('note').hidden = general.length === 0;
  $('note').textContent = general.join(' ');

  // The feedback row lives in an answer block; it is taken back out before the blocks are replaced.
  const feedback = $('feedback');
  $('answer-card').insertBefore(feedback, $('timing'));
  const blocks = answers.map((a, i) => answerBlock(a, i, many, s));
  if (!blocks.length) {
    blocks.push(el('div', { className: 'answer-block is-abstained' }, [el('div', { className: 'answer abstained' }, [
      el('p', { className: 'abstain-title', text: 'No confident answer' }),
      el('p', { text: 'No suggestion was returned for this message.' }),
    ])]));
  }
  $('answers').replaceChildren(...blocks);

  // Helpful / Not helpful are about the top-level source: the first answered question's.
  const home = s?.status === 'answered' && s.source
    ? blocks.find((b) => b.dataset.sourceId === s.source.id) ?? blocks.find((b) => b.dataset.status === 'answered')
    : undefined;
  feedback.hidden = !home;
  if (home) home.append(feedback);
  $('feedback-label').textContent = many ? 'Was the answer to this question helpful?' : 'Was this answer helpful?';
  for (const id of ['helpful', 'not-helpful']) $(id).disabled = false;
  $('feedback-status').replaceChildren();
  $('feedback-status').classList.remove('is-error');
}

let blockIds = 0;

/** What the agent reads when the message asks nothing to search for (see the suggestion's message reading), else undefined. */
function nothingToAnswer(s) {
  const m = s?.message;
  if (!m) return undefined;
  if (m.unsolicited) return 'Spam or an unsolicited offer';
  if (m.autoReply) return 'Automatic reply: nothing to answer';
  if (m.thanksOnly || m.followUp || m.nothingAsked) return 'Nothing to answer';
  return undefined;
}

/** One question's answer: its confidence, the passage, where it is from; or why there is none, and what is near. */
function answerBlock(a, index, many, s) {
  const answered = a.status === 'answered' && (typeof a.answer === 'string' || typeof a.passage?.markdown === 'string');
  const block = el(many ? 'section' : 'div', { className: `answer-block ${answered ? 'is-answered' : 'is-abstained'}` });
  block.dataset.status = answered ? 'answered' : 'abstained';
  if (answered && a.source?.id) block.dataset.sourceId = a.source.id;

  const head = el('div', { className: `answer-head${many ? '' : ' single'}` });
  if (many) {
    const id = `question-${++blockIds}`;
    const h = el('h3', { className: 'question' }, [el('span', { className: 'question-number', text: `${index + 1}.` }), ' ', el('span', { className: 'question-text', text: a.question ?? '' })]);
    h.id = id;
    block.setAttribute('aria-labelledby', id);
    head.append(h);
  }
  // An automatic reply, a closing thanks, a follow-up, a bare greeting or spam was not searched: no likelihood to show.
  const nothing = nothingToAnswer(s);
  const badges = el('span', { className: 'badges' }, [a.confidence && !nothing ? answerBadge(a.confidence) : null]);
  if (answered && a.language) {
    const lang = el('span', { className: `badge badge-language${a.needsTranslation ? ' needs-translation' : ''}`, text: `${String(a.language).toUpperCase()}${a.needsTranslation ? ' · translate' : ''}` });
    if (a.needsTranslation) lang.title = `The answer is in ${a.language}; the customer wrote in ${s?.queryLanguage?.code ?? 'another language'}.`;
    badges.append(lang);
  }
  head.append(badges);
  block.append(head);

  const notes = strings(a.notes);
  if (notes.length) block.append(el('p', { className: 'note', text: notes.join(' ') }));

  if (answered) {
    const passage = a.passage ?? {};
    const fromTicket = passage.basis === 'ticket' || (!a.passage && a.source?.kind === 'ticket');
    const body = el('div', { className: 'answer md' });
    body.append(renderMarkdown(typeof passage.markdown === 'string' ? passage.markdown : a.answer, { table: passage.table, breaks: fromTicket }));
    block.append(body);
    if (a.source) {
      block.append(el('p', { className: 'answer-source' }, [
        el('span', { className: 'muted', text: fromTicket ? 'Adapted from ' : 'Answer from ' }),
        sourceLink(a.source),
        a.passage && a.passage.whole === false ? el('span', { className: 'muted small', text: ' (part of the section)' }) : null,
      ]));
    }
  } else {
    block.append(el('div', { className: 'answer abstained' }, [
      el('p', { className: 'abstain-title', text: nothing ?? 'No confident answer' }),
      el('p', { text: a.reason ?? 'Nothing in the knowledge base is close enough to this question.' }),
    ]));
    // The engine's likeliest source first (below the bar; picking it or another tells whether it was right), then nearby articles.
    const best = a.best?.id ? a.best : null;
    const nearby = [...(best ? [best] : []), ...list(a.nearby).filter((src) => src.id && src.id !== best?.id)];
    if (nearby.length) {
      const heading = el('h4', { className: 'sub-heading', text: best?.kind === 'ticket' ? 'Closest sources' : 'Nearby articles' });
      heading.id = `nearby-${++blockIds}`;
      // "Use this" here answers a question the engine left open (the draft gets that section).
      const likely = (src) => (src === best && Number.isFinite(a.confidence?.score) ? el('span', { className: 'muted small', text: ` ${Math.round(a.confidence.score * 100)}% likely` }) : null);
      const ul = el('ul', { className: 'sources nearby' }, nearby.map((src) => el('li', {}, [sourceLink(src), likely(src), ' ', pickButton(a, index, src)])));
      ul.setAttribute('aria-labelledby', heading.id);
      block.append(heading, ul);
    }
  }

  const alternatives = list(a.alternatives).filter((alt) => alt.source?.id);
  if (alternatives.length) {
    const id = `alternatives-${++blockIds}`;
    const heading = el('h4', { className: 'sub-heading', text: answered ? 'Other possible sources' : 'Possible sources' });
    heading.id = id;
    const ul = el('ul', { className: 'sources' }, alternatives.map((alt) => el('li', {}, [sourceLink(alt.source, sameArticleLabel(alt.source, a.source)), ' ', alt.confidence ? answerBadge(alt.confidence) : null, ' ', pickButton(a, index, alt.source)])));
    ul.setAttribute('aria-labelledby', id);
    block.append(heading, ul);
  }
  return block;
}

// ---------- similar resolved tickets ----------

/** A date in the agent's own format ("4 Dec 2026"), as a <time>; nothing for a missing or bad date. */
function dateNode(iso) {
  const at = new Date(iso ?? '');
  if (!iso || Number.isNaN(at.getTime())) return null;
  const node = el('time', { text: at.toLocaleDateString(undefined, { dateStyle: 'medium' }) });
  node.dateTime = String(iso);
  return node;
}

function renderSimilar(tickets) {
  const card = $('similar-card');
  const ul = $('similar');
  card.hidden = !Array.isArray(tickets);
  ul.replaceChildren();
  if (card.hidden) return;
  const items = list(tickets).filter((t) => t.id);
  if (!items.length) { ul.append(el('li', { className: 'muted', text: 'No similar resolved tickets.' })); return; }
  for (const t of items) {
    const src = t.source?.id ? t.source : { id: t.id, kind: 'ticket', title: t.subject ?? t.id };
    const meta = [t.category ? el('span', { className: 'chip', text: t.category }) : null, dateNode(t.createdAt), el('span', { text: `Ticket ${t.id}` })].filter(Boolean);
    const metaLine = el('p', { className: 'similar-meta muted small' });
    meta.forEach((node, i) => metaLine.append(...(i ? [' · ', node] : [node])));
    ul.append(el('li', { className: 'similar-ticket' }, [
      el('h3', { className: 'similar-title' }, [sourceLink(src, t.subject || `Ticket ${t.id}`)]),
      metaLine,
      el('p', { className: 'similar-excerpt', text: excerpt(t.resolution, 200) }),
    ]));
  }
}

// ---------- markdown, safely ----------
// A small renderer for the markdown of answers (paragraphs, headings, bullet and numbered lists,
// GFM pipe tables, block quotes, code, bold/italic/strike, code spans, links). It builds DOM nodes
// only: every piece of text becomes a text node, raw HTML stays literal text, and only http(s) and
// mailto links become <a> elements.

const SAFE_URL = /^(https?:\/\/|mailto:)/i;
const BULLET = /^( *)([-*+])[ \t]+(.*)$/;
const ORDERED = /^( *)(\d{1,9})([.)])[ \t]+(.*)$/;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const HEADING = /^ {0,3}(#{1,6})[ \t]+(.*?)[ \t]*#*[ \t]*$/;
const RULE = /^ {0,3}([-*_])([ \t]*\1){2,}[ \t]*$/;
const QUOTE = /^ {0,3}> ?(.*)$/;
const TABLE_DELIMITER = /^ *\|? *:?-+:? *(\| *:?-+:? *)*\|? *$/;

/** `| a | b |` → ['a', 'b']; `\|` stays a literal bar inside a cell. */
function tableCells(line) {
  let row = line.trim();
  if (row.startsWith('|')) row = row.slice(1);
  if (row.endsWith('|') && !row.endsWith('\\|')) row = row.slice(0, -1);
  const cells = [];
  let cell = '';
  for (let i = 0; i < row.length; i++) {
    if (row[i] === '\\' && row[i + 1] === '|') { cell += '|'; i++; continue; }
    if (row[i] === '|') { cells.push(cell.trim()); cell = ''; continue; }
    cell += row[i];
  }
  cells.push(cell.trim());
  return cells;
}

const isTableStart = (lines, i) => i + 1 < lines.length && lines[i].includes('|') && TABLE_DELIMITER.test(lines[i + 1]) && lines[i + 1].includes('-');
const listMatch = (line) => {
  const b = BULLET.exec(line);
  if (b) return { indent: b[1].length, ordered: false, start: 1, text: b[3], width: b[1].length + 2 };
  const o = ORDERED.exec(line);
  if (o) return { indent: o[1].length, ordered: true, start: Number(o[2]), text: o[4], width: o[1].length + o[2].length + 2 };
  return null;
};
const startsBlock = (lines, i) => {
  const line = lines[i];
  return FENCE.test(line) || HEADING.test(line) || RULE.test(line) || QUOTE.test(line) || Boolean(listMatch(line)) || isTableStart(lines, i);
};

/**
 * A table as an HTML <table>: header cells as <th scope="col">, one <tr> per row in <tbody>.
 * `cell` turns a cell's text into nodes (inline markdown, or plain text for given data).
 */
function tableNode({ header, rows, align = [] }, cell) {
  const columns = Math.max(header.length, ...rows.map((r) => r.length), 0);
  const alignClass = (i) => (align[i] ? `align-${align[i]}` : undefined);
  const headRow = el('tr');
  for (let i = 0; i < columns; i++) {
    const th = el('th', { className: alignClass(i) }, cell(header[i] ?? ''));
    th.scope = 'col';
    headRow.append(th);
  }
  const body = el('tbody', {}, rows.map((row) => el('tr', {}, Array.from({ length: columns }, (_, i) => el('td', { className: alignClass(i) }, cell(row[i] ?? ''))))));
  // The wrapper scrolls a wide table sideways instead of widening the page; it is focusable so keyboards can scroll it.
  const wrap = el('div', { className: 'table-wrap' }, [el('table', { className: 'md-table' }, [el('thead', {}, [headRow]), body])]);
  wrap.tabIndex = 0;
  wrap.setAttribute('role', 'region');
  wrap.setAttribute('aria-label', header.filter(Boolean).length ? `Table: ${header.filter(Boolean).join(', ')}` : 'Table');
  return wrap;
}

/**
 * Markdown → a DocumentFragment of DOM nodes. Options: `table` (given {header, rows}: used for the
 * first table instead of parsing it, or appended when the markdown has none), `breaks` (single line
 * breaks are kept, for plain-text resolutions).
 */
function renderMarkdown(markdown, { table, breaks = false } = {}) {
  const lines = String(markdown ?? '').replace(/\r\n?/g, '\n').replace(/\t/g, '    ').split('\n');
  const ctx = { table: table && Array.isArray(table.header) && Array.isArray(table.rows) ? table : null, breaks };
  const fragment = document.createDocumentFragment();
  fragment.append(...blocks(lines, ctx));
  if (ctx.table) fragment.append(tableNode(ctx.table, (text) => [String(text)]));
  return fragment;
}

/** Block-level nodes of some lines. */
function blocks(lines, ctx) {
  const out = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    if (!line.trim()) { i++; continue; }

    const fence = FENCE.exec(line);
    if (fence) {
      const code = [];
      i++;
      while (i < lines.length && !lines[i].trimStart().startsWith(fence[1])) code.push(lines[i++]);
      i++; // the closing fence
      out.push(el('pre', { className: 'md-code' }, [el('code', { text: code.join('\n') })]));
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      out.push(el('p', { className: 'md-heading' }, [el('strong', {}, inline(heading[2], ctx))]));
      i++;
      continue;
    }
    if (RULE.test(line)) { out.push(el('hr')); i++; continue; }
    if (QUOTE.test(line)) {
      const inner = [];
      while (i < lines.length && lines[i].trim() && QUOTE.test(lines[i])) inner.push(QUOTE.exec(lines[i++])[1]);
      out.push(el('blockquote', {}, blocks(inner, ctx)));
      continue;
    }
    if (isTableStart(lines, i)) {
      const header = tableCells(line);
      const align = tableCells(lines[i + 1]).map((c) => (c.startsWith(':') && c.endsWith(':') ? 'center' : c.endsWith(':') ? 'right' : null));
      const rows = [];
      i += 2;
      while (i < lines.length && lines[i].trim() && lines[i].includes('|')) rows.push(tableCells(lines[i++]));
      if (ctx.table) {
        // The server's parsed table is authoritative (cells as plain text); it is used once.
        out.push(tableNode({ ...ctx.table, align }, (text) => [String(text)]));
        ctx.table = null;
      } else {
        out.push(tableNode({ header, rows, align }, (text) => inline(text, ctx)));
      }
      continue;
    }
    if (listMatch(line)) {
      const [list, next] = listBlock(lines, i, ctx);
      out.push(list);
      i = next;
      continue;
    }
    // Trailing spaces are kept: two of them mark a hard line break.
    const para = [line.replace(/^ +/, '')];
    i++;
    while (i < lines.length && lines[i].trim() && !startsBlock(lines, i)) para.push(lines[i++].replace(/^ +/, ''));
    out.push(el('p', {}, inline(para.join('\n').trimEnd(), ctx)));
  }
  return out;
}

/** A list starting at line i, with nested lists and continuation lines; returns [node, next line]. */
function listBlock(lines, i, ctx) {
  const first = listMatch(lines[i]);
  const list = el(first.ordered ? 'ol' : 'ul');
  if (first.ordered && first.start !== 1) list.start = first.start;
  while (i < lines.length) {
    const m = listMatch(lines[i]);
    // Items of one list share its kind and (give or take a space) its indent.
    if (!m || m.ordered !== first.ordered || Math.abs(m.indent - first.indent) > 1) break;
    // The item's own lines: its first line, then lines indented under it (or lazy continuations).
    const itemLines = [m.text];
    i++;
    while (i < lines.length) {
      const line = lines[i];
      if (!line.trim()) {
        // A blank line ends the item unless the next line is indented under it.
        const next = lines[i + 1];
        if (next !== undefined && next.trim() && next.length - next.trimStart().length >= m.width) { itemLines.push(''); i++; continue; }
        break;
      }
      const sub = listMatch(line);
      if (sub && sub.indent <= first.indent) break;
      if (!sub && startsBlock(lines, i) && line.length - line.trimStart().length < m.width) break;
      itemLines.push(line.slice(Math.min(m.width, line.length - line.trimStart().length)));
      i++;
    }
    list.append(el('li', {}, itemBlocks(itemLines, ctx)));
    // Blank lines between items of the same list do not end it.
    let j = i;
    while (j < lines.length && !lines[j].trim()) j++;
    const again = j < lines.length ? listMatch(lines[j]) : null;
    if (j > i && again && Math.abs(again.indent - first.indent) <= 1 && again.ordered === first.ordered) i = j;
  }
  return [list, i];
}

/** An item's content: a single paragraph stays inline (no <p> in a tight list). */
function itemBlocks(itemLines, ctx) {
  const nodes = blocks(itemLines, ctx);
  if (nodes.length >= 1 && nodes[0].tagName === 'P' && !itemLines.includes('')) {
    return [...nodes[0].childNodes, ...nodes.slice(1)];
  }
  return nodes;
}

const PUNCT = /[!-/:-@[-`{-~]/;
const isSpace = (c) => c === undefined || /\s/.test(c);
const isWordChar = (c) => c !== undefined && /[\p{L}\p{N}]/u.test(c);

/** Inline markdown of a paragraph → nodes (text nodes and elements only). */
function inline(text, ctx) {
  const out = [];
  let buf = '';
  const flush = () => { if (buf) { out.push(document.createTextNode(buf)); buf = ''; } };
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '\\' && text[i + 1] === '\n') { flush(); out.push(el('br')); i += 2; continue; }
    if (c === '\\' && PUNCT.test(text[i + 1] ?? '')) { buf += text[i + 1]; i += 2; continue; }
    if (c === '\n') {
      // Two trailing spaces (or plain-text mode) keep the break; otherwise a soft break is a space.
      if (ctx.breaks || buf.endsWith('  ')) { buf = buf.replace(/ +$/, ''); flush(); out.push(el('br')); } else buf = buf.replace(/ +$/, '') + ' ';
      i++;
      continue;
    }
    if (c === '`') {
      const run = /^`+/.exec(text.slice(i))[0];
      const end = text.indexOf(run, i + run.length);
      if (end > 0) {
        flush();
        out.push(el('code', { text: text.slice(i + run.length, end).replace(/\n/g, ' ').trim() || ' ' }));
        i = end + run.length;
        continue;
      }
      buf += run;
      i += run.length;
      continue;
    }
    if (c === '!' && text[i + 1] === '[') {
      // An image: only its alt text is shown (no <img>, no request to another host).
      const link = parseLink(text, i + 1);
      if (link) { flush(); out.push(...inline(link.label, ctx)); i = link.end; continue; }
    }
    if (c === '[') {
      const link = parseLink(text, i);
      if (link) {
        flush();
        const label = inline(link.label, ctx);
        out.push(SAFE_URL.test(link.url) ? anchor(link.url, label) : el('span', {}, label));
        i = link.end;
        continue;
      }
    }
    if (c === '<') {
      const auto = /^<((?:https?:\/\/|mailto:)[^\s<>]+)>/i.exec(text.slice(i));
      if (auto) { flush(); out.push(anchor(auto[1], [auto[1].replace(/^mailto:/i, '')])); i += auto[0].length; continue; }
    }
    if ((c === 'h' || c === 'H') && !isWordChar(text[i - 1])) {
      const bare = /^https?:\/\/[^\s<>]*[^\s<>.,;:!?'")\]*_]/i.exec(text.slice(i));
      if (bare) { flush(); out.push(anchor(bare[0], [bare[0]])); i += bare[0].length; continue; }
    }
    if (c === '*' || c === '_' || (c === '~' && text[i + 1] === '~')) {
      const span = emphasis(text, i);
      if (span) {
        flush();
        const inner = inline(text.slice(span.from, span.to), ctx);
        out.push(span.tag === 'strong-em' ? el('strong', {}, [el('em', {}, inner)]) : el(span.tag, {}, inner));
        i = span.end;
        continue;
      }
      const run = new RegExp(`^\\${c}+`).exec(text.slice(i))[0];
      buf += run;
      i += run.length;
      continue;
    }
    buf += c;
    i++;
  }
  flush();
  return out;
}

/** `[label](url "title")` at i → {label, url, end}, or null. */
function parseLink(text, i) {
  let depth = 0;
  let j = i;
  for (; j < text.length; j++) {
    if (text[j] === '\\') { j++; continue; }
    if (text[j] === '[') depth++;
    else if (text[j] === ']' && --depth === 0) break;
  }
  if (j >= text.length || text[j + 1] !== '(') return null;
  const m = /^\(\s*<?([^\s<>()]*(?:\([^\s()]*\)[^\s<>()]*)*)>?(?:\s+("[^"]*"|'[^']*'))?\s*\)/.exec(text.slice(j + 1));
  if (!m) return null;
  return { label: text.slice(i + 1, j), url: m[1], end: j + 1 + m[0].length };
}

/** A link that opens in a new tab and tells the other page nothing about this one. */
function anchor(url, children) {
  const a = el('a', { className: 'md-link' }, children);
  a.href = url;
  a.target = '_blank';
  a.rel = 'noopener noreferrer';
  return a;
}

/** Emphasis opening at i (`*em*`, `**strong**`, `***both***`, `_em_`, `__strong__`, `~~del~~`): {tag, from, to, end} or null. */
function emphasis(text, i) {
  const c = text[i];
  const n = /^(\*+|_+|~+)/.exec(text.slice(i))[0].length;
  if (n > 3 || (c === '~' && n !== 2)) return null;
  const before = text[i - 1];
  const after = text[i + n];
  if (isSpace(after)) return null; // "2 * 3" is not emphasis
  if (c === '_' && isWordChar(before)) return null; // snake_case_words stay as they are
  for (let j = i + n; j < text.length; j++) {
    if (text[j] === '\\') { j++; continue; }
    if (text[j] === '`') { const close = text.indexOf('`', j + 1); if (close > 0) { j = close; continue; } }
    if (text[j] !== c) continue;
    const run = /^(\*+|_+|~+)/.exec(text.slice(j))[0].length;
    const closes = run === n && !isSpace(text[j - 1]) && j > i + n && !(c === '_' && isWordChar(text[j + run]));
    if (closes) {
      const tag = c === '~' ? 'del' : n === 3 ? 'strong-em' : n === 2 ? 'strong' : 'em';
      return { tag, from: i + n, to: j, end: j + run };
    }
    j += run - 1;
  }
  return null;
}

// ---------- triage ----------

/** A label with its probability; its runners-up are one click each to say the route was wrong and which is right. */
function labelValue(pred, field) {
  const alts = (pred.alternatives ?? []).filter((a) => a.label !== pred.label).slice(0, 3);
  return el('span', {}, [
    el('strong', { text: pred.label }), ' ', badge(pred.level, pred.probability),
    pred.learned ? el('span', { className: 'learned small', text: ` ${pred.learned}` }) : null,
    alts.length ? el('span', { className: 'route-fix small' }, [
      el('span', { className: 'muted', text: ' Wrong? Move to ' }),
      ...alts.map((a) => correctionButton(field, pred.label, a)),
    ]) : null,
  ].filter(Boolean));
}

function correctionButton(field, was, alt) {
  const b = el('button', { className: 'btn btn-small correct', text: `${alt.label} ${percent(alt.probability)}` });
  b.type = 'button';
  b.dataset.field = field;
  b.dataset.label = alt.label;
  b.title = `This message belongs in ${alt.label}: similar messages will be routed there, and the ${field} model learns it`;
  b.addEventListener('click', () => correctRoute(field, was, alt.label, b));
  return b;
}

/** Record the right label of a field for this message (POST /v1/feedback/route). */
async function correctRoute(field, was, label, button) {
  const status = $('route-fix-status');
  status.replaceChildren();
  status.classList.remove('is-error');
  for (const b of document.querySelectorAll(`button.correct[data-field="${CSS.escape(field)}"]`)) b.disabled = true;
  try {
    const text = [state.subject, state.query].filter(Boolean).join('\n');
    const recorded = await api('POST', '/v1/feedback/route', { text, field, label, was, ...(state.suggestionId ? { suggestionId: state.suggestionId } : {}) });
    button.classList.add('is-picked');
    status.textContent = `Recorded: ${field} should be ${label}. Similar messages will go there${recorded?.retraining ? '; the model is being retrained with it' : ''}.`;
  } catch (err) {
    for (const b of document.querySelectorAll(`button.correct[data-field="${CSS.escape(field)}"]`)) b.disabled = false;
    status.classList.add('is-error');
    status.append(...errorNodes(err));
    if (err.status === 401 || err.status === 403) {
      const open = el('button', { className: 'btn btn-small', text: 'Set API key' });
      open.type = 'button';
      open.addEventListener('click', () => openKeyDialog('Correcting a route needs an API key with the write scope.', () => correctRoute(field, was, label, button)));
      status.append(' ', open);
    }
  }
}

function renderFacts(r) {
  $('category').replaceChildren(r.category ? labelValue(r.category, r.category.field ?? 'category') : el('span', { className: 'muted', text: 'not trained' }));
  $('route-fix-status').replaceChildren();

  const p = r.priority ?? { priority: 'normal', basis: 'default', cues: [] };
  const basis = `${BASIS[p.basis] ?? p.basis}${p.level ? ` (${(LEVELS[p.level] ?? p.level).toLowerCase()} confidence)` : ''}`;
  // One priority: the route's when rules changed it, with what the message alone gave beside it.
  const routed = r.route?.priority && r.route.priority !== p.priority ? r.route.priority : undefined;
  const shown = routed ?? p.priority;
  // replaceChildren turns null into the text "null", so absent parts are filtered out first.
  $('priority').replaceChildren(...[
    el('strong', { className: `prio prio-${['urgent', 'high', 'normal', 'low'].includes(shown) ? shown : 'normal'}`, text: capitalize(shown) }),
    el('span', { className: 'muted', text: routed ? ` · set by the routing rules (the message alone: ${capitalize(p.priority)}, ${basis})` : ` · ${basis}` }),
    p.cues?.length ? el('span', { className: 'cues small', text: `Cues: ${p.cues.join(', ')}` }) : null,
  ].filter(Boolean));

  const lang = r.language;
  $('language').textContent = lang ? `${lang.code}${lang.reliable ? '' : ' (uncertain)'}` : 'unknown';

  // Other predicted fields (e.g. queue) become extra rows; category and priority have their own.
  // The queue is shown once: the route's when rules set one, with the model's guess (and its corrections) under it.
  const facts = $('facts');
  for (const row of facts.querySelectorAll('.extra')) row.remove();
  const extra = (name, children, field) => {
    const dd = el('dd', {}, children);
    if (field) dd.dataset.field = field;
    facts.append(el('div', { className: 'fact extra' }, [el('dt', { text: name }), dd]));
  };
  const labels = Object.entries(r.labels ?? {}).filter(([field, pred]) => pred && field !== 'category' && field !== 'priority');
  if (r.route?.queue) {
    const guess = r.labels?.queue;
    extra('Queue', [
      el('strong', { text: r.route.queue }),
      el('span', { className: 'muted small', text: ' · set by the routing rules' }),
      guess ? el('span', { className: 'small route-guess' }, [el('span', { className: 'muted', text: 'The model: ' }), labelValue(guess, 'queue')]) : null,
    ].filter(Boolean), 'queue');
  }
  for (const [field, pred] of labels) {
    if (field === 'queue' && r.route?.queue) continue;
    extra(capitalize(field), [labelValue(pred, field)], field);
  }
}

function formatDue(due) {
  const at = new Date(due.at);
  const when = Number.isNaN(at.getTime()) ? due.at : at.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
  return `within ${due.within} (by ${when})`;
}

function renderRoute(route) {
  const box = $('route');
  const details = $('route-explanation');
  const warnings = $('route-warnings');
  box.replaceChildren();
  warnings.replaceChildren();
  $('route-trace').replaceChildren();
  details.hidden = !route;
  // A new message starts with the explanation closed, whatever the agent opened for the last one.
  details.open = false;
  box.hidden = !route;
  warnings.hidden = !route?.warnings?.length;
  // Without routing rules there is no route: the triage above is all there is.
  if (!route) return;

  const dl = el('dl', { className: 'facts' });
  const row = (name, value) => {
    if (value === undefined || value === null || value === '') return;
    dl.append(el('div', { className: 'fact' }, [el('dt', { text: name }), el('dd', {}, [value])]));
  };
  // Queue and priority are shown once, above, with the model's guesses.
  row('Team', route.team);
  row('Line', route.line && (LINES[route.line] ?? `Line ${route.line}`));
  if (route.tags?.length) row('Tags', el('span', { className: 'chips' }, route.tags.map((t) => el('span', { className: 'chip', text: t }))));
  if (route.notify?.length) {
    row('Notify', el('ul', { className: 'plain' }, route.notify.map((n) => el('li', {}, [
      n.address, n.role ? ` (${n.role})` : '', n.from ? el('span', { className: 'muted small', text: ` via ${n.from}` }) : null,
    ]))));
  }
  if (route.due) row('Due', formatDue(route.due));
  if (dl.children.length) box.append(dl);
  if (!(route.trace ?? []).some((t) => t.fired)) box.append(el('p', { className: 'muted small', text: 'No routing rule matched this message: the defaults apply.' }));

  for (const w of route.warnings ?? []) warnings.append(el('li', { text: w }));

  const trace = route.trace ?? [];
  $('route-summary').textContent = `Why this route (${trace.filter((t) => t.fired).length} of ${trace.length} rules fired)`;
  for (const t of trace) {
    $('route-trace').append(el('li', { className: t.fired ? 'fired' : 'skipped' }, [
      el('div', { className: 'trace-head' }, [
        el('span', { className: 'mark', text: t.fired ? '✓' : '–' }),
        el('span', { className: 'visually-hidden', text: t.fired ? 'fired: ' : 'not fired: ' }),
        el('strong', { text: t.rule }),
        t.stopped ? el('span', { className: 'chip', text: 'stopped here' }) : null,
      ]),
      t.why?.length ? el('ul', { className: 'why' }, t.why.map((w) => el('li', { text: w }))) : null,
      t.actions?.length ? el('ul', { className: 'trace-actions' }, t.actions.map((a) => el('li', { text: `→ ${a}` }))) : null,
    ]));
  }
}

// ---------- copy & feedback ----------

/** Fallback for browsers without the async clipboard (e.g. plain http on another host). */
function legacyCopy(text) {
  const ta = el('textarea', { className: 'offscreen' });
  ta.value = text;
  ta.readOnly = true;
  ta.tabIndex = -1;
  ta.setAttribute('aria-hidden', 'true');
  document.body.append(ta);
  ta.select();
  let ok = false;
  try { ok = document.execCommand('copy'); } catch { ok = false; }
  ta.remove();
  $('copy').focus();
  return ok;
}

/** Copies the draft as the agent left it (edits included). */
async function copyDraft() {
  const box = $('draft-text');
  const text = box.value;
  let ok;
  try { await navigator.clipboard.writeText(text); ok = true; } catch { ok = legacyCopy(text); }
  const status = $('copy-status');
  status.classList.toggle('is-error', !ok);
  status.textContent = ok ? 'Copied' : 'Copy failed: the text is selected, press Ctrl+C';
  if (!ok) { box.focus(); box.select(); }
  clearTimeout(state.copyTimer);
  if (ok) state.copyTimer = setTimeout(() => { status.textContent = ''; }, 2500);
  if (ok) recordSent(text);
}

/** Share of the words of `before` that the agent changed in `after` (word-level edit distance, 0–1). */
function editedShare(before, after) {
  const a = before.split(/\s+/).filter(Boolean);
  const b = after.split(/\s+/).filter(Boolean);
  if (!a.length) return b.length ? 1 : 0;
  let row = Array.from({ length: b.length + 1 }, (_v, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    row = next;
  }
  return Math.min(1, row[b.length] / Math.max(a.length, b.length));
}

/** The probability shown with an answer, sent with a verdict on it: outcomes at known probabilities recalibrate confidence. */
function shownConfidence(confidence) {
  // The engine's own score (before recalibration on outcomes), so recalibration learns on one scale.
  const score = Number(confidence?.before ?? confidence?.score);
  return Number.isFinite(score) && score >= 0 && score <= 1 ? { confidence: score } : {};
}

/**
 * The first copy of a suggestion's draft is what the agent sends: recorded as feedback on the answer
 * it was built from (sent as is, or edited and how much; heavily edited counts as not helpful), so
 * learning sees what agents actually do. Only where feedback is accepted without asking (a key is
 * set, or the server takes it from this machine): a copy never opens a dialog.
 */
async function recordSent(text) {
  const s = state.suggestion;
  if (state.sentRecorded || !s?.source || !(getKey() || state.feedbackWithoutKey)) return;
  // A canned reply instead of the answer sends nothing of it (its outcome was recorded when the canned reply was chosen).
  const parts = list(s.draft?.parts);
  if (parts.some((part) => part.kind === 'canned') && !parts.some((part) => part.kind === 'answer')) return;
  state.sentRecorded = true;
  const edited = Math.round(editedShare(state.draftOriginal ?? '', text) * 1000) / 1000;
  // The outcome of a source the agent picked was recorded with the pick: its score here would count an agent's choice as the engine's.
  const picked = state.picks[0] !== undefined;
  try {
    await api('POST', '/v1/feedback', { suggestionId: state.suggestionId, query: state.query, ...questionOf(list(s.answers)[0]), sourceId: s.source.id, helpful: edited < 0.5, action: edited > 0 ? 'edited' : 'sent', edited, ...(picked ? {} : shownConfidence(s.confidence)) });
  } catch {
    state.sentRecorded = false; // the next copy tries again
  }
}

/**
 * "Use this": the agent picks another source for a question. Recorded as feedback (this source
 * helpful, the one shown not), so similar questions rank it higher next time; one click, no form.
 */
function pickButton(answer, index, source) {
  const button = el('button', { className: 'btn btn-small pick', text: 'Use this' });
  button.type = 'button';
  button.title = 'Use this source instead: similar questions will rank it higher';
  button.setAttribute('aria-label', `Use ${sourceLabel(source)} instead`);
  button.addEventListener('click', () => pickSource(answer, index, source, button));
  return button;
}

/**
 * "Use this" on a knowledge search result: the source the engine did not offer becomes a question's answer, the
 * draft is rebuilt with it, and similar questions get it among their candidates. One button per question when
 * the message asked several; none before a message is asked.
 */
function searchPickButtons(source) {
  const answers = state.query ? questionAnswers(state.suggestion) : [];
  return answers.map((answer, index) => {
    const button = pickButton(answer, index, source);
    if (answers.length > 1) {
      button.textContent = `Use for question ${index + 1}`;
      button.setAttribute('aria-label', `Use ${sourceLabel(source)} for question ${index + 1}`);
    }
    return button;
  });
}

/** The question a verdict is on, as the suggestion read it: learning finds similar questions by it, not by the whole message. */
const questionOf = (answer) => (typeof answer?.question === 'string' && answer.question.trim() ? { question: answer.question } : {});

/** The engine's own choice for a question: the answer shown, or after an abstention its best candidate. Only a verdict on it carries its score. */
const engineChoice = (answer) => (answer.status === 'answered' ? answer.source?.id : answer.best?.id);

async function pickSource(answer, index, source, button) {
  const query = state.query;
  const shown = engineChoice(answer);
  button.disabled = true;
  const note = el('span', { className: 'pick-status', text: '' });
  note.setAttribute('role', 'status');
  button.after(note);
  try {
    await api('POST', '/v1/feedback', { suggestionId: state.suggestionId, query, ...questionOf(answer), sourceId: source.id, helpful: true, action: 'picked', ...(shown === source.id ? shownConfidence(answer.confidence) : {}) });
    if (shown && shown !== source.id) await api('POST', '/v1/feedback', { suggestionId: state.suggestionId, query, ...questionOf(answer), sourceId: shown, helpful: false, action: 'rejected', ...shownConfidence(answer.confidence) });
    note.textContent = ' Noted: ranked higher for similar questions';
  } catch (err) {
    button.disabled = false;
    note.classList.add('is-error');
    note.append(' ', ...errorNodes(err));
    return;
  }
  await rebuildWithPick(index, source.id);
}

/** The reply again, with the picked source as its question's answer: the draft is rebuilt around it. */
function rebuildWithPick(index, sourceId) {
  state.picks = { ...state.picks, [index]: sourceId };
  return suggestAgain({ pick: Object.entries(state.picks).map(([question, id]) => ({ question: Number(question), sourceId: id })) });
}

/** The shown message's suggestion again with `extra` options (a pick, a canned reply); the triage stays. */
async function suggestAgain(extra) {
  if (!state.query) return;
  const body = { text: state.query, ...extra };
  if (state.channel) body.channel = state.channel;
  try {
    const suggestion = await api('POST', '/v1/suggest', body);
    renderSuggestion(suggestion, suggestion.suggestionId);
    $('draft-heading').focus();
  } catch (err) {
    showError(err);
  }
}

async function sendFeedback(helpful) {
  const s = state.suggestion;
  if (!s?.source) return;
  const status = $('feedback-status');
  status.replaceChildren();
  status.classList.remove('is-error');
  $('helpful').disabled = true;
  $('not-helpful').disabled = true;
  try {
    await api('POST', '/v1/feedback', { suggestionId: state.suggestionId, query: state.query, ...questionOf(list(s.answers)[0]), sourceId: s.source.id, helpful, ...shownConfidence(s.confidence) });
    status.textContent = 'Thanks — feedback recorded';
  } catch (err) {
    $('helpful').disabled = false;
    $('not-helpful').disabled = false;
    status.classList.add('is-error');
    status.append(...errorNodes(err));
    if (err.status === 401 || err.status === 403) {
      const open = el('button', { className: 'btn btn-small', text: 'Set API key' });
      open.type = 'button';
      open.addEventListener('click', () => openKeyDialog('Feedback needs an API key with the write scope.', () => sendFeedback(helpful)));
      status.append(' ', open);
    }
  }
}

// ---------- source panel ----------

function hashSourceId() {
  const m = /^#source=(.+)$/.exec(location.hash);
  if (!m) return null;
  try { return decodeURIComponent(m[1]); } catch { return null; }
}

async function openSource(id, trigger) {
  state.trigger = trigger ?? null;
  const token = ++state.panelToken;
  const wanted = '#source=' + encodeURIComponent(id);
  if (location.hash !== wanted) history.replaceState(null, '', wanted); // no hashchange, no history spam
  $('source-panel').hidden = false;
  $('source-panel').setAttribute('aria-busy', 'true');
  $('source-title').textContent = 'Loading source…';
  for (const pid of ['source-kind', 'source-path', 'source-file', 'source-tags']) $(pid).replaceChildren();
  $('source-body').replaceChildren();
  try {
    const doc = await api('GET', `/v1/documents/${encodeURIComponent(id)}`);
    if (token !== state.panelToken) return;
    renderDocument(doc ?? {});
  } catch (err) {
    if (token !== state.panelToken) return;
    $('source-title').textContent = 'Source unavailable';
    $('source-body').replaceChildren(el('p', { className: 'error' }, errorNodes(err)));
  }
  $('source-panel').setAttribute('aria-busy', 'false');
  $('source-title').focus();
}

function renderDocument(doc) {
  const src = doc.source ?? {};
  const ticket = doc.kind === 'ticket';
  $('source-title').textContent = ticket ? `Ticket ${doc.id}: ${doc.title}` : (doc.title ?? doc.id);
  $('source-kind').textContent = [ticket ? 'Resolved ticket' : 'Article', doc.category, doc.language].filter(Boolean).join(' · ');
  const path = src.headingPath?.length ? src.headingPath.join(' › ') : (src.heading ?? '');
  $('source-path').textContent = path;
  $('source-path').hidden = !path;
  const file = src.file ? `${src.file}${src.anchor ? `#${src.anchor}` : ''}` : '';
  $('source-file').replaceChildren(file ? el('code', { text: file }) : '');
  $('source-file').hidden = !file;
  $('source-tags').replaceChildren(...(doc.tags ?? []).map((t) => el('span', { className: 'chip', text: t })));
  $('source-tags').hidden = !doc.tags?.length;
  const body = $('source-body');
  if (ticket) {
    body.replaceChildren(
      el('h3', { text: 'Customer wrote' }), el('div', { className: 'doc-text', text: doc.text ?? '' }),
      el('h3', { text: 'Resolution' }), el('div', { className: 'doc-text', text: doc.answer ?? '' }),
    );
  } else {
    body.replaceChildren(el('div', { className: 'doc-text', text: doc.text ?? '' }));
  }
}

function closeSource(restoreFocus) {
  if ($('source-panel').hidden) return;
  state.panelToken++;
  $('source-panel').hidden = true;
  if (hashSourceId() !== null) history.replaceState(null, '', location.pathname + location.search);
  if (!restoreFocus) return;
  const back = state.trigger?.isConnected ? state.trigger : $('message');
  back.focus();
}

// ---------- API key dialog ----------

function openKeyDialog(reason, onSaved) {
  const dialog = $('key-dialog');
  state.retry = onSaved ?? null;
  $('key-reason').textContent = reason ?? '';
  $('key-reason').hidden = !reason;
  $('api-key').value = getKey();
  if (!dialog.open) {
    state.keyOpener = document.activeElement;
    dialog.showModal();
  }
  $('api-key').focus();
}

function setupKeyDialog() {
  const dialog = $('key-dialog');
  $('key-button').addEventListener('click', () => openKeyDialog());
  $('key-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const value = $('api-key').value.trim();
    const retry = state.retry;
    setKey(value);
    dialog.close();
    if (value && retry) retry();
  });
  $('key-clear').addEventListener('click', () => { setKey(''); $('api-key').value = ''; dialog.close(); });
  $('key-cancel').addEventListener('click', () => dialog.close());
  dialog.addEventListener('close', () => {
    state.retry = null;
    const back = state.keyOpener?.isConnected && state.keyOpener !== document.body ? state.keyOpener : $('message');
    back.focus();
  });
}

// ---------- wiring ----------

// ---------- keyboard ----------

/** Typing in a box (or a dialog is open): single-key shortcuts must not fire. */
function typing(e) {
  const t = e.target;
  return document.querySelector('dialog[open]') !== null || (t instanceof HTMLElement && (t.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(t.tagName)));
}

/** The page's shortcuts (listed in #shortcuts-dialog): an agent works the whole message without the mouse. */
function shortcut(e) {
  if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && e.shiftKey) {
    if (!$('copy').disabled && !$('draft-card')?.hidden) { e.preventDefault(); copyDraft(); }
    return;
  }
  if (e.ctrlKey || e.metaKey || e.altKey || typing(e)) return;
  if (e.key === '?') { e.preventDefault(); $('shortcuts-dialog').showModal(); }
  else if (e.key === 'n') { e.preventDefault(); newMessage(); }
  else if (e.key === '/') { e.preventDefault(); $('search-text').focus(); }
  else if (e.key === 'j' || e.key === 'k') { e.preventDefault(); stepSource(e.key === 'j' ? 1 : -1); }
  else if (/^[1-5]$/.test(e.key) && !$('draft-card').hidden) {
    const button = document.querySelectorAll('#canned-box button.canned')[Number(e.key) - 1];
    if (button) { e.preventDefault(); button.click(); }
  }
}

/** The draft again with a canned reply instead of the answers (the answers stay on the page). */
function draftCanned(name) {
  recordNothingRight(name);
  return suggestAgain({ canned: name });
}

/** Canned replies that say the knowledge base holds no answer: each question's answer shown, or best candidate, was not right. */
const NOTHING_RIGHT = new Set(['off-topic', 'spam', 'not-covered']);

/**
 * Off-topic, spam or not covered: recorded once per suggestion as outcomes of the engine's choices (rejected,
 * at their scores), where feedback is accepted without asking. Never blocks the draft; a failure is retried
 * with the next such choice.
 */
async function recordNothingRight(name) {
  const s = state.suggestion;
  if (!NOTHING_RIGHT.has(name) || state.nothingRightRecorded || !s || !(getKey() || state.feedbackWithoutKey)) return;
  state.nothingRightRecorded = true;
  const choices = list(s.answers).map((a) => ({ a, id: engineChoice(a) })).filter(({ id }) => id);
  try {
    for (const { a, id } of choices) await api('POST', '/v1/feedback', { suggestionId: state.suggestionId, query: state.query, ...questionOf(a), sourceId: id, helpful: false, action: 'rejected', ...shownConfidence(a.confidence) });
  } catch {
    state.nothingRightRecorded = false;
  }
}

/** A search filter's choices (the knowledge base's categories or languages, from /v1/ready), after its "All" option; the choice made stays. */
function searchFilterOptions(select, values, label = (value) => value) {
  const wanted = list(values).filter((value) => typeof value === 'string' && value);
  const shown = [...select.options].slice(1).map((option) => option.value);
  if (wanted.length === shown.length && wanted.every((value, i) => value === shown[i])) return;
  const chosen = select.value;
  select.replaceChildren(select.options[0], ...wanted.map((value) => new Option(label(value), value)));
  select.value = wanted.includes(chosen) ? chosen : '';
}

/** The knowledge search's hits, each with its kind, link, excerpt and "Use this" for the message shown. */
function renderSearchHits(hits) {
  $('search-results').replaceChildren(...(hits.length
    ? hits.map((hit) => {
      const doc = hit.document;
      const excerpt = String(doc.answer ?? doc.text ?? '').replace(/\s+/g, ' ').trim();
      return el('li', { className: 'similar-item' }, [
        el('span', { className: 'badge', text: doc.kind === 'ticket' ? 'Ticket' : 'Article' }), ' ',
        sourceLink(doc.source),
        el('p', { className: 'similar-excerpt', text: excerpt.length > 160 ? `${excerpt.slice(0, 157)}…` : excerpt }),
        ...searchPickButtons(doc.source),
      ]);
    })
    : [el('li', { className: 'muted', text: 'Nothing found.' })]));
}

/** The knowledge search: articles and tickets for the agent's own words, each opening in the side panel. */
async function searchKnowledge(event) {
  event?.preventDefault();
  const text = $('search-text').value.trim();
  const results = $('search-results');
  if (!text) { $('search-text').focus(); return; }
  const body = { text, k: 8 };
  const filter = {};
  for (const [field, id] of [['kind', 'search-kind'], ['category', 'search-category'], ['language', 'search-language']]) if ($(id).value) filter[field] = $(id).value;
  if (Object.keys(filter).length) body.filter = filter;
  results.setAttribute('aria-busy', 'true');
  try {
    const found = await api('POST', '/v1/search', body);
    state.searchHits = list(found?.hits).filter((hit) => hit.document?.source?.id);
    renderSearchHits(state.searchHits);
  } catch (err) {
    state.searchHits = null;
    results.replaceChildren(el('li', { className: 'error' }, errorNodes(err)));
  } finally {
    results.setAttribute('aria-busy', 'false');
  }
}

// ---------- the Knowledge view, for writers ----------

/** Shows the Knowledge view (gaps and article performance) instead of the message and result, or back. */
function toggleKnowledge(show = $('knowledge-view').hidden) {
  $('knowledge-view').hidden = !show;
  $('result').hidden = show;
  document.querySelector('section.ask').hidden = show;
  $('knowledge-button').setAttribute('aria-expanded', String(show));
  $('knowledge-button').textContent = show ? 'Back to messages' : 'Knowledge';
  if (show) { loadKnowledge(); $('knowledge-heading').focus(); } else $('message').focus();
}

const OUTCOME_WORDS = { abstained: 'left open', rejected: 'answer rejected', edited: 'answer heavily edited' };

async function loadKnowledge() {
  const since = $('knowledge-since').value;
  const query = since ? `?since=${encodeURIComponent(since)}` : '';
  const gaps = $('gaps');
  const table = $('performance');
  gaps.setAttribute('aria-busy', 'true');
  try {
    const [found, perf] = await Promise.all([api('GET', `/v1/gaps${query}`), api('GET', `/v1/performance${query}`)]);
    const topics = list(found?.gaps);
    gaps.replaceChildren(...(topics.length ? topics.map((gap) => el('li', { className: 'gap' }, [
      el('strong', { text: gap.title }),
      el('span', { className: 'muted small', text: ` asked ${gap.count} times · ${Object.entries(gap.outcomes ?? {}).map(([o, n]) => `${n} ${OUTCOME_WORDS[o] ?? o}`).join(', ')}` }),
      list(gap.keywords).length ? el('p', { className: 'chips' }, list(gap.keywords).map((k) => el('span', { className: 'chip', text: k }))) : null,
      el('ul', { className: 'gap-examples' }, list(gap.examples).map((e) => el('li', { text: e }))),
      list(gap.nearest).length
        ? el('p', { className: 'small' }, ['Nearest articles: ', ...list(gap.nearest).flatMap((s, i) => [i ? '; ' : '', sourceLink(s)])])
        : el('p', { className: 'small muted', text: 'No article is near it.' }),
    ].filter(Boolean))) : [el('li', { className: 'muted', text: 'No gaps: no topic was asked about twice and left open, rejected or heavily edited.' })]));
    const sections = list(perf?.sections);
    const head = el('tr', {}, ['Section', 'Shown', 'Sent', 'Edited', 'Rejected', 'Picked', 'Sent %'].map((h) => el('th', { text: h })));
    table.replaceChildren(el('thead', {}, [head]), el('tbody', {}, sections.length ? sections.map((s) => el('tr', {}, [
      el('td', {}, [sourceLink(s.source)]),
      ...[s.shown, s.sent, s.edited, s.rejected, s.picked].map((n) => el('td', { className: 'num', text: String(n ?? 0) })),
      el('td', { className: 'num', text: s.sentShare === undefined ? '–' : percent(s.sentShare) }),
    ])) : [el('tr', {}, [el('td', { className: 'muted', text: 'No article section was shown yet in this period.' })])]));
  } catch (err) {
    gaps.replaceChildren(el('li', { className: 'error' }, errorNodes(err)));
    table.replaceChildren();
  } finally {
    gaps.setAttribute('aria-busy', 'false');
  }
}

/** A fresh form, the cursor in the message box. */
function newMessage() {
  if (!$('source-panel').hidden) closeSource(false);
  $('ask-form').reset();
  $('message').focus();
}

/** Opens the next or previous source link of the result (the first one when none is open). */
function stepSource(step) {
  const links = [...document.querySelectorAll('#result a.source-link')].filter((a) => a.offsetParent !== null);
  if (!links.length) return;
  const open = hashSourceId();
  const at = links.findIndex((a) => open !== null && a.getAttribute('href') === '#source=' + encodeURIComponent(open));
  const next = links[at < 0 ? (step > 0 ? 0 : links.length - 1) : (at + step + links.length) % links.length];
  next.click();
}

function init() {
  setKey(getKey()); // reflect a key saved earlier in this tab
  if (/Mac|iPhone|iPad/.test(navigator.userAgentData?.platform ?? navigator.platform ?? '')) {
    $('mod-key').textContent = '⌘';
    for (const key of document.querySelectorAll('kbd.mod')) key.textContent = '⌘';
  }

  $('ask-form').addEventListener('submit', ask);
  $('message').addEventListener('keydown', (e) => {
    // Ctrl+Shift+Enter is "copy the draft" (the page's shortcut), not "ask again".
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && !e.shiftKey) { e.preventDefault(); $('ask-form').requestSubmit(); }
  });
  $('copy').addEventListener('click', copyDraft);
  $('draft-text').addEventListener('input', updatePlaceholders);
  $('helpful').addEventListener('click', () => sendFeedback(true));
  $('not-helpful').addEventListener('click', () => sendFeedback(false));
  $('source-close').addEventListener('click', () => closeSource(true));
  document.addEventListener('keydown', (e) => {
    // The modal dialog handles its own Esc; otherwise Esc closes the source panel.
    if (e.key === 'Escape' && !document.querySelector('dialog[open]') && !$('source-panel').hidden) { e.preventDefault(); closeSource(true); }
    else shortcut(e);
  });
  $('shortcuts-button').addEventListener('click', () => $('shortcuts-dialog').showModal());
  $('knowledge-button').addEventListener('click', () => toggleKnowledge());
  $('knowledge-since').addEventListener('change', loadKnowledge);
  $('search-form').addEventListener('submit', searchKnowledge);
  for (const button of document.querySelectorAll('#canned-box button.canned')) button.addEventListener('click', () => draftCanned(button.dataset.canned));
  window.addEventListener('hashchange', () => {
    const id = hashSourceId();
    if (id !== null) openSource(id, null); else closeSource(false);
  });
  setupKeyDialog();

  const initial = hashSourceId(); // a pasted URL with #source=… opens the panel
  if (initial !== null) openSource(initial, null);
  checkReady();
}

init();
