// Two service processes on one PostgreSQL knowledge base: ten PUTs of different articles sent at
// once, half to each server, all succeed, and each server then serves all ten. On PGlite (one
// serialized connection shared by both servers) and on the server named by
// ANSWERDESK_TEST_DATABASE_URL (a connection pool per server: real concurrent transactions).
// HashingEncoder: a deterministic embedder with no notion of meaning; these are claims about writes.
import t from 'tap';
import { HashingEncoder } from '@answerdesk/core';
import { createServer } from '@answerdesk/server';
import { dropAfter, eachTarget, uniqueTenant } from './databases.js';
import { markdown } from './fixtures.js';

const SECRET = 'contract-writer-0123456789abcdef';

eachTarget(t, async (t, target) => {
  t.test('ten concurrent PUTs of different articles through two servers all succeed', async (t) => {
    const knowledgeBase = uniqueTenant('puts');
    const servers: Array<Awaited<ReturnType<typeof createServer>>> = [];
    for (let i = 0; i < 2; i++) {
      const db = await target.connection(t);
      const server = await createServer({
        database: { database: db, knowledgeBase },
        encoder: new HashingEncoder(),
        keys: [{ name: 'writer', key: SECRET, scopes: ['read', 'write'] }],
        rateLimit: false,
        page: false,
      });
      t.teardown(() => server.close());
      await server.answerdesk.ready();
      servers.push(server);
      if (i === 0) dropAfter(t, db, knowledgeBase);
    }
    const put = (i: number) =>
      servers[i % 2]!.inject({
        method: 'PUT',
        url: `/v1/articles/article-${i}`,
        headers: { authorization: `Bearer ${SECRET}` },
        payload: { markdown: markdown({ id: `article-${i}`, title: `Article ${i}`, category: 'help', sections: { [`Section ${i}`]: `What article ${i} says about topic number ${i}.` } }) },
      });
    const replies = await Promise.all(Array.from({ length: 10 }, (_v, i) => put(i)));
    t.same(replies.map((r) => r.statusCode), Array(10).fill(200), replies.filter((r) => r.statusCode !== 200).map((r) => r.body).join('\n'));
    for (const [n, server] of servers.entries()) {
      const ready = (await server.inject({ method: 'GET', url: '/v1/ready', headers: { authorization: `Bearer ${SECRET}` } })).json() as { articles: number };
      t.equal(ready.articles, 10, `server ${n + 1} serves all ten articles`);
    }
  });
});
