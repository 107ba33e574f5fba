// "example.com" in an article's answer is written as the domain the customer named. Plumbing: the hashing encoder
// has no notion of meaning; the question repeats the section's words so that it is answered.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { mkdir, writeFile } from 'node:fs/promises';
import t from 'tap';
import { HashingEncoder, KnowledgeBase } from '@answerdesk/core';

const templates = fileURLToPath(new URL('../../../docs-content/templates/en', import.meta.url));

t.test("an article's example.com is the customer's domain in the draft, with a note; the shown answer keeps it", async (t) => {
  const dir = t.testdir();
  const articles = path.join(dir, 'articles');
  await mkdir(articles);
  await writeFile(
    path.join(articles, 'dns.md'),
    [
      '---', 'id: dns', 'title: DNS records', 'language: en', '---', '',
      '## Add a CNAME record for www', '',
      'Open the DNS zone editor, add a CNAME record named www for www.example.com that points to your shop, and save the CNAME record.', '',
      '## Delete an MX record', '',
      'Open the DNS zone editor, select the MX record of the mail server and delete the MX record.', '',
    ].join('\n'),
  );
  const kb = await KnowledgeBase.open({ store: path.join(dir, 'store'), encoder: new HashingEncoder() });
  t.teardown(() => kb.close());
  await kb.index([articles, templates]);

  const named = await kb.suggest('How do I add a CNAME record for www in the DNS zone editor? My domain is www.bakery.co.uk.');
  t.equal(named.status, 'answered', named.reason ?? '');
  t.match(named.answer, /www\.example\.com/, 'the answer shown is the article as written');
  t.match(named.draft?.text, /CNAME record named www for www\.bakery\.co\.uk/);
  t.notMatch(named.draft?.text, /example\.com/);
  t.ok(named.draft?.notes.some((note) => note.startsWith('"example.com" in the articles is written as bakery.co.uk')), 'the agent is told');

  const unnamed = await kb.suggest('How do I add a CNAME record for www in the DNS zone editor?');
  t.match(unnamed.draft?.text, /www\.example\.com/, 'no domain named: the article as written');
  t.notOk(unnamed.draft?.notes.some((note) => note.includes('"example.com"')));
});
