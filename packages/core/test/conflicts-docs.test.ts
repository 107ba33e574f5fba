// `findConflicts` on the bundled docs-content with the real offline model (USE-lite): tickets are compared
// with the sections on their topic by meaning, so the sample's two deliberate conflicts (docs-content/README.md)
// must be found, and the rest of the sample, which agrees with its articles, must not be reported.
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import t from 'tap';
import { KnowledgeBase, UseLiteEncoder, draftFromTickets, findConflicts } from '@answerdesk/core';

const docsContent = fileURLToPath(new URL('../../../docs-content', import.meta.url));

t.test('docs-content, indexed once with the offline model', async (t) => {
  const kb = await KnowledgeBase.open({ store: path.join(t.testdir({}), 'store'), encoder: new UseLiteEncoder() });
  t.teardown(() => kb.close());
  await kb.index([docsContent]);

  t.test('conflicts lists the deliberate ones, with both sides and their links', async (t) => {
    const report = await findConflicts(kb);
    t.match(report, { sections: Number, tickets: 188 });
    t.comment(`${report.contradictions.length} contradictions, ${report.duplicates.length} duplicates in ${report.tookMs} ms`);
    const backups = report.contradictions.find((c) => c.ticket.id === 'T-10038');
    t.match(backups, {
      section: { id: 'hosting-automatic-backups-restore#how-long-restore-points-are-kept', file: /docs-content\/articles\/hosting\/hosting-automatic-backups-restore\.md$/, anchor: 'how-long-restore-points-are-kept', line: Number },
      ticket: { id: 'T-10038', file: /docs-content\/tickets\/resolved\.jsonl$/ },
      facts: [{ kind: 'duration', section: { text: '30 days' }, ticket: { text: '14 days', sentence: /^Our automatic daily backups are kept for 14 days/ } }],
    }, 'a number of days: the article keeps restore points 30 days, the ticket says 14');
    const renewal = report.contradictions.find((c) => c.ticket.id === 'T-10061');
    t.match(renewal, {
      section: { id: 'hosting-change-plan-refund-cancel#the-30-day-money-back-guarantee' },
      policies: [{ section: { polarity: 'no', predicate: 'refund', text: /renewals/ }, ticket: { polarity: 'yes', text: /^Yes\. The renewal/ } }],
    }, 'a yes/no policy: renewals are not refundable, the ticket refunded one');
    const others = report.contradictions.filter((c) => !['T-10038', 'T-10061'].includes(c.ticket.id));
    // Measured: none. Every other ticket agrees with the articles (docs-content/README.md).
    t.same(others.map((c) => `${c.ticket.id} vs ${c.section.id}`), [], 'nothing else is reported');
    for (const duplicate of report.duplicates) {
      t.not(duplicate.a.id.split('#')[0], duplicate.b.id.split('#')[0], `${duplicate.a.id} ≈ ${duplicate.b.id}: of different articles`);
      t.ok(duplicate.similarity >= 0.85 && duplicate.overlap >= 0.6);
    }
  });

  t.test('a draft from indexed tickets keeps the helpdesk\'s own domains', async (t) => {
    const draft = await draftFromTickets(kb, ['T-10015', 'T-10077', 'T-10110'], { title: 'Set up your e-mail app' });
    t.match(draft.markdown, /server mail\.hostwell\.net/, 'named by the articles, so not a customer\'s');
    t.notMatch(draft.markdown, /petrovdesign|holtarchitects|anna@|mark@/);
  });
});
