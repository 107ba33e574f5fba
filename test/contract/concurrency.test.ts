// Several service processes on one PostgreSQL knowledge base: concurrent publishes of the same
// folder and of different folders, concurrent ticket appends, a write that fails inside its
// transaction, and readers during a publish. Each process is a PgKnowledgeBase instance: on PGlite
// all of them share the one database object (one connection, so statements interleave but never
// run at once); on the server named by ANSWERDESK_TEST_DATABASE_URL each has its own connection
// pool, so they really run at once.
//
// HashingEncoder (a deterministic embedder with no notion of meaning) keeps this about
// consistency. Wrappers around it and around the database make the races and failures happen
// where the tests need them: a barrier holds every process after it has planned and embedded its
// write until all have (so all plan on the same version), and a faulty database handle fails one
// statement inside a write's transaction.
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import t from 'tap';
import { HashingEncoder, isAnswerdeskError, parseArticle, type Encoder, type KnowledgeService, type Ticket } from '@answerdesk/core';
import { PgKnowledgeBase } from '@answerdesk/core/postgres';
import type { Database } from '@answerdesk/postgres';
import { dropAfter, eachTarget, uniqueTenant } from './databases.js';
import { REFUND_CARD, SECTION_IDS, helpCentre, markdown, type ArticleSpec, type TapTest } from './fixtures.js';

// ------------------------------------------------------------------ encoders

/** All `parties` wait at `wait()` until the last arrives; later calls pass straight through. */
function barrier(parties: number) {
  let arrived = 0;
  let release!: () => void;
  const all = new Promise<void>((resolve) => (release = resolve));
  return {
    get arrived() {
      return arrived;
    },
    async wait() {
      if (++arrived === parties) release();
      if (arrived <= parties) await all;
    },
  };
}

/** HashingEncoder (same id and vectors, so it opens the same knowledge base) with hooks on embedPassages. */
class HookedEncoder implements Encoder {
  private readonly inner = new HashingEncoder();
  readonly id = this.inner.id;
  readonly dimension = this.inner.dimension;
  readonly languages = this.inner.languages;
  readonly symmetric = this.inner.symmetric;
  passageCalls = 0;
  constructor(private readonly hooks: { afterEmbedding?: () => Promise<void>; vector?: (text: string, vector: Float32Array) => Float32Array } = {}) {}
  load() {
    return this.inner.load();
  }
  embedQueries(texts: readonly string[]) {
    return this.inner.embedQueries(texts);
  }
  async embedPassages(texts: readonly string[]) {
    this.passageCalls++;
    const vectors = await this.inner.embedPassages(texts);
    await this.hooks.afterEmbedding?.();
    return vectors.map((vector, i) => this.hooks.vector?.(texts[i]!, vector) ?? vector);
  }
  close() {
    return this.inner.close();
  }
}

/** Held after embedding (so after planning) until every party of `gate` has embedded too. */
const gated = (gate: ReturnType<typeof barrier>) => new HookedEncoder({ afterEmbedding: () => gate.wait() });

// ------------------------------------------------------------------ databases

/** A database handle that throws instead of running the first statement `fails` matches once armed; it records every statement. */
function faulty(db: Database, fails: (sql: string) => boolean) {
  const state = { armed: false, seen: [] as string[] };
  const wrap = (inner: Database, inTransaction: boolean): Database => ({
    query: async <R,>(sql: string, params?: unknown[]) => {
      state.seen.push(`${inTransaction ? 'tx' : '--'} ${sql.replace(/\s+/g, ' ').trim().slice(0, 60)}`);
      if (state.armed && fails(sql)) {
        state.armed = false;
        throw new Error('the connection was lost (a simulated crash in the middle of the transaction)');
      }
      return inner.query<R>(sql, params);
    },
    transaction: (fn) => inner.transaction((tx) => fn(wrap(tx, true))),
    close: async () => {},
  });
  return { db: wrap(db, false), state };
}

/** A database handle that, once armed, stops before the first statement `pauses` matches until `resume()`. */
function pausing(db: Database, pauses: (sql: string) => boolean) {
  let armed = false;
  let reached!: () => void;
  let resume!: () => void;
  const reachedPromise = new Promise<void>((resolve) => (reached = resolve));
  const resumePromise = new Promise<void>((resolve) => (resume = resolve));
  const wrap = (inner: Database): Database => ({
    query: async <R,>(sql: string, params?: unknown[]) => {
      if (armed && pauses(sql)) {
        armed = false;
        reached();
        await resumePromise;
      }
      return inner.query<R>(sql, params);
    },
    transaction: (fn) => inner.transaction((tx) => fn(wrap(tx))),
    close: async () => {},
  });
  return { db: wrap(db), arm: () => (armed = true), reached: reachedPromise, resume };
}

