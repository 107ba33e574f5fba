// Builds hnswlib-node's native addon after install. pnpm's own build step cannot be
// pointed at the system's Node headers (it ignores `nodedir` from .npmrc), and without
// them node-gyp tries to download headers, which fails offline. So the build is denied
// in pnpm-workspace.yaml and done here, with the headers this machine has.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const requireFromIndex = createRequire(new URL('../packages/index/package.json', import.meta.url));
const hnswDir = path.resolve(path.dirname(requireFromIndex.resolve('hnswlib-node')), '..');
const addon = path.join(hnswDir, 'build', 'Release', 'addon.node');
if (existsSync(addon)) process.exit(0);

const env = { ...process.env };
for (const dir of ['/usr', '/usr/local']) {
  if (!env.npm_config_nodedir && existsSync(path.join(dir, 'include', 'node', 'node.h'))) env.npm_config_nodedir = dir;
}
const nodeGyp = createRequire(import.meta.url).resolve('node-gyp/bin/node-gyp.js');
const quiet = !process.stdout.isTTY || process.env.CI;
console.log(`Building hnswlib-node (native vector index) with headers from ${env.npm_config_nodedir ?? 'node-gyp\'s download'}...`);
const result = spawnSync(process.execPath, [nodeGyp, 'rebuild', '--loglevel=' + (quiet ? 'warn' : 'info')], { cwd: hnswDir, env, stdio: 'inherit' });
// node-gyp 12 can crash while cleaning up (missing build/node_gyp_bins) after a good build: trust the addon.
if (!existsSync(addon)) {
  console.error('hnswlib-node failed to build. Install python3, make and g++, and Node headers (e.g. Debian: nodejs-dev / libnode-dev), then run `pnpm install` again.');
  process.exit(result.status ?? 1);
}
