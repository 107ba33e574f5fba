// The contract suite (suite.ts) on the embedded knowledge base: files on disk, one store folder per call.
import path from 'node:path';
import t from 'tap';
import { KnowledgeBase } from '@answerdesk/core';
import { contractSuite } from './suite.js';

const root = t.testdir({});
let stores = 0;

contractSuite(t, 'KnowledgeBase (files on disk)', ({ encoder, defaultLanguage }) =>
  KnowledgeBase.open({ store: path.join(root, `store-${++stores}`), encoder, ...(defaultLanguage ? { defaultLanguage } : {}) }),
);
