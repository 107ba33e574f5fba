import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { composeDraft, parseTemplate, placeholderLabels, draftDefaults, type DraftInput, type ReplyTemplate } from '@answerdesk/reply';
import { thrown } from './helpers.js';

const templatesDir = fileURLToPath(new URL('../../../docs-content/templates/', import.meta.url));
/** The knowledge base's templates, in the languages given. */
const templates = (...languages: string[]): ReplyTemplate[] =>
  languages.flatMap((language) =>
    readdirSync(path.join(templatesDir, language))
      .filter((name) => name.endsWith('.md'))
      .map((name) => parseTemplate(readFileSync(path.join(templatesDir, language, name), 'utf8'), `${language}/${name}`)),
  );

const refundAnswer = { text: 'The refund goes back to your original payment method.', sourceId: 'eshop-returns-policy#after-we-receive-your-return', language: 'en' };


t.test('defaults', async (t) => {
  t.same(draftDefaults, { defaultLanguage: 'en', channel: 'email' });
});

t.test('greeting + answer + closing', async (t) => {
  const draft = composeDraft({ templates: templates('en'), language: 'en', customerName: 'Maria', answers: [refundAnswer] });
  t.equal(draft.text, 'Hello Maria,\n\nThe refund goes back to your original payment method.\n\nKind regards,\nThe support team');
  t.same(draft.parts.map((p) => [p.kind, p.templateId ?? p.sourceId]), [
    ['greeting', 'greeting-en'],
    ['answer', 'eshop-returns-policy#after-we-receive-your-return'],
    ['closing', 'closing-en'],
  ]);
  t.equal(draft.needsTranslation, false);
  t.same(draft.notes, []);
  t.same(draft.placeholders, []);
  t.equal(draft.language, 'en');
});

t.test('brand, channel and name', async (t) => {
  const cases: Array<{ why: string; input: Partial<DraftInput>; starts: string; ends: string }> = [
    { why: 'a brand closing', input: { brand: 'brightcart' }, starts: 'Hello Maria,', ends: 'The Brightcart support team' },
    { why: 'chat', input: { channel: 'chat' }, starts: 'Hi Maria!', ends: 'Anything else I can help with?' },
    { why: 'no name', input: { customerName: undefined }, starts: 'Hello,\n\n', ends: 'The support team' },
  ];
  for (const c of cases) {
    const draft = composeDraft({ templates: templates('en'), language: 'en', customerName: 'Maria', answers: [refundAnswer], ...c.input });
    t.ok(draft.text.startsWith(c.starts), `${c.why}: starts`);
    t.ok(draft.text.endsWith(c.ends), `${c.why}: ends`);
  }
});

t.test('templates in the customer\'s language, or the default language\'s to translate', async (t) => {
  const italian = { text: 'Il rimborso torna sul metodo di pagamento originale.', sourceId: 'it-returns#refund', language: 'it' };
  const own = composeDraft({ templates: templates('en', 'it'), language: 'it', customerName: 'Giulia', answers: [italian] });
  t.ok(own.text.startsWith('Buongiorno Giulia,'));
  t.ok(own.text.endsWith('Cordiali saluti,\nIl team di assistenza'));
  t.equal(own.needsTranslation, false);

  const fallback = composeDraft({ templates: templates('en'), language: 'it', customerName: 'Giulia', answers: [italian] });
  t.ok(fallback.text.startsWith('Hello Giulia,'), 'greeting in English');
  t.equal(fallback.needsTranslation, true);
  t.same(fallback.notes, ['No Italian reply templates: the greeting and closing are in English; translate them.']);

  const partly = composeDraft({ templates: [...templates('en'), ...templates('it').filter((x) => x.kind !== 'closing')], language: 'it', answers: [italian] });
  t.same(partly.notes, ['No Italian closing template: it is in English; translate it.']);

  const answerInEnglish = composeDraft({ templates: templates('en', 'it'), language: 'it', answers: [refundAnswer] });
  t.equal(answerInEnglish.needsTranslation, true);
  t.same(answerInEnglish.notes, ['The answer from eshop-returns-policy#after-we-receive-your-return is in English; translate it into Italian.']);

  const german = composeDraft({ templates: templates('en'), language: 'de', defaultLanguage: 'en', answers: [{ ...refundAnswer, language: 'en' }] });
  t.same(german.notes, [
    'No German reply templates: the greeting and closing are in English; translate them.',
    'The answer from eshop-returns-policy#after-we-receive-your-return is in English; translate it into German.',
  ]);
});

