// The categorizer. Plumbing (errors, files) runs on the hashing encoder, a deterministic toy with no notion
// of meaning; every claim about categorizing well runs on the real offline model (USE-lite) and the
// bundled docs-content tickets, embedded once and shared by all subtests.
import { readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { HashingEncoder, UseLiteEncoder, type Encoder } from '@answerdesk/embeddings';
import { backtestCategorizer, Categorizer, descriptionExamples, trainCategorizer, type LabeledText, type TrainProgress } from '../src/index.js';

interface Ticket {
  subject: string;
  body: string;
  category: string;
  queue: string;
}

const ticketsFile = fileURLToPath(new URL('../../../docs-content/tickets/resolved.jsonl', import.meta.url));
const tickets: Ticket[] = readFileSync(ticketsFile, 'utf8').split('\n').filter((line) => line.trim()).map((line) => JSON.parse(line) as Ticket);
const textOf = (ticket: Ticket) => `${ticket.subject}\n${ticket.body}`;

// ---------------------------------------------------------------------------------------------
// Plumbing, on the hashing encoder (no meaning: it only has to be deterministic and cheap).

const hashing = new HashingEncoder();
const toy: LabeledText[] = [
  ...['refund to my card', 'money back please', 'refund not received', 'where is my refund', 'card refund late', 'refund for the jacket'].map((text) => ({ text, label: 'refund' })),
  ...['parcel is late', 'courier lost my parcel', 'tracking not moving', 'delivery is late', 'parcel never came', 'late delivery again'].map((text) => ({ text, label: 'delivery' })),
];

t.test('invalid training data → ADK_TRAINING_DATA_INVALID', async (t) => {
  const cases: Array<[string, unknown, object?]> = [
    ['not an array', null],
    ['an object instead of an array', { text: 'x', label: 'y' }],
    ['no examples at all', []],
    ['one label only', toy.filter((e) => e.label === 'refund')],
    ['one label, and its own description', toy.filter((e) => e.label === 'refund'), { descriptions: { refund: 'Money back.' } }],
    ['an empty text', [...toy, { text: '', label: 'refund' }]],
    ['a blank text', [...toy, { text: ' \n\t', label: 'refund' }]],
    ['a text that is not a string', [...toy, { text: 42, label: 'refund' }]],
    ['an empty label', [...toy, { text: 'hello', label: '' }]],
    ['a blank label', [...toy, { text: 'hello', label: '   ' }]],
    ['a missing label', [...toy, { text: 'hello' }]],
    ['a null example', [...toy, null]],
    ['an empty description', toy, { descriptions: { billing: '' } }],
    ['a blank description', toy, { descriptions: { billing: '  ' } }],
    ['only one described label', [], { descriptions: { billing: 'Invoices and charges.' } }],
  ];
  for (const [name, examples, options] of cases) {
    await t.rejects(trainCategorizer(examples as LabeledText[], hashing, options), { code: 'ADK_TRAINING_DATA_INVALID', details: { field: 'category' } }, name);
  }
  await t.rejects(trainCategorizer([{ text: 'x', label: '' }, ...toy], hashing, { field: 'queue' }), { code: 'ADK_TRAINING_DATA_INVALID', details: { field: 'queue' }, message: /queue/ }, 'the error names the field');
});

t.test('invalid calibrationFolds → ADK_OPTION_INVALID', async (t) => {
  for (const calibrationFolds of [0, 1, -2, 2.5, Number.NaN, 'five' as unknown as number]) {
    await t.rejects(trainCategorizer(toy, hashing, { calibrationFolds }), { code: 'ADK_OPTION_INVALID', details: { option: 'calibrationFolds' } }, `calibrationFolds ${String(calibrationFolds)}`);
    // Also when there are too few examples to calibrate at all: a bad option is bad whatever the data.
    await t.rejects(trainCategorizer(toy.slice(4, 8), hashing, { calibrationFolds }), { code: 'ADK_OPTION_INVALID' }, `calibrationFolds ${String(calibrationFolds)} on 4 examples`);
  }
  for (const calibrationFolds of ['auto' as const, 2, 3]) {
    const categorizer = await trainCategorizer(toy, hashing, { calibrationFolds });
    t.equal(categorizer.info.calibration.heldOut, toy.length, `calibrationFolds ${calibrationFolds}: every example predicted once held-out`);
  }
});

t.test('training plumbing', async (t) => {
  const phases = new Set<TrainProgress['phase']>();
  const categorizer = await trainCategorizer(toy, hashing, { field: 'queue', alternatives: 1, onProgress: (p) => phases.add(p.phase) });
  t.same([...phases], ['embed', 'calibrate', 'train'], 'progress phases in order');
  t.equal(categorizer.field, 'queue');
  t.same(categorizer.labels, ['delivery', 'refund'], 'labels sorted');
  t.same(categorizer.info.support, { delivery: 6, refund: 6 });
  t.same(categorizer.info.encoder, { id: 'hashing-64', dimension: 64 });
  const [prediction] = await categorizer.categorize(['refund to my card'], hashing);
  t.equal(prediction!.field, 'queue');
  t.equal(prediction!.alternatives.length, 1, 'alternatives option');
  t.equal(prediction!.basis, 'examples');
  const [vector] = await hashing.embedQueries(['refund to my card']);
  const p = categorizer.probabilities(vector!, 'refund to my card');
  t.ok(Math.abs(p.reduce((a, b) => a + b, 0) - 1) < 1e-5, 'probabilities sum to 1');
  t.equal(prediction!.probability, Math.max(...p), 'the prediction is the most probable label');

  // Fewer than 10 examples: nothing to calibrate on, so no High or Medium is ever given.
  const small = await trainCategorizer(toy.slice(3, 9), hashing);
  t.same(small.info.calibration.thresholds, { high: null, medium: null });
  t.equal(small.info.calibration.heldOut, 0);
  t.equal(small.info.calibration.accuracy, null);
  t.equal(small.levelOf(0.999), 'low');

  await t.rejects(trainCategorizer([...toy, { text: 'short vector', label: 'refund', vector: new Float32Array(3) }], hashing), { code: 'ADK_DIMENSION_MISMATCH' }, 'a given vector of the wrong length');
  t.throws(() => categorizer.predictVector(new Float32Array(10), 'x'), { code: 'ADK_DIMENSION_MISMATCH' }, 'predicting from a vector of the wrong length');
});

t.test('descriptionExamples', async (t) => {
  t.same(descriptionExamples('gift-certificate', 'Buying gift cards. Checking the balance!\nLost cards'), [
    'gift certificate: Buying gift cards. Checking the balance!\nLost cards',
    'Buying gift cards.',
    'Checking the balance!',
    'Lost cards',
  ]);
  t.same(descriptionExamples('ssl', 'Certificates.'), ['ssl: Certificates.', 'Certificates.'], 'label name in front of the whole');
  t.same(descriptionExamples('a_b', 'Ok. Ok. Fine.'), ['a b: Ok. Ok. Fine.', 'Fine.'], 'short fragments dropped, duplicates removed');
});

t.test('categorize with another encoder → ADK_CATEGORIZER_MODEL_MISMATCH', async (t) => {
  const categorizer = await trainCategorizer(toy, hashing);
  await t.rejects(categorizer.categorize(['refund please'], new HashingEncoder(32)), { code: 'ADK_CATEGORIZER_MODEL_MISMATCH', details: { stored: 'hashing-64', current: 'hashing-32' } }, 'another dimension');
  const sameSizeOtherModel: Encoder = Object.assign(Object.create(hashing) as HashingEncoder, { id: 'other-model-64' });
  t.equal(sameSizeOtherModel.dimension, 64);
  await t.rejects(categorizer.categorize(['refund please'], sameSizeOtherModel), { code: 'ADK_CATEGORIZER_MODEL_MISMATCH' }, 'same dimension, another model id');
  t.throws(() => categorizer.checkEncoder(sameSizeOtherModel), { code: 'ADK_CATEGORIZER_MODEL_MISMATCH' });
  t.doesNotThrow(() => categorizer.checkEncoder(new HashingEncoder()), 'an equal encoder is accepted');
});

t.test('damaged files → ADK_CATEGORIZER_CORRUPT', async (t) => {
  const categorizer = await trainCategorizer(toy, hashing, { field: 'queue' });
  const { json, weights } = categorizer.toFiles();
  const saved = JSON.parse(json) as Record<string, unknown>;
  const longer = new Uint8Array(weights.length + 4);
  longer.set(weights);
  const cases: Array<[string, string, Uint8Array, string]> = [
    ['truncated weights', json, weights.slice(0, weights.length - 4), 'queue'],
    ['weights cut mid-number', json, weights.slice(0, weights.length - 1), 'queue'],
    ['no weights', json, new Uint8Array(0), 'queue'],
    ['weights too long', json, longer, 'queue'],
    ['bad JSON', json.slice(0, json.length / 2), weights, '(unknown)'],
    ['not JSON at all', '{not json', weights, '(unknown)'],
    ['JSON null', 'null', weights, '(unknown)'],
    ['unknown format', JSON.stringify({ ...saved, format: 2 }), weights, 'queue'],
    ['no vocabulary', JSON.stringify({ ...saved, vocabulary: undefined }), weights, 'queue'],
    ['one label fewer', JSON.stringify({ ...saved, labels: ['refund'] }), weights, 'queue'],
  ];
  for (const [name, badJson, badWeights, field] of cases) {
    t.throws(() => Categorizer.fromFiles(badJson, badWeights), { code: 'ADK_CATEGORIZER_CORRUPT', details: { field } }, name);
  }
  t.doesNotThrow(() => Categorizer.fromFiles(json, weights), 'the undamaged files load');
});

t.test('toFiles → fromFiles round trip (plumbing)', async (t) => {
  const categorizer = await trainCategorizer(toy, hashing, { alternatives: 1 });
  const dir = t.testdir({});
  const { json, weights } = categorizer.toFiles();
  await writeFile(path.join(dir, 'model.json'), json);
  await writeFile(path.join(dir, 'model.bin'), weights);
  const loaded = Categorizer.fromFiles(await readFile(path.join(dir, 'model.json'), 'utf8'), await readFile(path.join(dir, 'model.bin')));
  t.same(loaded.info, categorizer.info, 'identical info');
  for (const text of ['refund to my card', 'parcel never came', 'something else entirely']) {
    const [vector] = await hashing.embedQueries([text]);
    t.same([...loaded.probabilities(vector!, text)], [...categorizer.probabilities(vector!, text)], `identical probabilities: ${text}`);
    t.same(loaded.predictVector(vector!, text), categorizer.predictVector(vector!, text), `identical prediction: ${text}`);
  }
  const again = loaded.toFiles();
  t.equal(again.json, json, 'saving the loaded model gives the same JSON');
  t.same([...again.weights], [...weights], 'and the same weights');
});

// ---------------------------------------------------------------------------------------------
// Semantic behaviour: the real offline model on the docs-content tickets.

const encoder = new UseLiteEncoder();
t.teardown(() => encoder.close());
let vectors: Promise<Float32Array[]> | undefined;
/** Every ticket embedded once (subject + body), shared by the subtests below. */
const ticketVectors = () => (vectors ??= encoder.embedQueries(tickets.map(textOf)));
const labeled = async (field: 'category' | 'queue', keep: (ticket: Ticket) => boolean = () => true): Promise<LabeledText[]> => {
  const all = await ticketVectors();
  return tickets.flatMap((ticket, i) => (keep(ticket) ? [{ text: textOf(ticket), label: ticket[field], vector: all[i]! }] : []));
};

t.test('backtest on the docs-content tickets (5 folds)', async (t) => {
  const category = await backtestCategorizer(await labeled('category'), encoder, { folds: 5 });
  t.equal(category.examples, tickets.length);
  t.equal(category.labels, 18);
  // Measured: accuracy 0.574, macro-F1 0.541; High on 11% of tickets, 90% of them right.
  t.ok(category.accuracy >= 0.53, `category accuracy ${category.accuracy.toFixed(3)} ≥ 0.53`);
  t.ok(category.macroF1 >= 0.5, `category macro-F1 ${category.macroF1.toFixed(3)} ≥ 0.50`);
  t.ok(category.accuracy > 0.3, 'far above always answering the biggest category (27 of 176 = 0.15)');
  const { high } = category.levels;
  if (high.count > 0) t.ok(high.accuracy! >= 0.8, `category: High predictions right ${(high.accuracy! * 100).toFixed(0)}% of the time (${high.count} of them)`);
  t.ok(high.accuracy === null || high.accuracy > category.accuracy, 'High is more often right than the average prediction');

  // Accuracy does not depend on calibrationFolds (it only moves the level cut-offs), so the queue run uses 2 to stay quick.
  const queue = await backtestCategorizer(await labeled('queue'), encoder, { folds: 5, field: 'queue', calibrationFolds: 2 });
  t.equal(queue.labels, 9);
  // Measured: accuracy 0.665, macro-F1 0.557; High on 32% of tickets, 91% of them right.
  t.ok(queue.accuracy >= 0.62, `queue accuracy ${queue.accuracy.toFixed(3)} ≥ 0.62`);
  t.ok(queue.macroF1 >= 0.5, `queue macro-F1 ${queue.macroF1.toFixed(3)} ≥ 0.50`);
  if (queue.levels.high.count > 0) t.ok(queue.levels.high.accuracy! >= 0.8, `queue: High predictions right ${(queue.levels.high.accuracy! * 100).toFixed(0)}% of the time (${queue.levels.high.count} of them)`);
});

/** One to three sentences per category, written from what the docs-content articles of that category cover. */
const descriptions: Record<string, string> = {
  'gift-certificate': 'Buying and sending Brightcart gift certificates, e-gift cards and plastic gift cards, and checking their balance. Lost, expired or already used gift certificates, and paying with several of them.',
  delivery: 'Parcels that arrive late, tracking that is stuck or not updating, and couriers. Delivery options, shipping costs and changing the delivery address of an order.',
  refund: 'When and how money comes back after a return or a cancelled order. A refund that has not arrived yet, or a partial refund that is smaller than expected.',
  account: 'Signing in to a Brightcart account: forgotten passwords, reset e-mails, locked accounts and two-step verification codes. Changing account details or e-mail address, and deleting an account.',
  outage: 'A hosted website or e-mail service is down, very slow or returning 500, 502 or 503 errors. Incidents on our servers, the status page and SLA credits.',
  ssl: 'SSL and HTTPS certificates for a hosted website: free Let\'s Encrypt certificates, renewal, commercial certificates and CSRs, and "Not secure" or mixed content warnings.',
};
const described = (ticket: Ticket) => ticket.category in descriptions;

t.test('zero-shot: categories learned from their descriptions alone', async (t) => {
  const categorizer = await trainCategorizer([], encoder, { descriptions });
  t.same(categorizer.labels, Object.keys(descriptions).sort());
  t.same(Object.values(categorizer.info.support), [0, 0, 0, 0, 0, 0], 'no real examples');
  t.same(categorizer.info.descriptions, descriptions, 'descriptions are kept with the model');
  const test = await labeled('category', described);
  t.equal(test.length, 68);
  const perCategory = new Map<string, { right: number; total: number }>();
  let right = 0;
  for (const { text, label, vector } of test) {
    const prediction = categorizer.predictVector(vector!, text);
    t.equal(prediction.basis, 'description');
    t.equal(prediction.level, 'low', 'never more than Low: nothing was checked on held-out tickets');
    const entry = perCategory.get(label) ?? { right: 0, total: 0 };
    entry.total++;
    if (prediction.label === label) {
      entry.right++;
      right++;
    }
    perCategory.set(label, entry);
  }
  // Measured: 59 of 68 (0.87); per category from 5/7 (ssl) to 8/8 (gift-certificate).
  t.ok(right / test.length >= 0.8, `zero-shot accuracy ${(right / test.length).toFixed(3)} ≥ 0.80`);
  for (const [label, { right: r, total }] of perCategory) t.ok(r / total >= 0.5, `${label}: ${r} of ${total} right`);
});

t.test('mixed: examples for five categories, a description only for gift-certificate', async (t) => {
  const examples = await labeled('category', (ticket) => described(ticket) && ticket.category !== 'gift-certificate');
  const categorizer = await trainCategorizer(examples, encoder, { descriptions: { 'gift-certificate': descriptions['gift-certificate']! } });
  t.equal(categorizer.info.support['gift-certificate'], 0);
  t.ok(categorizer.info.calibration.heldOut > 0, 'calibrated on the five categories with examples');
  const giftTickets = await labeled('category', (ticket) => ticket.category === 'gift-certificate');
  t.equal(giftTickets.length, 8);
  let first = 0;
  let topThree = 0;
  for (const { text, vector } of giftTickets) {
    const prediction = categorizer.predictVector(vector!, text);
    if (prediction.label === 'gift-certificate') first++;
    if (prediction.label === 'gift-certificate' || prediction.alternatives.slice(0, 2).some((a) => a.label === 'gift-certificate')) topThree++;
  }
  // Measured: first for 1 of 8, among the top three for 7 of 8 (the five trained categories pull the
  // tickets towards themselves — refund above all; a description-only label rarely wins outright).
  t.ok(first >= 1, `gift-certificate first for ${first} of 8`);
  t.ok(topThree >= 6, `gift-certificate among the top three for ${topThree} of 8`);
  for (const { text, vector } of [...giftTickets, ...examples]) {
    const prediction = categorizer.predictVector(vector!, text);
    t.equal(prediction.basis, prediction.label === 'gift-certificate' ? 'description' : 'examples', `basis of a ${prediction.label} prediction`);
    if (prediction.basis === 'description') t.equal(prediction.level, 'low');
  }

  t.test('toFiles → fromFiles round trip on the real model', async (t) => {
    const { json, weights } = categorizer.toFiles();
    const loaded = Categorizer.fromFiles(json, weights);
    t.same(loaded.info, categorizer.info, 'identical info (descriptions, support, calibration)');
    t.ok(loaded.info.calibration.thresholds.high !== null, 'with a High cut-off to carry over');
    for (const { text, vector } of [...giftTickets, ...examples.slice(0, 10)]) {
      t.same([...loaded.probabilities(vector!, text)], [...categorizer.probabilities(vector!, text)], 'identical probabilities');
      t.same(loaded.predictVector(vector!, text), categorizer.predictVector(vector!, text), 'identical prediction');
    }
    t.same(await loaded.categorize([textOf(tickets[0]!)], encoder), await categorizer.categorize([textOf(tickets[0]!)], encoder), 'categorize agrees too');
  });
});

t.test('few-shot: a label with one or two examples is still predicted', async (t) => {
  // Full ticket sets for four categories; gift-certificate keeps only 2 tickets and ssl only 1.
  const all = await labeled('category', (ticket) => ['delivery', 'refund', 'account', 'outage'].includes(ticket.category));
  const gift = (await labeled('category', (ticket) => ticket.category === 'gift-certificate')).slice(0, 2);
  const ssl = (await labeled('category', (ticket) => ticket.category === 'ssl')).slice(0, 1);
  const categorizer = await trainCategorizer([...all, ...gift, ...ssl], encoder);
  t.same(categorizer.info.support, { account: 9, delivery: 27, 'gift-certificate': 2, outage: 7, refund: 10, ssl: 1 });
  for (const { text, label, vector } of [...gift, ...ssl]) {
    const prediction = categorizer.predictVector(vector!, text);
    t.equal(prediction.label, label, `${label} predicted for its own example`);
    t.equal(prediction.basis, 'examples');
  }
  const predicted = new Set((await labeled('category', (ticket) => ticket.category in descriptions)).map((e) => categorizer.predictVector(e.vector!, e.text).label));
  t.ok(predicted.has('gift-certificate') && predicted.has('ssl'), 'both rare labels appear among the predictions');
});
