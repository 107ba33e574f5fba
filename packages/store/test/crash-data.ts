// Deterministic snapshot contents shared by crash.test.ts and crash-child.ts,
// so the parent can check that what it loads is one whole generation.
import type { SnapshotMeta } from '@answerdesk/store';

const MB = 1024 * 1024;
const SIZES = [6 * MB, 6 * MB, 6 * MB, 1024];

export function crashMeta(generation: number): SnapshotMeta {
  return { modelId: `model-gen-${generation}`, dimension: 384, counts: { generation } };
}

export function crashFiles(generation: number): Array<{ name: string; data: Buffer }> {
  return SIZES.map((size, i) => ({ name: `part-${i}.bin`, data: Buffer.alloc(size).fill(`gen${generation}-part${i}|`) }));
}
