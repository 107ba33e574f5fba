import t from 'tap';
import { EmbeddingCache, HashingEncoder, embeddingKey } from '@answerdesk/embeddings';

// Plumbing test: the hashing encoder has no notion of meaning; it only lets us count model calls.
class CountingEncoder extends HashingEncoder {
  calls: string[][] = [];
  override async embedPassages(texts: readonly string[]) {
    this.calls.push([...texts]);
    return super.embedPassages(texts);
  }
}

t.test('unchanged text is never embedded twice', async (t) => {
  const encoder = new CountingEncoder(16);
  const cache = new EmbeddingCache();
  const first = await cache.embedPassages(encoder, ['refund policy', 'delivery times', 'refund policy']);
  t.same({ embedded: first.embedded, reused: first.reused }, { embedded: 2, reused: 1 }, 'duplicates inside one call are embedded once');
  t.same(encoder.calls, [['refund policy', 'delivery times']]);
  const second = await cache.embedPassages(encoder, ['delivery times', 'gift cards']);
  t.same({ embedded: second.embedded, reused: second.reused }, { embedded: 1, reused: 1 });
  t.same(encoder.calls[1], ['gift cards']);
  t.same(Array.from(second.vectors[0]!), Array.from(first.vectors[1]!), 'the cached vector is returned');
  cache.retain([embeddingKey(encoder.id, 'gift cards')]);
  t.equal(cache.size, 1, 'retain drops keys no longer used');
});

t.test('keys depend on the model id and the exact text', async (t) => {
  t.equal(embeddingKey('m1', 'a'), embeddingKey('m1', 'a'));
  t.not(embeddingKey('m1', 'a'), embeddingKey('m2', 'a'));
  t.not(embeddingKey('m1', 'a'), embeddingKey('m1', 'a '));
});
