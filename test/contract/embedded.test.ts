// The contract suite (suite.ts) on the embedded knowledge base: a store folder (one SQLite database), one folder per call.
import path from 'node:path';
import t from 'tap';
import { KnowledgeBase } from '@answerdesk/core';
import { contractSuite } from './suite.js';

const root = t.testdir({});
let stores = 0;

contractSuite(t, 'KnowledgeBase (a store folder: one SQLite database)', ({ encoder, defaultLanguage, passages }) =>
  KnowledgeBase.open({ store: path.join(root, `store-${++stores}`), encoder, ...(defaultLanguage ? { defaultLanguage } : {}), ...(passages ? { passages } : {}) }),
);
