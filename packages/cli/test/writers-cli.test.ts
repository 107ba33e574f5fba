// `draft`, `conflicts`, and drafts left out of `index` and `publish`, from the command line. Plumbing only:
// the hashing encoder has no notion of meaning, so `conflicts` is told to take any ticket as near a section.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import t from 'tap';
import { EXIT, run } from '@answerdesk/cli';
import { HashingEncoder, parseArticle } from '@answerdesk/core';
import { capture } from './helpers.js';

const article = (id: string, heading: string, text: string, extra = '') => `---\nid: ${id}\ntitle: ${id}\ncategory: help\n${extra}---\n\n## ${heading}\n\n${text}\n`;
const password = 'Click Forgot password on the sign-in page, open the link we e-mail you within one hour and choose a new password of at least 12 characters.';

t.test('draft, conflicts and drafts skipped by index and publish', async (t) => {
  const dir = t.testdir({
    kb: {
      articles: {
        'returns.md': article('returns', 'Our return window', 'Items can be returned within 30 days of delivery. Print the prepaid label from your account.'),
        'password.md': article('password', 'Reset a forgotten password', password),
        // The same section in another article: a duplicate for writers to merge.
        'account.md': article('account', 'Forgot your password', password),
        'wip.md': article('wip', 'Not ready', 'A writer is still on it.', 'draft: true\n'),
      },
      'tickets.jsonl': [
        { id: 'T-1', subject: 'Can I still return my jacket?', body: 'The jacket from order BC-4410273 does not fit. Can I send it back?', resolution: 'Items can be returned within 14 days of delivery, so please print the prepaid label today.' },
        { id: 'T-2', subject: 'Mail app settings', body: 'How do I set up anna@petrovdesign.com in Outlook?', resolution: 'Thanks for asking! Use IMAP on port 993. Change the outgoing server to port 465 with SSL/TLS. The username is your full e-mail address, anna@petrovdesign.com.' },
      ]
        .map((row) => JSON.stringify(row))
        .join('\n'),
    },
  });
  const store = path.join(dir, 'store');
  const cli = async (...args: string[]) => {
    const c = capture();
    const code = await run(['--store', store, ...args], { ...c.io, encoder: () => new HashingEncoder() });
    return { code, out: c.out(), err: c.err() };
  };

  const indexed = await cli('index', path.join(dir, 'kb'), '--no-train');
  t.equal(indexed.code, EXIT.ok, indexed.err);
  t.match(indexed.out, /Indexed 3 articles/);
  t.match(indexed.out, /skipped 1 draft\(s\), not published until "draft: true" is removed from their front matter: .*kb\/articles\/wip\.md/);

  const published = await cli('publish', path.join(dir, 'kb', 'articles'), '--json');
  t.equal(published.code, EXIT.ok);
  t.match(JSON.parse(published.out), { plan: { drafts: [{ id: 'wip', file: 'wip.md' }], added: [], unchanged: 3 } }, 'publish says which drafts it left out');
  const publishedText = await cli('publish', path.join(dir, 'kb', 'articles'), '--dry-run');
  t.match(publishedText.out, /\n {2}skipped 1 draft\(s\), not published until "draft: true" is removed from their front matter: wip\.md\n/);

  const conflicts = await cli('conflicts', '--min-similarity', '0');
  t.equal(conflicts.code, EXIT.ok, 'findings are no error');
  t.match(conflicts.out, /^Duplicates \(1\): sections of different articles that say nearly the same thing\n/);
  t.match(conflicts.out, /account › Forgot your password — .*account\.md#forgot-your-password \(line 7\)\n {2}≈ password › Reset a forgotten password — .*password\.md#reset-a-forgotten-password|password › Reset a forgotten password — .*\n {2}≈ account › Forgot your password/);
  t.match(conflicts.out, /Contradictions \(1\): sections that past tickets on the same topic contradict\n {2}returns › Our return window — .*returns\.md#our-return-window \(line 7\)\n {2}vs ticket T-1 — Can I still return my jacket\? \(.*tickets\.jsonl\)/);
  t.match(conflicts.out, /days: the article says "30 days": Items can be returned within 30 days of delivery\.\n {6}the ticket says "14 days": Items can be returned within 14 days of delivery, so please print the prepaid label today\./);
  const json = await cli('conflicts', '--min-similarity', '0', '--json');
  const report = JSON.parse(json.out);
  t.match(report, { sections: 3, tickets: 2, duplicates: [{ similarity: Number, overlap: 1 }], contradictions: [{ section: { id: 'returns#our-return-window', line: 7 }, ticket: { id: 'T-1' }, facts: [{ kind: 'duration', article: { text: '30 days', unit: 'days' }, ticket: { text: '14 days' } }], policies: [] }] });
  t.notOk('topic' in report.contradictions[0].facts[0].article, 'JSON shows facts as written, not the words they were matched on');
  const bad = await cli('conflicts', '--min-similarity', '2');
  t.equal(bad.code, EXIT.usage);
  t.match(bad.err, /--min-similarity.*must be a number from 0 to 1/);
  const help = capture();
  await run(['conflicts', '--help'], help.io);
  t.match(help.out(), /What it misses:/, '--help says how it finds conflicts and what it misses');

  const printed = await cli('draft', '--from-tickets', 'T-2', '--title', 'Set up your mail app');
  t.equal(printed.code, EXIT.ok, printed.err);
  const draft = parseArticle(printed.out, { file: 'draft.md' });
  t.match(draft, { id: 'set-up-your-mail-app', title: 'Set up your mail app', draft: true, language: 'en' }, 'the markdown on stdout parses as a draft');
  t.match(printed.out, /\nfrom-tickets: \[T-2\]\n/);
  t.match(printed.out, /\n## What to do\n\n1\. Use IMAP on port 993\.\n2\. Change the outgoing server to port 465 with SSL\/TLS\.\n/, 'instructions become numbered steps, in order');
  t.match(printed.out, /\n## Good to know\n\n- The username is your full e-mail address, \[e-mail address\]\.\n/, "the rest, the customer's address a placeholder");
  t.notMatch(printed.out, /anna|petrovdesign|Thanks/);

  const out = path.join(dir, 'kb', 'articles', 'mail-app.md');
  const written = await cli('draft', '--from-tickets', 'T-2', '--out', out);
  t.equal(written.code, EXIT.ok);
  t.match(written.out, /^Drafted "Mail app settings" \(en\) from T-2: 2 step\(s\)\n {2}fill in or rewrite: \[e-mail address\]\n {2}written to .*mail-app\.md with draft: true: publish and index skip it until you remove that line\n$/);
  t.match(await readFile(out, 'utf8'), /^---\nid: mail-app-settings\n/);
  const again = await cli('draft', '--from-tickets', 'T-2', '--out', out);
  t.equal(again.code, EXIT.error, 'a file that exists is never overwritten without --force');
  t.match(again.err, /^error ADK_OPTION_INVALID: Option "--out" names .*mail-app\.md, which exists already; pass --force to replace it/);
  await writeFile(out, 'edited by a writer');
  t.equal((await cli('draft', '--from-tickets', 'T-2', '--out', out, '--force')).code, EXIT.ok);
  t.match(await readFile(out, 'utf8'), /^---\n/);
  const republished = await cli('publish', path.join(dir, 'kb', 'articles'));
  t.match(republished.out, /skipped 2 draft\(s\).*mail-app\.md/, 'the written draft is not published either');

  const unknown = await cli('draft', '--from-tickets', 'T-2,T-404', '--from-tickets', 'returns#our-return-window');
  t.equal(unknown.code, EXIT.error);
  t.match(unknown.err, /^error ADK_TICKETS_NOT_FOUND: No ticket T-404, returns#our-return-window in this knowledge base \(1 of the 3 ids given were found\)\./);
  const missing = await cli('draft');
  t.equal(missing.code, EXIT.usage);
  t.match(missing.err, /required option '--from-tickets <ids>' not specified/);
  const json2 = JSON.parse((await cli('draft', '--from-tickets', 'T-1', '--json')).out);
  t.match(json2, { fromTickets: ['T-1'], markdown: /draft: true/, placeholders: Array, notes: Array });
  t.notMatch(json2.markdown, /BC-4410273/, "the customer's order number is gone");
});
