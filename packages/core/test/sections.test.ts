// The published policy is weighed even when past tickets fill every place of the ranking. Plumbing: the
// hashing encoder matches shared words, not meaning, which is all this needs.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import t from 'tap';
import { HashingEncoder, KnowledgeBase, reserveSections } from '@answerdesk/core';

t.test('reserveSections: the lowest-ranked others give way, the order of the rest is kept', async (t) => {
  const isSection = (item: string) => item.startsWith('s');
  t.same(reserveSections(['t1', 's1', 't2', 't3', 's2', 's3'], 4, 3, isSection), ['t1', 's1', 's2', 's3'], 'two tickets replaced');
  t.same(reserveSections(['s1', 's2', 's3', 't1', 's4'], 4, 3, isSection), ['s1', 's2', 's3', 't1'], 'enough sections already: the first k');
  t.same(reserveSections(['t1', 't2', 't3', 's1'], 3, 3, isSection), ['t1', 't2', 's1'], 'only the sections there are');
  t.same(reserveSections(['t1', 't2'], 4, 3, isSection), ['t1', 't2'], 'shorter than k');
  t.same(reserveSections(['t1', 't2', 's1'], 2, 0, isSection), ['t1', 't2'], 'none asked');
});

t.test('a suggest weighs the sections nearest the question, however many tickets say the same words', async (t) => {
  const dir = t.testdir();
  await mkdir(path.join(dir, 'articles'), { recursive: true });
  await writeFile(
    path.join(dir, 'articles', 'late-parcel.md'),
    '---\nid: late-parcel\ntitle: When a parcel is late\ncategory: delivery\nlanguage: en\n---\n\nMost parcels arrive on time. Courier networks are busy in December.\n\n## Where your parcel is\n\nA late parcel can be tracked from the tracking link in your dispatch e-mail.\n',
  );
  const kb = await KnowledgeBase.open({ store: path.join(dir, 'store'), encoder: new HashingEncoder() });
  t.teardown(() => kb.close());
  await kb.index([path.join(dir, 'articles')]);
  const question = 'my parcel is late, where is my parcel now?';
  await kb.addTickets(
    Array.from({ length: 60 }, (_v, i) => ({ id: `T-${100 + i}`, subject: `Parcel late ${i}`, body: `My parcel is late, where is my parcel now? Order ${i}.`, resolution: `We checked order ${i} with the courier.` })),
  );
  const search = await kb.search(question, { k: 8 });
  t.ok(search.hits.every((hit) => hit.doc.kind === 'ticket'), 'search: past tickets fill the first eight places');
  const suggestion = await kb.suggest(question, { explain: true });
  const candidates = suggestion.answers![0]!.candidates!.map((c) => c.source.id);
  t.equal(candidates.length, 8);
  t.ok(candidates.includes('late-parcel#where-your-parcel-is'), 'the section is a candidate');
  t.equal(candidates.filter((id) => id.startsWith('T-')).length, 6, 'in the places of the two lowest-ranked tickets');
  const tickets = await kb.suggest(question, { explain: true, filter: { kind: 'ticket' } });
  t.ok(tickets.answers![0]!.candidates!.every((c) => c.source.kind === 'ticket'), 'a filter on tickets is kept');
});
