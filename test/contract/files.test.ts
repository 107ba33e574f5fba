// The contract suite (suite.ts) on the old file format (FileKnowledgeBase: snapshots and a
// write-ahead log of our own), while it is kept to convert such store folders to SQLite.
import path from 'node:path';
import t from 'tap';
import { FileKnowledgeBase } from '@answerdesk/core';
import { contractSuite } from './suite.js';

const root = t.testdir({});
let stores = 0;

contractSuite(t, 'FileKnowledgeBase (the old file format)', ({ encoder, defaultLanguage }) =>
  FileKnowledgeBase.open({ store: path.join(root, `store-${++stores}`), encoder, ...(defaultLanguage ? { defaultLanguage } : {}) }),
);
