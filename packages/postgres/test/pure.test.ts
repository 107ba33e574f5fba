import t from 'tap';
import { filterSql, lexicalTexts, parseVector, pgvectorSupported, textSearchConfig, vectorLiteral } from '../src/index.js';
import { article, ticket } from './helpers.js';

t.test('textSearchConfig maps language codes to PostgreSQL configurations', async (t) => {
  const cases: Array<[string | undefined, string]> = [
    ['en', 'english'],
    ['de', 'german'],
    ['fr', 'french'],
    ['es', 'spanish'],
    ['it', 'italian'],
    ['ru', 'russian'],
    ['pt', 'portuguese'],
    ['nl', 'dutch'],
    ['sv', 'swedish'],
    ['nb', 'norwegian'],
    ['pt-BR', 'portuguese'],
    ['EN_us', 'english'],
    ['german', 'german'],
    ['zh', 'simple'],
    ['ja', 'simple'],
    ['', 'simple'],
    [undefined, 'simple'],
    ["en'; drop", 'simple'],
  ];
  for (const [language, config] of cases) t.equal(textSearchConfig(language), config, String(language));
});

t.test('lexicalTexts: title and heading weigh more; a ticket adds its resolution', async (t) => {
  t.same(lexicalTexts(article('a', { title: 'Refunds', heading: 'Card refunds', text: 'Body.', tags: ['card', 'money'], category: 'billing' })), {
    title: 'Refunds Card refunds',
    body: 'Body.\ncard money\nbilling',
  });
  t.same(lexicalTexts(ticket('T', { title: 'Broken', text: 'Broken\nIt broke.', answer: 'Fixed it.' })), { title: 'Broken', body: 'Broken\nIt broke.\nFixed it.' });
});

t.test('vector literals round-trip float32 exactly', async (t) => {
  const vector = Float32Array.from([0, 1, -1, 0.1, 1e-30, -3.4e38, 123.456, Math.E]);
  const literal = vectorLiteral(vector);
  t.match(literal, /^\[0,1\.00000000,-1\.00000000,/);
  t.same([...parseVector(literal)], [...vector]);
  t.same([...parseVector('[1,2.5,-3]')], [1, 2.5, -3]);
  t.same([...parseVector('[]')], []);
  t.equal(vectorLiteral([]), '[]');
});

t.test('filterSql: values are parameters, never SQL text', async (t) => {
  const params: unknown[] = ['kb'];
  const sql = filterSql({ kind: 'ticket', category: "x' OR 1=1 --", language: ['en', 'de'], tags: ['a', 'b'] }, params);
  t.equal(sql, ' AND d.kind = $2 AND d.category = ANY($3::text[]) AND d.language = ANY($4::text[]) AND d.tags @> $5::text[]');
  t.same(params, ['kb', 'ticket', ["x' OR 1=1 --"], ['en', 'de'], ['a', 'b']]);
  t.equal(filterSql(undefined, []), '');
  t.equal(filterSql({ tags: [] }, []), '', 'no tags required: no condition');
});

t.test('pgvector 0.8.0 or newer is required (iterative index scans)', async (t) => {
  for (const version of ['0.8.0', '0.8.7', '0.10.0', '1.0', '0.8.0.1']) t.ok(pgvectorSupported(version), version);
  for (const version of ['0.7.4', '0.5.1', '0.7.99']) t.notOk(pgvectorSupported(version), version);
});
