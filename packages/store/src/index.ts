export { SnapshotStore, FORMAT_VERSION, type Manifest, type SnapshotMeta, type SnapshotFile, type Snapshot, type SaveOptions, type LoadOptions } from './snapshot.js';
export { Journal } from './journal.js';
export { WriteAheadLog, walName, type WalRecord, type WalContents } from './wal.js';
export { WriterLock } from './lock.js';
export { checkStoreDir } from './store-dir.js';
