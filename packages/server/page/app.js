// Answerdesk agent page. Plain ES2020 module, no dependencies, served under a
// strict CSP. Article and ticket text is untrusted, so every element is built
// with createElement and filled with textContent; never HTML strings.

const $ = (id) => document.getElementById(id);
const KEY_STORAGE = 'answerdesk.apiKey';
const LEVELS = { high: 'High', medium: 'Medium', low: 'Low' };
const BASIS = { model: 'from the model', cues: 'from cues in the text', default: 'default' };

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
  try {
    res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new ApiError(0, '', 'Could not reach the Answerdesk server. Check your connection and that the server is running.');
  }
  const data = await res.json().catch(() => null);
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
    renderResult(result ?? {});
  } catch (err) {
    failure = err;
  } finally {
    setBusy(false);
  }
  if (!failure) { $('answer-heading').focus(); return; }
  // A stale answer for a different message must not stay on screen to be copied.
  $('answer-card').hidden = true;
  $('facts-col').hidden = true;
  $('empty').hidden = false;
  showError(failure);
  if (failure.status === 401) openKeyDialog(failure.message, () => $('ask-form').requestSubmit());
  else if (document.activeElement === document.body) $('ask').focus();
}

// ---------- rendering the result ----------

function renderResult(r) {
  $('empty').hidden = true;
  $('answer-card').hidden = false;
  $('facts-col').hidden = false;
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

function sourceLink(src) {
  const a = el('a', { className: 'source-link', text: sourceLabel(src) });
  a.href = '#source=' + encodeURIComponent(src.id);
  a.addEventListener('click', (e) => {
    if (e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) return; // let "open in new tab" work
    e.preventDefault();
    openSource(src.id, a);
  });
  return a;
}

function renderSuggestion(s, suggestionId) {
  state.suggestion = s ?? null;
  state.suggestionId = suggestionId;
  const answered = s?.status === 'answered' && typeof s.answer === 'string';

  const c = s?.confidence;
  $('confidence').hidden = !c;
  $('confidence').className = `badge ${levelClass(c?.level)}`;
  $('confidence').textContent = c ? badgeText(c.level, c.score) : '';
  // The answer's language, and whether the agent must translate it for this customer.
  const lang = $('answer-language');
  lang.hidden = !(answered && s.language);
  lang.classList.toggle('needs-translation', Boolean(s?.needsTranslation));
  lang.textContent = answered && s.language ? `${s.language.toUpperCase()}${s.needsTranslation ? ' · translate' : ''}` : '';
  lang.title = s?.needsTranslation ? `The answer is in ${s.language}; the customer wrote in ${s.queryLanguage?.code ?? 'another language'}.` : '';
  const notes = Array.isArray(s?.notes) ? s.notes.filter((n) => typeof n === 'string') : [];
  $('note').hidden = notes.length === 0;
  $('note').textContent = notes.join(' ');

  const answer = $('answer');
  answer.classList.toggle('abstained', !answered);
  if (answered) {
    answer.textContent = s.answer;
  } else {
    answer.replaceChildren(
      el('p', { className: 'abstain-title', text: 'No confident answer' }),
      el('p', { text: s ? (s.reason ?? 'Nothing in the knowledge base is close enough to this message.') : 'No suggestion was returned for this message.' }),
    );
  }

  const list = $('sources');
  list.replaceChildren();
  if (answered && s.source) list.append(el('li', { className: 'primary' }, [sourceLink(s.source)]));
  for (const alt of s?.alternatives ?? []) {
    list.append(el('li', {}, [sourceLink(alt.source), ' ', badge(alt.confidence?.level, alt.confidence?.score)]));
  }
  $('sources-heading').textContent = answered ? 'Sources' : 'Possible sources';
  $('sources-heading').hidden = list.children.length === 0;
  list.hidden = list.children.length === 0;

  // Copy needs an answer; feedback also needs the source it is about.
  $('copy').hidden = !answered;
  $('copy').textContent = 'Copy answer';
  for (const id of ['helpful', 'not-helpful']) {
    $(id).hidden = !(answered && s.source);
    $(id).disabled = false;
  }
  $('feedback-status').replaceChildren();
  $('feedback-status').classList.remove('is-error');
}

function labelValue(pred) {
  const alts = (pred.alternatives ?? []).filter((a) => a.label !== pred.label).slice(0, 2);
  return el('span', {}, [
    el('strong', { text: pred.label }), ' ', badge(pred.level, pred.probability),
    alts.length ? el('span', { className: 'muted small', text: ` or ${alts.map((a) => `${a.label} ${percent(a.probability)}`).join(', ')}` }) : null,
  ]);
}

function renderFacts(r) {
  $('category').replaceChildren(r.category ? labelValue(r.category) : el('span', { className: 'muted', text: 'not trained' }));

  const p = r.priority ?? { priority: 'normal', basis: 'default', cues: [] };
  const basis = BASIS[p.basis] ?? p.basis;
  // replaceChildren turns null into the text "null", so absent parts are filtered out first.
  $('priority').replaceChildren(...[
    el('strong', { className: `prio prio-${['urgent', 'high', 'normal', 'low'].includes(p.priority) ? p.priority : 'normal'}`, text: capitalize(p.priority) }),
    el('span', { className: 'muted', text: ` · ${basis}${p.level ? ` (${(LEVELS[p.level] ?? p.level).toLowerCase()} confidence)` : ''}` }),
    p.cues?.length ? el('span', { className: 'cues small', text: `Cues: ${p.cues.join(', ')}` }) : null,
  ].filter(Boolean));

  const lang = r.language;
  $('language').textContent = lang ? `${lang.code}${lang.reliable ? '' : ' (uncertain)'}` : 'unknown';

  // Other predicted fields (e.g. queue) become extra rows; category and priority have their own.
  const facts = $('facts');
  for (const row of facts.querySelectorAll('.extra')) row.remove();
  for (const [field, pred] of Object.entries(r.labels ?? {})) {
    if (field === 'category' || field === 'priority' || !pred) continue;
    const dd = el('dd', {}, [labelValue(pred)]);
    dd.dataset.field = field;
    facts.append(el('div', { className: 'fact extra' }, [el('dt', { text: capitalize(field) }), dd]));
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
  warnings.hidden = !route?.warnings?.length;
  if (!route) { box.append(el('p', { className: 'muted', text: 'No routing rules configured' })); return; }

  const dl = el('dl', { className: 'facts' });
  const row = (name, value) => {
    if (value === undefined || value === null || value === '') return;
    dl.append(el('div', { className: 'fact' }, [el('dt', { text: name }), el('dd', {}, [value])]));
  };
  row('Queue', route.queue);
  row('Team', route.team);
  row('Line', route.line && `${capitalize(route.line)} line`);
  row('Priority', route.priority && capitalize(route.priority));
  if (route.tags?.length) row('Tags', el('span', { className: 'chips' }, route.tags.map((t) => el('span', { className: 'chip', text: t }))));
  if (route.notify?.length) {
    row('Notify', el('ul', { className: 'plain' }, route.notify.map((n) => el('li', {}, [
      n.address, n.role ? ` (${n.role})` : '', n.from ? el('span', { className: 'muted small', text: ` via ${n.from}` }) : null,
    ]))));
  }
  if (route.due) row('Due', formatDue(route.due));
  box.append(dl.children.length ? dl : el('p', { className: 'muted', text: 'No routing rule matched this message' }));

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

async function copyAnswer() {
  const text = state.suggestion?.answer ?? '';
  let ok;
  try { await navigator.clipboard.writeText(text); ok = true; } catch { ok = legacyCopy(text); }
  const button = $('copy');
  button.textContent = ok ? 'Copied' : 'Copy failed — select the text';
  clearTimeout(state.copyTimer);
  state.copyTimer = setTimeout(() => { button.textContent = 'Copy answer'; }, 2000);
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
    await api('POST', '/v1/feedback', { suggestionId: state.suggestionId, query: state.query, sourceId: s.source.id, helpful });
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

function init() {
  setKey(getKey()); // reflect a key saved earlier in this tab
  if (/Mac|iPhone|iPad/.test(navigator.userAgentData?.platform ?? navigator.platform ?? '')) $('mod-key').textContent = '⌘';

  $('ask-form').addEventListener('submit', ask);
  $('message').addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { e.preventDefault(); $('ask-form').requestSubmit(); }
  });
  $('copy').addEventListener('click', copyAnswer);
  $('helpful').addEventListener('click', () => sendFeedback(true));
  $('not-helpful').addEventListener('click', () => sendFeedback(false));
  $('source-close').addEventListener('click', () => closeSource(true));
  document.addEventListener('keydown', (e) => {
    // The modal dialog handles its own Esc; otherwise Esc closes the source panel.
    if (e.key === 'Escape' && !$('key-dialog').open && !$('source-panel').hidden) { e.preventDefault(); closeSource(true); }
  });
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
