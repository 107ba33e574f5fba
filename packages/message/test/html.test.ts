import t from 'tap';
import { htmlToText, isHtmlBody, looksLikeHtml, readMessage } from '../src/index.js';

t.test('an HTML body is read as the text a mail client shows', async (t) => {
  const reading = readMessage('<div dir="ltr"><p>Hi,</p><p>where is my order BC-4410273? It was due on Monday.</p><p>Thanks,<br>Sam</p></div>');
  t.equal(reading.fromHtml, true);
  t.equal(reading.text, 'Where is my order BC-4410273? It was due on Monday.', 'greeting, sign-off and markup gone');
  t.equal(reading.customerName, 'Sam');
  t.same(reading.entities.map((e) => `${e.kind}:${e.value}`), ['order:BC-4410273', 'name:Sam']);
  t.equal(reading.original.slice(reading.entities[0]!.start, reading.entities[0]!.end), 'BC-4410273', 'offsets point into the text that was read');
});

t.test('a quoted reply in HTML goes as in plain e-mail', async (t) => {
  const reading = readMessage('<p>Still no refund.</p><blockquote><p>Hi Jane, your refund is on its way.</p></blockquote>');
  t.equal(reading.text, 'Still no refund.');
  t.match(reading.quoted, /your refund is on its way/);
});

t.test('a plain message quoting markup is read as written; format decides when told', async (t) => {
  const code = "Why won't my <div> center on mobile? Thanks, Sam";
  t.notOk(isHtmlBody(code), 'it starts with words');
  t.ok(looksLikeHtml(code), 'though it holds a tag');
  t.equal(readMessage(code).text, "Why won't my <div> center on mobile?");
  t.equal(readMessage(code).fromHtml, undefined);
  t.equal(readMessage('<p>Where is my order?</p>', { format: 'text' }).text, '<p>Where is my order?</p>', 'format text: never converted');
  t.equal(readMessage('Where is <b>my</b> order?', { format: 'html' }).text, 'Where is my order?', 'format html: always');
  t.throws(() => readMessage('x', { format: 'pdf' as 'html' }), { code: 'ADK_OPTION_INVALID' });
  t.equal(htmlToText('<p>a</p><p>b</p>'), 'a\n\nb');
});
