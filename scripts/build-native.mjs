// Builds the native addons after install: hnswlib-node (the vector index) and
// better-sqlite3 (the SQLite store). pnpm's own build step cannot be pointed at the
// system's Node headers (it ignores `nodedir` from .npmrc), and without them node-gyp
// tries to download headers, which fails offline; better-sqlite3's prebuilt-binary
// download fails offline too. So both builds are denied in pnpm-workspace.yaml and
// done here from source, with the headers this machine has (no variable to set).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const addons = [
  // [package, a workspace package that depends on it, the file its build produces]
  { name: 'hnswlib-node', from: '../packages/index/package.json', file: 'build/Release/addon.node', what: 'native vector index' },
  { name: 'better-sqlite3', from: '../packages/sqlite/package.json', file: 'build/Release/better_sqlite3.node', what: 'SQLite' },
];

const env = { ...process.env };
for (const dir of ['/usr', '/usr/local']) {
  if (!env.npm_config_nodedir && existsSync(path.join(dir, 'include', 'node', 'node.h'))) env.npm_config_nodedir = dir;
}
const nodeGyp = createRequire(import.meta.url).resolve('node-gyp/bin/node-gyp.js');
const quiet = !process.stdout.isTTY || process.env.CI;

for (const addon of addons) {
  const from = new URL(addon.from, import.meta.url);
  if (!existsSync(from)) continue;
  let dir;
  try {
    dir = path.dirname(createRequire(from).resolve(`${addon.name}/package.json`));
  } catch {
    continue; // not installed (a filtered install)
  }
  const built = path.join(dir, addon.file);
  if (existsSync(built)) continue;
  console.log(`Building ${addon.name} (${addon.what}) with headers from ${env.npm_config_nodedir ?? "node-gyp's download"}...`);
  const result = spawnSync(process.execPath, [nodeGyp, 'rebuild', '--release', '--loglevel=' + (quiet ? 'warn' : 'info')], { cwd: dir, env, stdio: 'inherit' });
  // node-gyp 12 can crash while cleaning up (missing build/node_gyp_bins) after a good build: trust the addon.
  if (!existsSync(built)) {
    console.error(`${addon.name} failed to build. Install python3, make and g++, and Node headers (e.g. Debian: nodejs-dev / libnode-dev), then run \`pnpm install\` again.`);
    process.exit(result.status ?? 1);
  }
}
