// Choosing the sentence encoder from the command line. The Hugging Face hub cannot be reached here, so
// the multilingual model's options and errors are tested, not its quality.
import path from 'node:path';
import t from 'tap';
import { EXIT, run } from '@answerdesk/cli';
import { capture } from './helpers.js';
import { encoderFrom } from '../src/models.js';


t.test('the offline model is the default; a Hugging Face id selects transformers.js with its options', async (t) => {
  // The customer-style direction is removed from its vectors (@answerdesk/embeddings, style.ts), and its id says so.
  t.equal(encoderFrom({}, {}).id, 'use-lite-en@0.2.0+style-removed.1');
  t.equal(encoderFrom({ model: 'use-lite' }, {}).id, 'use-lite-en@0.2.0+style-removed.1');
  t.equal(encoderFrom({ model: 'use-lite-en@0.2.0+style-removed.1' }, {}).id, 'use-lite-en@0.2.0+style-removed.1', 'its own id selects it too');
  t.equal(encoderFrom({ model: 'use-lite-en@0.2.0' }, {}).id, 'use-lite-en@0.2.0', 'the model\'s own vectors: a store built before opens as it is');
  const e5 = encoderFrom({ model: 'Xenova/multilingual-e5-small' }, {});
  t.equal(e5.id, 'hf:Xenova/multilingual-e5-small:q8');
  t.equal(e5.languages, 'multilingual', 'multilingual-e5 matches every language by meaning');
  t.equal(encoderFrom({}, { ANSWERDESK_MODEL: 'Xenova/all-MiniLM-L6-v2' }).id, 'hf:Xenova/all-MiniLM-L6-v2:q8', 'ANSWERDESK_MODEL works too');
});

t.test('a model that is not in the local folder, with downloads off, is a coded error naming the folder', async (t) => {
  const dir = t.testdir({ models: {}, kb: { 'a.md': '---\nid: a\ntitle: A\n---\n\nText.\n' } });
  const models = path.join(dir, 'models');
  const cli = capture();
  const code = await run(['--store', path.join(dir, 'store'), '--model', 'Xenova/multilingual-e5-small', '--models-dir', models, '--model-cache', models, '--no-remote-models', 'index', path.join(dir, 'kb')], cli.io);
  t.equal(code, EXIT.error);
  t.match(cli.err(), /ADK_MODEL_NOT_FOUND/);
  t.match(cli.err(), /Xenova\/multilingual-e5-small/);
  t.match(cli.err(), models, 'the message says where it looked');
  const env = capture({ ANSWERDESK_MODEL: 'Xenova/multilingual-e5-small', ANSWERDESK_MODELS_DIR: models, ANSWERDESK_MODEL_CACHE: models, ANSWERDESK_REMOTE_MODELS: '0' });
  t.equal(await run(['--store', path.join(dir, 'store'), 'index', path.join(dir, 'kb')], env.io), EXIT.error);
  t.match(env.err(), /ADK_MODEL_NOT_FOUND/, 'the same through the environment');
  const bad = capture();
  t.equal(await run(['--model', 'not a model id', '--store', path.join(dir, 'store'), 'index', path.join(dir, 'kb')], bad.io), EXIT.error);
  t.match(bad.err(), /ADK_OPTION_INVALID/);
  const language = capture();
  t.not(await run(['--default-language', 'English', 'search', 'x'], language.io), EXIT.ok);
  t.match(language.err(), /must be a language code/);
});
