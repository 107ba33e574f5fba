// Route one message through a rule file and print the explanation.
// Usage (from the repository root):
//   node --conditions=answerdesk-source --import tsx examples/routing/try.ts examples/routing/retailer.yaml \
//     '{"category":"store","level":"high","text":"Rude cashier","fields":{"storeId":"S-001"}}'
import type { TriageFacts } from '@answerdesk/types';
import { explainRoute, loadRules, routeMessage } from '@answerdesk/routing';

const [file, json = '{}'] = process.argv.slice(2);
if (!file) {
  console.error('usage: try.ts RULES.yaml \'{"category":"…","text":"…"}\'');
  process.exit(2);
}
// Only what the rules look at needs giving; the rest gets neutral values.
const facts: TriageFacts = { text: '', priority: 'normal', language: 'en', fields: {}, receivedAt: new Date().toISOString(), ...(JSON.parse(json) as Partial<TriageFacts>) };
const route = routeMessage(await loadRules(file), facts);
console.log(explainRoute(route).join('\n'));
const { trace: _trace, ...decision } = route;
console.log(JSON.stringify(decision, null, 2));