t.test('without templates the draft is just the answers', async (t) => {
  const draft = composeDraft({ templates: [], language: 'ru', answers: [{ text: 'Возврат занимает 3–5 дней.', language: 'ru' }] });
  t.equal(draft.text, 'Возврат занимает 3–5 дней.');
  t.same(draft.parts.map((p) => p.kind), ['answer']);
  t.equal(draft.needsTranslation, false);
  t.same(draft.notes, []);
});

t.test('two answers are each introduced by their question', async (t) => {
  const draft = composeDraft({
    templates: [],
    language: 'en',
    answers: [
      { question: 'Can I return a gift?', text: 'Yes, with the gift receipt.', language: 'en', sourceId: 'a' },
      { question: 'How long does the refund take?', text: 'Three to five days.', language: 'en', sourceId: 'b' },
    ],
  });
  t.equal(draft.text, '> Can I return a gift?\n\nYes, with the gift receipt.\n\n> How long does the refund take?\n\nThree to five days.');
  const single = composeDraft({ templates: [], language: 'en', answers: [{ question: 'Can I return a gift?', text: 'Yes.', language: 'en' }] });
  t.equal(single.text, 'Yes.', 'a single answer needs no introduction');
});

t.test('a question is quoted by the sentences that ask it', async (t) => {
  const draft = composeDraft({
    templates: [],
    language: 'en',
    answers: [
      {
        question: 'The tracking says delivered yesterday at 14:32, but I was at home all afternoon and nobody rang. I asked the neighbours too. What should I do now?',
        text: 'Check for a photo or signature on the tracking page.',
        language: 'en',
      },
      { question: 'I paid by card. Will I get my money back? And how long does it take?', text: 'Yes, within 5 working days.', language: 'en' },
      { question: 'I would like a refund for the second parcel.', text: 'Reply with the order number.', language: 'en' },
    ],
  });
  t.equal(
    draft.text,
    '> What should I do now?\n\nCheck for a photo or signature on the tracking page.\n\n> Will I get my money back? And how long does it take?\n\nYes, within 5 working days.\n\n> I would like a refund for the second parcel.\n\nReply with the order number.',
    'the customer\'s story is not quoted back; a request without a question mark is quoted whole',
  );
  const italian = composeDraft({
    templates: [],
    language: 'it',
    answers: [
      { question: 'Il tracking dice "consegnato" ieri alle 14:32, ma ero a casa. Cosa devo fare adesso?', text: 'Cerca la prova di consegna.', language: 'it' },
      { question: 'Posso avere un rimborso?', text: 'Sì.', language: 'it' },
    ],
  });
  t.equal(italian.text, '> Cosa devo fare adesso?\n\nCerca la prova di consegna.\n\n> Posso avere un rimborso?\n\nSì.');
});

t.test('an answer that opens with an aligned table keeps its first line\'s indent', async (t) => {
  const table = '              Starter  Business\n------------  -------  --------\nWebsites      1        10';
  const draft = composeDraft({ templates: [], language: 'en', answers: [{ question: 'Which plan?', text: `\n${table}\n\n`, language: 'en' }] });
  t.equal(draft.text, table, 'an empty first header cell keeps the columns aligned');
});

t.test("a list or table whose section's heading introduced it gets the heading as its lead-in", async (t) => {
  const photos = { text: '- the outside of the box;\n- the shipping label.', sourceId: 'eshop-damaged-parcel#photos-we-need', language: 'en', heading: 'Photos we need' };
  t.equal(composeDraft({ templates: [], language: 'en', answers: [photos] }).text, 'Photos we need:\n\n- the outside of the box;\n- the shipping label.');
  t.equal(composeDraft({ templates: [], language: 'en', answers: [{ ...photos, heading: 'Ordered as a guest already?' }] }).text.split('\n')[0], 'Ordered as a guest already?', 'a heading that asks keeps its question mark');
  const two = composeDraft({ templates: [], language: 'en', answers: [{ ...refundAnswer, question: 'Where does my refund go?' }, { ...photos, question: 'What photos do you need?' }] });
  t.equal(two.text.split('\n\n').slice(2).join('\n\n'), '> What photos do you need?\n\nPhotos we need:\n\n- the outside of the box;\n- the shipping label.', 'after the quoted question');
});

