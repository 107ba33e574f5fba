// Test helpers. The hashing encoder is a tiny deterministic embedder with no notion of
// meaning: tests built on it check plumbing (routes, errors, auth, writes), never answer quality.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance, InjectOptions } from 'fastify';
import tap from 'tap';

type Tap = Parameters<Parameters<typeof tap.test>[0]>[0];
import { HashingEncoder, KnowledgeBase, type Encoder } from '@answerdesk/core';
import { createServer, type ServerOptions } from '@answerdesk/server';

export const KEYS = {
  reader: 'reader-secret-0123456789',
  writer: 'writer-secret-0123456789',
  admin: 'admin-secret-0123456789ab',
};

export const auth = (key: keyof typeof KEYS) => ({ authorization: `Bearer ${KEYS[key]}` });

export const keyConfig = [
  { name: 'agents', key: KEYS.reader, scopes: ['read'] as const },
  { name: 'sync', key: KEYS.writer, scopes: ['read', 'write'] as const },
  { name: 'ops', key: KEYS.admin, scopes: ['admin'] as const },
];

export const article = (id: string, title: string, category: string, sections: Record<string, string>) =>
  `---\nid: ${id}\ntitle: ${title}\ncategory: ${category}\n---\n\n# ${title}\n\n${Object.entries(sections)
    .map(([heading, text]) => `## ${heading}\n\n${text}\n`)
    .join('\n')}`;

export const refundArticle = article('card-refunds', 'Card refunds', 'refund', {
  'How long a card refund takes': 'Refunds to a card take five working days after we receive the return.',
  'Refund to a closed card': 'If the card was closed, the bank forwards the refund to your new card.',
});

export const deliveryArticle = article('late-delivery', 'Late delivery', 'delivery', {
  'Parcel is late': 'Parcels arrive within three days. If yours is late, check the tracking link first.',
});

export const tickets = [
  { id: 'T-100', subject: 'Refund not received', body: 'I returned the shoes two weeks ago and have no refund', resolution: 'The refund was sent on Monday; it shows within five days.', category: 'refund', queue: 'payments', priority: 'normal' },
  { id: 'T-101', subject: 'Where is my parcel', body: 'Tracking has not moved for a week', resolution: 'We opened an investigation with the carrier and sent a replacement.', category: 'delivery', queue: 'logistics', priority: 'high' },
];

export interface Harness {
  app: FastifyInstance;
  kb: KnowledgeBase;
  store: string;
  call: (options: InjectOptions) => Promise<{ status: number; json: any; headers: Record<string, unknown>; body: string }>;
}

/** A server over a fresh store holding two articles and two tickets, with reader, writer and admin keys. */
export async function harness(t: Tap, options: Partial<ServerOptions> & { encoder?: Encoder; empty?: boolean } = {}): Promise<Harness> {
  const store = await mkdtemp(path.join(os.tmpdir(), 'answerdesk-server-'));
  const { encoder, empty, ...serverOptions } = options;
  const kb = await KnowledgeBase.open({ store, encoder: encoder ?? new HashingEncoder() });
  // Load shedding off unless a test asks for it: on a busy CI machine an event-loop lag over the default 1 s
  // (other test files run beside this one) would refuse a request the test is not about with 503.
  const app = await createServer({ knowledgeBase: kb, keys: keyConfig, overload: false, ...serverOptions });
  const call: Harness['call'] = async (request) => {
    const res = await app.inject(request);
    let json: unknown;
    try {
      json = JSON.parse(res.body);
    } catch {
      json = undefined;
    }
    return { status: res.statusCode, json, headers: res.headers, body: res.body };
  };
  t.teardown(async () => {
    await app.close();
    await kb.close();
    await rm(store, { recursive: true, force: true });
  });
  if (!empty) {
    const put = async (id: string, markdown: string) => {
      const res = await call({ method: 'PUT', url: `/v1/articles/${id}`, headers: auth('writer'), payload: { markdown } });
      if (res.status !== 200) throw new Error(`seeding ${id}: ${res.body}`);
    };
    await put('card-refunds', refundArticle);
    await put('late-delivery', deliveryArticle);
    const res = await call({ method: 'POST', url: '/v1/tickets', headers: auth('writer'), payload: { tickets } });
    if (res.status !== 200) throw new Error(`seeding tickets: ${res.body}`);
  }
  return { app, kb, store, call };
}

/**
 * The hashing encoder with knobs for plumbing tests: delays on load, queries or
 * passages, and a query that throws a plain (unexpected) error.
 */
export class ScriptedEncoder extends HashingEncoder {
  loadDelayMs = 0;
  queryDelayMs = 0;
  passageDelayMs = 0;
  /** When set, only batches holding a text that contains this are delayed (a write's passages, not a read's answer units). */
  delayPassagesWith?: string;
  failQueries = false;
  loadError?: Error;

  override async load(): Promise<void> {
    if (this.loadDelayMs) await new Promise((resolve) => setTimeout(resolve, this.loadDelayMs));
    if (this.loadError) throw this.loadError;
  }

  override async embedQueries(texts: readonly string[]): Promise<Float32Array[]> {
    if (this.failQueries) throw new Error('secret internal detail /srv/answerdesk/model.bin');
    if (this.queryDelayMs) await new Promise((resolve) => setTimeout(resolve, this.queryDelayMs));
    return super.embedQueries(texts);
  }

  override async embedPassages(texts: readonly string[]): Promise<Float32Array[]> {
    const delayed = this.delayPassagesWith === undefined || texts.some((text) => text.includes(this.delayPassagesWith!));
    if (this.passageDelayMs && delayed) await new Promise((resolve) => setTimeout(resolve, this.passageDelayMs));
    return super.embedPassages(texts);
  }
}
