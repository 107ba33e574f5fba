// Drafts over HTTP: never published, said so, withdrawn when a published article becomes a draft again.
// Plumbing (the hashing encoder): only which sections exist is checked.
import t from 'tap';
import { article, auth, harness } from './helpers.js';

const draft = (id: string) => article(id, 'Gift wrapping', 'orders', { 'Do we wrap gifts': 'Yes, for 3 euros per parcel.' }).replace('---\n\n#', 'draft: true\n---\n\n#');

t.test('a draft is refused by PUT, left out of a publish and withdrawn if it was published', async (t) => {
  const h = await harness(t);
  const put = await h.call({ method: 'PUT', url: '/v1/articles/gift-wrapping', headers: auth('writer'), payload: { markdown: draft('gift-wrapping') } });
  t.match(put, { status: 409, json: { error: { code: 'ADK_ARTICLE_IS_DRAFT', message: /draft: true.*Remove that line/ } } }, 'PUT of a draft says why it is not published');
  t.equal(await h.kb.document('gift-wrapping#do-we-wrap-gifts'), undefined, 'and nothing is indexed');

  const published = await h.call({ method: 'PUT', url: '/v1/articles/gift-wrapping', headers: auth('writer'), payload: { markdown: draft('gift-wrapping').replace('draft: true\n', '') } });
  t.equal(published.status, 200, 'without draft: true it is published');
  t.ok(await h.kb.document('gift-wrapping#do-we-wrap-gifts'));

  const batch = await h.call({
    method: 'POST',
    url: '/v1/articles/publish',
    headers: auth('writer'),
    payload: { files: [{ path: 'gift-wrapping.md', markdown: draft('gift-wrapping') }, { path: 'late-delivery.md', markdown: article('late-delivery', 'Late delivery', 'delivery', { 'Parcel is late': 'Parcels arrive within three days.' }) }] },
  });
  t.match(batch, { status: 200, json: { drafts: ['gift-wrapping'] } }, 'a publish lists the drafts it left out');
  t.equal(await h.kb.document('gift-wrapping#do-we-wrap-gifts'), undefined, 'the article made a draft again is withdrawn');
  t.ok(await h.kb.document('late-delivery#parcel-is-late'), 'the rest is published');
});
