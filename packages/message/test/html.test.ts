import t from 'tap';
import { htmlToText, isHtmlBody, looksLikeHtml, readMessage } from '../src/index.js';
import { hasCharacterReferences } from '../src/html.js';

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

t.test('a body flattened into text, its line breaks left as <br> tags, is read as HTML', async (t) => {
  const flattened = 'Hello,&nbsp;<br><br>I click &quot;Forgot password&quot; but nothing arrives.<br><br>Why isn&#39;t the e-mail coming?<br><br>Kind regards,<br>Margaret Ellison<br>';
  t.ok(isHtmlBody(flattened), 'more <br> tags than line breaks');
  const reading = readMessage(flattened);
  t.equal(reading.text, 'I click "Forgot password" but nothing arrives.\n\nWhy isn\'t the e-mail coming?');
  t.equal(reading.customerName, 'Margaret Ellison');
  t.notOk(isHtmlBody('My page shows <br> twice:\n<p>Hi<br>there</p>\nand\nmore\nlines'), 'pasted markup in a message of lines stays text');
});

t.test('character references left in plain text are decoded, a single one is left as written', async (t) => {
  t.equal(readMessage('It says &quot;record conflicts&quot;. What now?').text, 'It says "record conflicts". What now?');
  t.equal(readMessage("I'm moving to Shopify &amp; it&#8217;s failing. Why?").text, "I'm moving to Shopify & it’s failing. Why?");
  t.notOk(hasCharacterReferences('My link is https://x.test/?a=1&amp;b=2, is it broken?'), 'one reference: a pasted link');
  t.notOk(hasCharacterReferences('R&D and P&L;'), 'no reference it knows');
});
