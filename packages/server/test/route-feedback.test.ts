// Route corrections over HTTP (plumbing: the hashing encoder, so "similar" here means the same message).
import t from 'tap';
import { auth, harness } from './helpers.js';

t.test('POST /v1/feedback/route records a correction, moves the same message, and retrains after enough of them', async (t) => {
  const h = await harness(t, { retrainAfterCorrections: 2 });
  const train = await h.call({ method: 'POST', url: '/v1/train', headers: auth('admin'), payload: { field: 'queue' } });
  t.equal(train.status, 202, 'a queue categorizer is trained from the tickets');
  await waitForJob(h, train.json.id);
  const message = { subject: 'Where is my parcel', text: 'Tracking has not moved for a week' };
  const before = await h.call({ method: 'POST', url: '/v1/triage', headers: auth('reader'), payload: { ...message, suggest: false } });
  t.equal(before.json.labels.queue.label, 'logistics', 'triage routes it to logistics');
  const text = `${message.subject}\n${message.text}`;

  const refused = await h.call({ method: 'POST', url: '/v1/feedback/route', payload: { text, field: 'queue', label: 'payments' } });
  t.equal(refused.status, 401, 'with keys configured, a correction needs a write key like any feedback');
  const bad = await h.call({ method: 'POST', url: '/v1/feedback/route', headers: auth('writer'), payload: { text, field: 'queue', label: 'logistics', was: 'logistics' } });
  t.match(bad, { status: 400, json: { error: { code: 'ADK_FEEDBACK_INVALID', message: /what triage gave/ } } }, 'a correction to the label triage gave says so');

  const first = await h.call({ method: 'POST', url: '/v1/feedback/route', headers: auth('writer'), payload: { text, field: 'queue', label: 'payments', was: 'logistics' } });
  t.match(first, { status: 201, json: { kind: 'route', field: 'queue', label: 'payments', was: 'logistics', agent: 'sync' } }, 'stored with the key as its agent');
  t.notOk(first.json.retraining, 'one correction does not retrain');
  const second = await h.call({ method: 'POST', url: '/v1/feedback/route', headers: auth('writer'), payload: { text, field: 'queue', label: 'payments', was: 'logistics' } });
  t.match(second.json.retraining, { kind: 'train', state: /queued|running/ }, 'the second (retrainAfterCorrections: 2) starts retraining the queue categorizer');
  await waitForJob(h, second.json.retraining.id);

  const after = await h.call({ method: 'POST', url: '/v1/triage', headers: auth('reader'), payload: { ...message, suggest: false } });
  t.equal(after.json.labels.queue.label, 'payments', 'the corrected message now goes to payments');
  const listed = await h.call({ method: 'GET', url: '/v1/feedback', headers: auth('admin') });
  t.equal(listed.json.corrections.length, 2, 'GET /v1/feedback lists the corrections');
  t.same(listed.json.feedback, [], 'apart from answer feedback');
});

async function waitForJob(h: Awaited<ReturnType<typeof harness>>, id: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const job = await h.call({ method: 'GET', url: `/v1/jobs/${id}`, headers: auth('admin') });
    if (job.json.state === 'succeeded') return;
    if (job.json.state === 'failed') throw new Error(`job failed: ${JSON.stringify(job.json)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('job did not finish in 10 s');
}
