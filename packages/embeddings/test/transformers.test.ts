import t from 'tap';
import { TransformersEncoder, resolveTransformersOptions } from '@answerdesk/embeddings';

t.test('defaults: remote loading on, quantized, e5 prefixes only for e5 models', async (t) => {
  const e5 = resolveTransformersOptions({ model: 'Xenova/multilingual-e5-small' });
  t.match(e5, { allowRemoteModels: true, quantized: true, queryPrefix: 'query: ', passagePrefix: 'passage: ', languages: 'multilingual', batchSize: 16 });
  const mini = resolveTransformersOptions({ model: 'Xenova/all-MiniLM-L6-v2' });
  t.match(mini, { queryPrefix: '', passagePrefix: '', languages: ['en'] });
  const custom = resolveTransformersOptions({ model: 'Xenova/bge-small-en-v1.5', queryPrefix: 'Represent this sentence for searching relevant passages: ', allowRemoteModels: false });
  t.match(custom, { queryPrefix: 'Represent this sentence for searching relevant passages: ', allowRemoteModels: false });
  t.equal(new TransformersEncoder({ model: 'Xenova/all-MiniLM-L6-v2' }).id, 'hf:Xenova/all-MiniLM-L6-v2:q8');
  t.equal(new TransformersEncoder({ model: 'Xenova/all-MiniLM-L6-v2', quantized: false }).id, 'hf:Xenova/all-MiniLM-L6-v2');
});

t.test('invalid options get coded errors', async (t) => {
  t.throws(() => resolveTransformersOptions({ model: '' }), { code: 'ADK_OPTION_INVALID', details: { option: 'model' } });
  t.throws(() => resolveTransformersOptions({ model: 'not a model id' }), { code: 'ADK_OPTION_INVALID' });
  t.throws(() => resolveTransformersOptions({ model: 'Xenova/x', batchSize: 0 }), { code: 'ADK_OPTION_INVALID', details: { option: 'batchSize' } });
  t.throws(() => new TransformersEncoder({ model: 'Xenova/x' }).dimension, { code: 'ADK_OPTION_INVALID', details: { option: 'dimension' } });
});

t.test('a model missing locally with remote loading off says where it looked', async (t) => {
  const dir = t.testdir({});
  const encoder = new TransformersEncoder({ model: 'Xenova/all-MiniLM-L6-v2', localModelPath: dir, cacheDir: dir, allowRemoteModels: false });
  const error = await encoder.load().then(
    () => undefined,
    (e: unknown) => e as { code: string; message: string },
  );
  t.equal(error?.code, 'ADK_MODEL_NOT_FOUND');
  t.match(error?.message, 'Xenova/all-MiniLM-L6-v2');
  t.match(error?.message, dir, 'the message names the local models folder');
  await t.rejects(encoder.embedQueries(['  ']), { code: 'ADK_ENCODER_INPUT_INVALID' }, 'input is checked before loading');
});
