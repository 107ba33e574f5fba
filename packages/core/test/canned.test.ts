// A canned reply drafted instead of the answers. Plumbing: the hashing encoder has no notion of
// meaning; the templates are docs-content's own.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readFile } from 'node:fs/promises';
import t from 'tap';
import type tap from 'tap';
import { HashingEncoder, KnowledgeBase } from '@answerdesk/core';

const templates = fileURLToPath(new URL('../../../docs-content/templates/en', import.meta.url));

/** A knowledge base of docs-content's English reply templates and one past ticket. */
async function templatesAndTicket(t: Parameters<Parameters<typeof tap.test>[0]>[0], ticket: { id: string; subject: string; body: string; resolution: string }): Promise<KnowledgeBase> {
  const kb = await KnowledgeBase.open({ store: path.join(t.testdir(), 'store'), encoder: new HashingEncoder() });
  t.teardown(() => kb.close());
  await kb.index([templates]);
  await kb.addTickets([ticket]);
  return kb;
}

t.test('the agent can draft a canned reply instead of the answers; the answers stay', async (t) => {
  const kb = await templatesAndTicket(t, { id: 'T-1', subject: 'Parcel late', body: 'My parcel is late, where is it?', resolution: 'Parcels ship within two days; yours left today.' });
  const question = 'My parcel is late, where is it?';
  const plain = await kb.suggest(question);
  const canned = await kb.suggest(question, { canned: 'off-topic' });
  const body = (await readFile(path.join(templates, 'canned-off-topic-en.md'), 'utf8')).split(/^---$/m).at(-1)!.trim();
  t.ok(canned.draft?.text.includes(body.split('\n')[0]!.slice(0, 40)), 'the draft holds the off-topic reply');
  t.match(canned.draft?.parts.map((p) => p.kind), ['greeting', 'canned', 'closing']);
  t.match(canned.draft?.notes.join(' '), /canned reply "off-topic" instead of the answers/);
  t.same(canned.answers?.map((a) => a.source?.id), plain.answers?.map((a) => a.source?.id), 'the answers are still there for the agent');
  await t.rejects(kb.suggest(question, { canned: 'no such thing!' }), { code: 'ADK_OPTION_INVALID', message: /canned/ });
});

t.test('an automatic reply is not answered and gets no draft, unless the agent picks a canned reply for it', async (t) => {
  const kb = await templatesAndTicket(t, { id: 'T-1', subject: 'Out of office replies', body: 'I am out of the office, how do I set an automatic reply?', resolution: 'Use Email > Autoresponders to set one up.' });
  const away = 'Thank you for your email. I am out of the office until 16 March with limited access to email. For urgent matters please contact my colleague.';
  const s = await kb.suggest(away);
  t.equal(s.status, 'abstained');
  t.equal(s.message?.autoReply, true);
  t.match(s.reason, /automatic reply/);
  t.equal(s.draft?.text, '', 'nothing to send: a reply would start a loop of automatic replies');
  t.match(s.draft?.notes.join(' '), /No reply needed/);
  const chosen = await kb.suggest(away, { canned: 'looking-into-it' });
  t.match(chosen.draft?.parts.map((p) => p.kind), ['greeting', 'canned', 'closing'], 'the agent may still send a canned reply');
  const person = await kb.suggest("I'm on holiday until Monday, can you hold my parcel?");
  t.notOk(person.message?.autoReply, 'a customer who is away is not an automatic reply');
});

t.test("a customer's closing thanks gets no draft; a follow-up, the looking-into-it reply; a message that asks nothing, the need-details reply", async (t) => {
  const kb = await templatesAndTicket(t, { id: 'T-1', subject: 'Parcel late', body: 'My parcel is late, where is it? Thanks', resolution: 'Parcels ship within two days; yours left today.' });
  const thanks = await kb.suggest('Hi Tom,\n\nThanks, that solved it! Have a great day.\n\nAnna');
  t.equal(thanks.status, 'abstained');
  t.equal(thanks.message?.thanksOnly, true);
  t.match(thanks.reason, /only thanks/);
  t.equal(thanks.draft?.text, '', 'nothing to send');
  t.match(thanks.draft?.notes.join(' '), /No reply needed: the customer only thanks you/);

  const needDetails = (await readFile(path.join(templates, 'canned-need-details-en.md'), 'utf8')).split(/^---$/m).at(-1)!.trim();
  for (const bare of ['Hello', 'BC-4412345', '?']) {
    const s = await kb.suggest(bare);
    t.equal(s.message?.nothingAsked, true, `"${bare}" asks nothing yet`);
    t.equal(s.status, 'abstained');
    t.same(s.draft?.parts.map((p) => p.kind), ['greeting', 'canned', 'closing']);
    t.ok(s.draft?.text.includes(needDetails.split('\n')[0]!.slice(0, 40)), 'the draft asks what the customer needs');
  }
  const chasing = await kb.suggest('Hi, any update on this?');
  t.equal(chasing.message?.followUp, true);
  t.match(chasing.reason, /follow-up on an earlier message/);
  t.match(chasing.draft?.parts.map((p) => p.kind), ['greeting', 'canned', 'closing'], 'a follow-up gets the looking-into-it reply');
  t.match(chasing.draft?.notes.join(' '), /chasing an earlier message/);
  const lookingIntoIt = (await readFile(path.join(templates, 'canned-looking-into-it-en.md'), 'utf8')).split(/^---$/m).at(-1)!.trim();
  t.ok(chasing.draft?.text.includes(lookingIntoIt.split('\n')[0]!.slice(0, 40)), 'the draft says it is being looked into');
  const spam = (await readFile(path.join(templates, 'canned-spam-en.md'), 'utf8')).split(/^---$/m).at(-1)!.trim();
  const pitch = await kb.suggest('Dear Purchasing Team,\n\nWe are a manufacturer of phone cases in Shenzhen. We would like to offer you our wholesale prices. Catalogue attached.\n\nBest regards,\nLily Zhang\nSales Manager');
  t.equal(pitch.message?.unsolicited, true, 'a sales pitch is unsolicited');
  t.equal(pitch.status, 'abstained', 'it is not answered');
  t.match(pitch.reason, /Spam or an unsolicited offer/);
  t.ok(pitch.draft?.text.includes(spam.split('\n')[0]!.slice(0, 40)), 'the draft is the spam reply');
  t.match(pitch.draft?.notes.join(' '), /mark it as spam/);
  const question = await kb.suggest('Do you offer wholesale prices for schools? We would like to buy 30 tablets.');
  t.notOk(question.message?.unsolicited, 'a customer asking about wholesale prices is a customer');
  const still = await kb.suggest("Thanks, but it still doesn't work. Where is my parcel?");
  t.notOk(still.message?.thanksOnly || still.message?.nothingAsked, 'thanks with a question is a question');
  t.notMatch(still.answers?.[0]?.reason ?? '', /only thanks|Nothing asked/, 'it is searched as usual');
  t.ok(still.draft?.text.length, 'and drafted');
});
