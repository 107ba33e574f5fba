// An account with a service the knowledge base never mentions is another company's question. Plumbing:
// the hashing encoder has no notion of meaning; what is tested is that the service's name is looked up
// in the knowledge base's own words.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import t from 'tap';
import { HashingEncoder, KnowledgeBase } from '@answerdesk/core';

t.test("a question about an account with a service the knowledge base never mentions is not answered; one it mentions is", async (t) => {
  const kb = await KnowledgeBase.open({ store: path.join(t.testdir(), 'store'), encoder: new HashingEncoder() });
  t.teardown(() => kb.close());
  await kb.addTickets([
    { id: 'T-1', subject: 'Password reset e-mail not arriving', body: 'I forgot my password and the reset e-mail does not arrive', resolution: 'Check the spam folder, then request a new link.' },
    { id: 'T-2', subject: 'Paying with PayPal', body: 'Can I pay with my PayPal account?', resolution: 'Yes, choose PayPal at checkout.' },
  ]);
  const elsewhere = await kb.suggest('I forgot the password for my Netflix account and the reset e-mail does not arrive');
  t.equal(elsewhere.status, 'abstained');
  t.match(elsewhere.answers?.[0]?.reason, /About the customer's Netflix account: the knowledge base never mentions Netflix/);
  t.match(elsewhere.draft?.notes.join(' '), /off-topic/, 'the agent is pointed at the off-topic reply');
  const ours = await kb.suggest('Can I pay with my PayPal account?');
  t.notMatch(ours.answers?.[0]?.reason ?? '', /never mentions/, 'PayPal is in the knowledge base: the question is searched');
  const picked = await kb.suggest('I forgot the password for my Netflix account and the reset e-mail does not arrive', { pick: [{ question: 0, sourceId: 'T-1' }] });
  t.equal(picked.answers?.[0]?.source?.id, 'T-1', 'an agent who picks a source for it still gets it');
});

t.test('a service the articles name, but never as something held of that kind, is another company\'s too', async (t) => {
  const kb = await KnowledgeBase.open({ store: path.join(t.testdir(), 'store'), encoder: new HashingEncoder() });
  t.teardown(() => kb.close());
  const articles = path.join(t.testdir(), 'articles');
  await mkdir(articles, { recursive: true });
  await writeFile(
    path.join(articles, 'mail-on-phone.md'),
    '---\nid: mail-on-phone\ntitle: Read your mail on a phone\ncategory: email\nlanguage: en\n---\n\nAdd your mailbox to the Gmail app or to Apple Mail. Your Shopwise account holds the server settings.\n\n## Sign in\n\nSign in to your Shopwise account, open Mail and copy the server name. Forgot your Shopwise password? Reset it from the sign-in page.\n',
  );
  await kb.index([articles]);
  const gmail = await kb.suggest('I forgot my Gmail password and the recovery phone is an old one. How do I get back in?');
  t.equal(gmail.status, 'abstained', 'the articles speak of the Gmail app, never of a Gmail account or password');
  t.match(gmail.answers?.[0]?.reason, /the articles mention Gmail, but never a Gmail password/);
  const app = await kb.suggest('My Gmail app does not show my mailbox, where are the server settings?');
  t.notMatch(app.answers?.[0]?.reason ?? '', /never/, 'the Gmail app is what the articles speak of: searched');
  const own = await kb.suggest('I forgot my Shopwise login, how do I sign in to read my mail?');
  t.notMatch(own.answers?.[0]?.reason ?? '', /never/, 'a login is an account: the articles speak of Shopwise accounts');
});