// ------------------------------------------------------------------ state as the interface shows it

const counts = (kb: KnowledgeService) => {
  const { documents, articles, tickets, passages } = kb.stats;
  return { documents, articles, tickets, passages };
};

/** What a process serves after catching up: counts, articles, categories, and the given documents. */
async function served(kb: KnowledgeService, ids: readonly string[]) {
  await kb.refresh();
  const docs: Record<string, string | null> = {};
  for (const id of ids) {
    const doc = await kb.document(id);
    docs[id] = doc ? `${doc.hash} ${doc.source.file ?? ''} ${doc.answer}` : null;
  }
  return { counts: counts(kb), articleIds: kb.articleIds, categories: kb.categories, docs };
}

async function verified(t: TapTest, kb: KnowledgeService, label: string) {
  const report = await kb.verify();
  t.ok(report.ok, `${label}: verify ok ${report.problems.join('; ')}`);
  return report;
}

const ALL_SECTIONS = Object.values(SECTION_IDS);

eachTarget(t, async (t, target) => {
  /** A new service process on `tenant`: its own connection on a server, the shared PGlite otherwise. */
  const serviceProcess = async (t: TapTest, tenant: string, encoder: Encoder = new HashingEncoder(), wrapDb?: (db: Database) => Database) => {
    const db = await target.connection(t);
    // Tickets that embed their resolution too have two passages each: the counts below check both are written.
    const kb = await PgKnowledgeBase.open({ database: wrapDb ? wrapDb(db) : db, knowledgeBase: tenant, encoder, passages: { tickets: 'question-and-resolution' } });
    t.teardown(() => kb.close());
    return kb;
  };
  const tenant = async (t: TapTest, label: string) => {
    const id = uniqueTenant(label);
    dropAfter(t, await target.connection(t), id);
    return id;
  };

  t.test('two processes publish the same folder at once: the result is one publish', async (t) => {
    const dir = t.testdir({ kb: helpCentre() });
    const folder = path.join(dir, 'kb');
    const id = await tenant(t, 'same-folder');
    const gate = barrier(2);
    const [one, two] = [await serviceProcess(t, id, gated(gate)), await serviceProcess(t, id, gated(gate))];
    const before = (await one.verify()).snapshot;
    const reports = await Promise.all([one.publish(folder), two.publish(folder)]);
    t.equal(gate.arrived, 2, 'both planned and embedded the publish before either wrote');
    t.ok(reports.every((r) => r.errors.length === 1 && r.errors[0]!.code === 'ADK_FRONTMATTER_INVALID'), 'each reports the broken file');
    const [winner, loser] = reports[0]!.plan.added.length ? reports : [reports[1]!, reports[0]!];
    t.match(winner, { plan: { added: ['gift-balance', 'refund-card', 'reset-password'], sections: { added: 7 } }, embedded: 7 }, 'one wrote the folder');
    t.match(loser, { plan: { added: [], changed: [], removed: [], unchanged: 3 }, embedded: 0 }, 'the other saw the conflict, planned again and found nothing to do');
    t.equal((await one.verify()).snapshot, before + 1, 'one write, not two');

    const reference = await serviceProcess(t, await tenant(t, 'reference'));
    await reference.publish(folder);
    const expected = await served(reference, ALL_SECTIONS);
    t.same(await served(one, ALL_SECTIONS), expected, 'the first process serves exactly what one publish gives');
    t.same(await served(two, ALL_SECTIONS), expected, 'and so does the second');
    await verified(t, one, 'first');
    await verified(t, two, 'second');
  });

  t.test('two processes publish different folders at once: both articles are there', async (t) => {
    const article = (id: string, text: string): ArticleSpec => ({ id, title: `Article ${id}`, category: id, sections: { Answer: text } });
    const dir = t.testdir({
      shop: { 'alpha.md': markdown(article('alpha', 'Orders placed before 2 pm ship the same day.')) },
      hosting: { 'beta.md': markdown(article('beta', 'Backups of every site are kept for thirty days.')) },
    });
    const id = await tenant(t, 'two-folders');
    const gate = barrier(2);
    const [one, two] = [await serviceProcess(t, id, gated(gate)), await serviceProcess(t, id, gated(gate))];
    const before = (await one.verify()).snapshot;
    const [a, b] = await Promise.all([one.publish(path.join(dir, 'shop')), two.publish(path.join(dir, 'hosting'))]);
    t.equal(gate.arrived, 2, 'both planned on the same version');
    t.same([a.plan.added, b.plan.added], [['alpha'], ['beta']], 'each added its own article (the second after planning again)');
    t.equal((await one.verify()).snapshot, before + 2, 'two writes');
    for (const [name, kb] of [['first', one], ['second', two]] as const) {
      const state = await served(kb, ['alpha#answer', 'beta#answer']);
      t.same(state.articleIds, ['alpha', 'beta'], `${name} process: both articles`);
      t.same(state.counts, { documents: 2, articles: 2, tickets: 0, passages: 2 });
      t.ok(state.docs['alpha#answer'] && state.docs['beta#answer']);
      await verified(t, kb, name);
    }
    // Publishing one folder again removes nothing of the other.
    await writeFile(path.join(dir, 'shop', 'alpha.md'), markdown(article('alpha', 'Orders placed before 1 pm ship the same day.')));
    t.match(await two.publish(path.join(dir, 'shop')), { plan: { changed: ['alpha'], removed: [] } });
    t.same((await served(one, [])).articleIds, ['alpha', 'beta']);
  });

  t.test('two processes PUT different articles at once: each checks its own article, and neither plans again', async (t) => {
    const article = (id: string, text: string) => parseArticle(markdown({ id, title: `Article ${id}`, category: id, sections: { Answer: text } }), { file: `${id}.md` });
    const id = await tenant(t, 'two-articles');
    const gate = barrier(2);
    let one!: ReturnType<typeof faulty>;
    let two!: ReturnType<typeof faulty>;
    const first = await serviceProcess(t, id, gated(gate), (db) => (one = faulty(db, () => false)).db);
    const second = await serviceProcess(t, id, gated(gate), (db) => (two = faulty(db, () => false)).db);
    await (await serviceProcess(t, id)).putArticles([article('alpha', 'Orders placed before 2 pm ship the same day.')]);
    one.state.seen.length = 0;
    two.state.seen.length = 0;
    const before = (await first.verify()).snapshot;
    const [a, b] = await Promise.all([
      first.putArticles([article('alpha', 'Orders placed before 1 pm ship the same day.')]),
      second.putArticles([article('beta', 'Backups of every site are kept for thirty days.')]),
    ]);
    t.equal(gate.arrived, 2, 'both planned before either wrote');
    t.match([a, b], [{ updated: 1 }, { updated: 1 }]);
    const locks = (state: { seen: string[] }) => state.seen.filter((sql) => sql.includes('pg_advisory_xact_lock')).length;
    t.same([locks(one.state), locks(two.state)], [1, 1], 'one write each: the other article changing meanwhile is no conflict');
    t.equal((await first.verify()).snapshot, before + 2);
    t.same((await served(second, [])).articleIds, ['alpha', 'beta']);
  });

  t.test('three processes append 50 tickets each at once; a reader sees all 150', async (t) => {
    const id = await tenant(t, 'appends');
    const reader = await serviceProcess(t, id);
    const gate = barrier(3);
    const writers = [await serviceProcess(t, id, gated(gate)), await serviceProcess(t, id, gated(gate)), await serviceProcess(t, id, gated(gate))];
    const before = (await reader.verify()).snapshot;
    const batch = (w: number): Ticket[] =>
      Array.from({ length: 50 }, (_, i) => ({
        id: `W${w}-${String(i).padStart(3, '0')}`,
        subject: `Order ${w}${i} late`,
        body: `Order with tracking code ${'abc'[w]}x${i}q from process ${w} has not arrived after ${i % 9} days.`,
        resolution: `Courier reference ${w}${i}${i}: the parcel is at the depot and will be delivered tomorrow.`,
        category: ['delivery', 'billing', 'returns'][w]!,
      }));
    const reports = await Promise.all(writers.map((writer, w) => writer.addTickets(batch(w))));
    t.equal(gate.arrived, 3, 'all three embedded before any wrote');
    t.same(reports, [0, 1, 2].map(() => ({ updated: 50, unchanged: 0, removed: 0, embedded: 100, reused: 0 })));
    t.equal((await reader.verify()).snapshot, before + 3, 'three writes, none lost');

    const state = await served(reader, ['W0-000', 'W1-025', 'W2-049']);
    t.same(state.counts, { documents: 150, articles: 0, tickets: 150, passages: 300 }, 'the reader sees all 150 after refresh');
    t.same(state.categories, ['billing', 'delivery', 'returns']);
    t.ok(Object.values(state.docs).every(Boolean), 'tickets from every process');
    for (const w of [0, 1, 2]) {
      const hits = await reader.search(`${'abc'[w]}x7q`, { mode: 'lexical', language: 'en' });
      t.same(hits.hits.map((hit) => hit.doc.id), [`W${w}-007`], `the reader finds process ${w}'s ticket`);
    }
    for (const writer of writers) t.same((await served(writer, [])).counts, state.counts, 'every writer agrees after refresh');
    await verified(t, reader, 'reader');

    // Two processes append the same ticket id at once: one version wins, whole.
    const versions = ['the courier lost it; we sent a new parcel.', 'we refunded the order in full.'];
    const sameGate = barrier(2);
    const [x, y] = [await serviceProcess(t, id, gated(sameGate)), await serviceProcess(t, id, gated(sameGate))];
    await Promise.all([x, y].map((kb, i) => kb.addTickets([{ id: 'DUP-1', subject: 'Parcel lost', body: 'My parcel never came.', resolution: `Resolved: ${versions[i]}` }])));
    const dup = await reader.document('DUP-1');
    t.ok(versions.some((v) => dup?.answer === `Resolved: ${v}`), `one of the two: ${dup?.answer}`);
    await reader.refresh();
    t.same(counts(reader), { documents: 151, articles: 0, tickets: 151, passages: 302 }, 'one ticket with its own two passages, nothing of the other left');
    await verified(t, reader, 'after the same-id race');
  });

  t.test('a publish that fails inside its transaction leaves the old state; a good one then succeeds', async (t) => {
    const dir = t.testdir({ kb: helpCentre() });
    const folder = path.join(dir, 'kb');
    const id = await tenant(t, 'failing');
    const good = await serviceProcess(t, id);
    await good.publish(folder);
    await good.addTickets([{ id: 'T-7001', subject: 'Invoice', body: 'Where is my invoice?', resolution: 'It is under Orders in your account.' }]);
    const watched = [...ALL_SECTIONS, 'refund-card#how-long-a-refund-to-a-card-takes', 'shipping#cut-off-time', 'T-7001'];
    const old = await served(good, watched);
    const oldVersion = (await good.verify()).snapshot;

    // The next edition of the folder: a section renamed, an article deleted, a new article.
    await writeFile(path.join(folder, 'billing', 'refund-card.md'), markdown({ ...REFUND_CARD, sections: { 'How long a refund to a card takes': 'Card refunds now take three to five business days.', 'Refunds to an expired or cancelled card': REFUND_CARD.sections['Refunds to an expired or cancelled card']! } }));
    await rm(path.join(folder, 'gifts'), { recursive: true });
    await writeFile(path.join(folder, 'shipping.md'), markdown({ id: 'shipping', title: 'Shipping', category: 'delivery', sections: { 'Cut-off time': 'Orders placed before 2 pm ship the same day. POISON' } }));

    const unchanged = async (label: string) => {
      t.same(await served(good, watched), old, `${label}: every document and count as before`);
      t.equal((await good.verify()).snapshot, oldVersion, `${label}: the version did not move`);
      await verified(t, good, label);
    };

    const badEncoders: Array<[string, (text: string, vector: Float32Array) => Float32Array]> = [
      ['a NaN in one vector', (text, vector) => (text.includes('POISON') ? Float32Array.from(vector, (v, i) => (i === 3 ? Number.NaN : v)) : vector)],
      ['a vector of the wrong dimension', (text, vector) => (text.includes('POISON') ? vector.slice(1) : vector)],
    ];
    for (const [label, vector] of badEncoders) {
      const broken = await serviceProcess(t, id, new HookedEncoder({ vector }));
      const error = await broken.publish(folder).then(() => undefined, (e: unknown) => e);
      t.ok(isAnswerdeskError(error), `${label}: the publish fails with a coded error (${String(error)})`);
      await unchanged(label);
      t.same(await served(broken, watched), old, `${label}: the failing process serves the old state too`);
    }

    // A crash between the statements of the write: documents already upserted and deleted in the transaction.
    const crash = faulty(await target.connection(t), (sql) => /INSERT INTO answerdesk_passages/.test(sql));
    const crashing = await serviceProcess(t, id, new HookedEncoder(), () => crash.db);
    crash.state.armed = true;
    crash.state.seen.length = 0;
    await t.rejects(crashing.publish(folder), { code: 'ADK_DATABASE_WRITE_FAILED', message: /simulated crash/ });
    const transaction = crash.state.seen.filter((sql) => sql.startsWith('tx '));
    t.ok(transaction.some((sql) => /DELETE FROM answerdesk_documents/.test(sql)) && transaction.some((sql) => /INSERT INTO answerdesk_documents/.test(sql)), 'documents were removed and written inside the transaction before it failed');
    await unchanged('crash mid-transaction');

    const report = await good.publish(folder);
    t.match(report, { plan: { added: ['shipping'], changed: ['refund-card'], removed: ['gift-balance'] } }, 'a good publish then goes through');
    const reference = await serviceProcess(t, await tenant(t, 'reference'));
    await reference.publish(folder);
    await reference.addTickets([{ id: 'T-7001', subject: 'Invoice', body: 'Where is my invoice?', resolution: 'It is under Orders in your account.' }]);
    t.same(await served(good, watched), await served(reference, watched), 'exactly the new state');
    t.same(await served(crashing, watched), await served(reference, watched), 'which every process serves');
    await verified(t, good, 'after the good publish');
  });

  t.test('a reader sees the state before a publish or after it, never a mix', async (t) => {
    const dir = t.testdir({ kb: helpCentre() });
    const folder = path.join(dir, 'kb');
    const id = await tenant(t, 'reader');
    const writer = await serviceProcess(t, id);
    const reader = await serviceProcess(t, id);
    await writer.publish(folder);
    await reader.refresh();
    const observe = (kb: KnowledgeService) => JSON.stringify({ articleIds: kb.articleIds, counts: counts(kb), categories: kb.categories });
    const before = observe(reader);

    // Next edition: one article gone, two new ones.
    await rm(path.join(folder, 'gifts'), { recursive: true });
    for (const n of [1, 2]) {
      await writeFile(path.join(folder, `faq-${n}.md`), markdown({ id: `faq-${n}`, title: `FAQ ${n}`, category: 'faq', intro: `Answers to common question ${n}.`, sections: { Details: `More details for question ${n}.` } }));
    }
    // The reader polls while another process publishes; the publisher holds its write until the reader has polled a few times.
    const tick = () => new Promise((resolve) => setImmediate(resolve));
    let polls = 0;
    const publisher = await serviceProcess(t, id, new HookedEncoder({ afterEmbedding: async () => { while (polls < 5) await tick(); } }));
    const seen: string[] = [];
    let done = false;
    const publishing = publisher.publish(folder).finally(() => (done = true));
    while (!done) {
      await reader.refresh();
      seen.push(observe(reader));
      polls++;
      // PGlite answers without I/O: let the publisher's file reads and timers run between polls.
      await tick();
    }
    await publishing;
    await reader.refresh();
    const after = observe(reader);
    t.not(after, before, 'the publish changed what the reader serves');
    t.ok(seen.length >= 5 && seen[0] === before, `the reader polled ${seen.length} times during the publish, starting from the old state`);
    t.same([...new Set(seen)].filter((state) => state !== before && state !== after), [], 'every state it saw was the old or the new one');

    // A deterministic interleaving: another process's publish commits while this reader is halfway
    // through catching up (it has read the articles, not yet the counts).
    const paused = pausing(await target.connection(t), (sql) => /FROM answerdesk_counts/.test(sql));
    const halfway = await serviceProcess(t, id, new HookedEncoder(), () => paused.db);
    t.equal(observe(halfway), after, 'a process opened now serves the current state');
    await writeFile(path.join(folder, 'faq-3.md'), markdown({ id: 'faq-3', title: 'FAQ 3', category: 'faq', sections: { Details: 'More details for question 3.' } }));
    await writer.publish(folder);
    const middle = observe(writer);
    paused.arm();
    const catchingUp = halfway.refresh();
    await paused.reached;
    await writeFile(path.join(folder, 'faq-4.md'), markdown({ id: 'faq-4', title: 'FAQ 4', category: 'faq', sections: { Details: 'More details for question 4.' } }));
    await writer.publish(folder);
    const latest = observe(writer);
    paused.resume();
    await catchingUp;
    const caught = observe(halfway);
    t.ok(caught === middle || caught === latest, `after catching up, one state: ${caught === middle ? 'the one it started reading' : caught === latest ? 'the latest' : `a mix: ${caught}`}`);
    await halfway.refresh();
    t.equal(observe(halfway), latest, 'and the latest after the next refresh');
  });
});