t.test('two questions answered by the same passage get it once, under both', async (t) => {
  const draft = composeDraft({
    templates: [],
    language: 'en',
    answers: [
      { question: 'Can I buy a gift card online?', text: 'Yes: e-gift cards are sold online.', language: 'en', sourceId: 'a' },
      { question: 'Can she use it in your shops?', text: 'Yes: e-gift cards are sold online.', language: 'en', sourceId: 'a' },
      { question: 'How long is it valid?', text: 'Three years.', language: 'en', sourceId: 'b' },
    ],
  });
  t.equal(draft.text, '> Can I buy a gift card online?\n> Can she use it in your shops?\n\nYes: e-gift cards are sold online.\n\n> How long is it valid?\n\nThree years.');
  t.equal(draft.parts.filter((part) => part.kind === 'answer').length, 2);
  // A question read with the one before it as its context holds it: only the longer one is quoted.
  const held = composeDraft({
    templates: [],
    language: 'en',
    answers: [
      { question: 'Do you auto renew the plan?', text: 'Yes, until you cancel.', language: 'en' },
      { question: 'Do you auto renew the plan? Can I turn that off', text: 'Yes, until you cancel.', language: 'en' },
    ],
  });
  t.equal(held.text, 'Yes, until you cancel.', 'one answer left: no introduction');
});

t.test('placeholders and notes of adapted answers', async (t) => {
  const draft = composeDraft({
    templates: templates('en'),
    language: 'en',
    answers: [
      { text: 'Your order [order number] ships on [date]. See [our article](x.md) and [ref][1].', notes: ['In ticket T-1, the agent: refunded the [amount] fee'], language: 'en', sourceId: 'T-1' },
      { text: 'Quote [order number] when you call. - [ ] done [x]', language: 'en', sourceId: 'T-2' },
    ],
    notes: ['Customer is a VIP.'],
  });
  t.same(draft.placeholders, ['[order number]', '[date]'], 'each once, in order; links and task boxes are not placeholders');
  t.same(draft.notes, ['Customer is a VIP.', 'In ticket T-1, the agent: refunded the [amount] fee']);
  t.same(placeholderLabels('[name], [номер заказа] and [numero d\'ordine]'), ['[name]', '[номер заказа]', "[numero d'ordine]"]);
});

t.test('a canned reply instead of answers', async (t) => {
  const draft = composeDraft({ templates: templates('en', 'de'), language: 'de', customerName: 'Herr Braun', canned: 'off-topic', answers: [refundAnswer] });
  t.same(draft.parts.map((p) => [p.kind, p.templateId]), [
    ['greeting', 'greeting-de'],
    ['canned', 'canned-off-topic-de'],
    ['closing', 'closing-de'],
  ]);
  t.ok(draft.text.startsWith('Guten Tag Herr Braun,'));
  t.notMatch(draft.text, /refund goes back/, 'the answers are not used');
  const fallback = composeDraft({ templates: templates('en'), language: 'ru', canned: 'spam', answers: [] });
  t.same(fallback.notes, ['No Russian reply templates: the greeting, canned reply and closing are in English; translate them.']);
  const unknown = composeDraft({ templates: templates('en'), language: 'en', canned: 'thank-you', answers: [] });
  t.same(unknown.parts.map((p) => p.kind), ['greeting', 'closing'], 'an unknown canned reply: no middle part…');
  t.same(unknown.notes, ['No canned reply "thank-you" in the reply templates (there are: looking-into-it, need-details, not-covered, off-topic, spam): write the reply.'], '…and a note');
  t.equal(composeDraft({ templates: [], language: 'en', canned: 'looking-into-it', answers: [] }).text, '', 'no templates at all: an empty draft, never an error');
  t.equal(thrown(() => composeDraft({ templates: [], language: ' ', answers: [] })).code, 'ADK_OPTION_INVALID', 'the language is required');
});

t.test('nothing to answer with', async (t) => {
  const draft = composeDraft({ templates: templates('en'), language: 'en', answers: [{ text: '  ', language: 'en' }] });
  t.same(draft.parts.map((p) => p.kind), ['greeting', 'closing']);
  t.same(draft.notes, ['No answer to include: write the reply, or use a canned reply.']);
});
