// A second process writing a store: adds one ticket, says so, then waits to be killed.
import { HashingEncoder, FileKnowledgeBase as KnowledgeBase } from '@answerdesk/core';

const kb = await KnowledgeBase.open({ store: process.argv[2]!, encoder: new HashingEncoder() });
await kb.addTickets([{ id: 'FROM-CHILD', subject: 'child', body: 'written by another process', resolution: 'ok' }]);
process.stdout.write('written\n');
setInterval(() => undefined, 1000);
