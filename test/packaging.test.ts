// The library outside this repository: every package is packed with `pnpm pack` (which turns
// `workspace:*` into real versions), the tarballs are installed with plain npm into a fresh
// project under os.tmpdir() (no workspace, no pnpm, no `answerdesk-source` condition, no
// devDependencies), and there the README's library example runs as written, the `answerdesk`
// command answers from the store it made, every entry point loads, and the example and the
// entry points type-check against the installed declarations.
//
// Third-party packages come from the registry (or npm's cache: --prefer-offline). npm runs
// no install scripts here: the only two, the native addons hnswlib-node and better-sqlite3,
// get the binaries this workspace already built for this Node when their versions match
// (a from-source build takes minutes on a small machine), or are built by `npm rebuild`.
// ANSWERDESK_PACKAGING_NATIVE=build installs exactly as a user does, install scripts included.
// Each command has its own time limit; the whole file stays within tap's `timeout` (package.json).
import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';

const repoRoot = fileURLToPath(new URL('../', import.meta.url));
const buildNative = process.env.ANSWERDESK_PACKAGING_NATIVE === 'build';

/** What `pnpm pack --json` reports for one package. */
interface Packed {
  name: string;
  version: string;
  filename: string;
  files: Array<{ path: string }>;
  manifest: Manifest;
}

interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  main?: string;
  types?: string;
  bin?: Record<string, string>;
  exports?: Record<string, string | Record<string, string>>;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

/**
 * The environment of every command: the test runner's NODE_OPTIONS (tsx, the
 * answerdesk-source condition) must not reach the fresh project, which is the point.
 */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, npm_config_update_notifier: 'false', ...extra };
  delete env.NODE_OPTIONS;
  return env;
}

interface Ran {
  /** Exit code; with `allowFailure` only, a run that fails resolves too. */
  code: number;
  stdout: string;
  stderr: string;
  seconds: number;
}

/** Runs a command; a failure says which command, where, after how long, and what it printed. */
function run(file: string, args: readonly string[], options: { cwd: string; timeoutS: number; env?: NodeJS.ProcessEnv; allowFailure?: boolean }): Promise<Ran> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    execFile(
      file,
      args,
      { cwd: options.cwd, env: options.env ?? cleanEnv(), timeout: options.timeoutS * 1000, killSignal: 'SIGKILL', maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const seconds = (performance.now() - started) / 1000;
        if (!error) return resolve({ code: 0, stdout, stderr, seconds });
        if (options.allowFailure && !error.killed && typeof error.code === 'number') return resolve({ code: error.code, stdout, stderr, seconds });
        const what = `\`${[path.basename(file), ...args.map((a) => (a.length > 80 ? `${a.slice(0, 77)}...` : a))].join(' ')}\` in ${options.cwd}`;
        const how = error.killed ? `was killed after the ${options.timeoutS} s limit` : `failed (${error.code ?? error.message}) after ${seconds.toFixed(1)} s`;
        reject(new Error(`${what} ${how}\n--- stdout (end)\n${stdout.slice(-4000)}\n--- stderr (end)\n${stderr.slice(-4000)}`));
      },
    );
  });
}

/** The first ```js block of the README's "As a library" section, verbatim (fences are tracked: the example's markdown has headings too). */
function readmeExample(): string {
  const lines = readFileSync(path.join(repoRoot, 'README.md'), 'utf8').split('\n');
  let inSection = false;
  let fence: string | undefined; // the info string of the open fence
  let code: string[] | undefined;
  for (const line of lines) {
    if (fence === undefined && line.startsWith('```')) {
      fence = line.slice(3).trim();
      if (inSection && fence === 'js' && code === undefined) code = [];
      continue;
    }
    if (fence !== undefined) {
      if (line.startsWith('```')) {
        if (inSection && fence === 'js' && code !== undefined) return `${code.join('\n')}\n`;
        fence = undefined;
      } else if (inSection && fence === 'js') code?.push(line);
      continue;
    }
    if (/^## /.test(line)) {
      if (inSection) break;
      inSection = line.trim() === '## As a library';
    }
  }
  throw new Error(inSection ? 'The "As a library" section of README.md has no ```js code block' : 'README.md has no "## As a library" section');
}

/** Workspace packages that get published: packages/* not marked private. */
function publishedPackages(): Array<{ dir: string; name: string }> {
  const root = path.join(repoRoot, 'packages');
  return readdirSync(root)
    .filter((dir) => existsSync(path.join(root, dir, 'package.json')))
    .map((dir) => ({ dir: path.join(root, dir), manifest: JSON.parse(readFileSync(path.join(root, dir, 'package.json'), 'utf8')) as Manifest }))
    .filter(({ manifest }) => !manifest.private)
    .map(({ dir, manifest }) => ({ dir, name: manifest.name }));
}

/** Files below `dir`, relative to it, with `/` separators. */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => statSync(path.join(dir, file)).isFile())
    .map((file) => file.split(path.sep).join('/'));
}

/** Every file a manifest points at for Node and TypeScript (the `answerdesk-source` condition is for this workspace only). */
function manifestTargets(manifest: Manifest): string[] {
  const targets = [manifest.main, manifest.types, ...Object.values(manifest.bin ?? {})];
  for (const entry of Object.values(manifest.exports ?? {})) {
    if (typeof entry === 'string') targets.push(entry);
    else for (const [condition, target] of Object.entries(entry)) if (condition !== 'answerdesk-source') targets.push(target);
  }
  return [...new Set(targets.filter((target): target is string => target !== undefined).map((target) => target.replace(/^\.\//, '')))];
}

/** Import specifiers of every entry point of a manifest: `@answerdesk/core`, `@answerdesk/core/postgres`… */
function entryPoints(manifest: Manifest): string[] {
  return Object.keys(manifest.exports ?? { '.': '' }).map((key) => (key === '.' ? manifest.name : `${manifest.name}/${key.replace(/^\.\//, '')}`));
}

t.test('the packages install from their tarballs with npm, and the README library example runs there', async (t) => {
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'answerdesk-packaging-'));
  t.teardown(() => rm(tmp, { recursive: true, force: true }));
  const packs = path.join(tmp, 'packs');
  const app = path.join(tmp, 'app');
  await mkdir(app);

  // 1. Pack. verify-deps-before-run off: packing must never start an install of the workspace.
  const pack = await run('pnpm', ['-r', 'pack', '--pack-destination', packs, '--json'], {
    cwd: repoRoot,
    timeoutS: 120,
    env: cleanEnv({ pnpm_config_verify_deps_before_run: 'false' }),
  });
  const packed = JSON.parse(pack.stdout) as Packed[];
  t.comment(`pnpm -r pack: ${packed.length} tarballs in ${pack.seconds.toFixed(1)} s`);
  const published = publishedPackages();
  t.same(packed.map((p) => p.name).sort(), published.map((p) => p.name).sort(), 'one tarball per published package');
  const versions = new Map(packed.map((p) => [p.name, p.version]));

  for (const { name, files, manifest } of packed) {
    const inTarball = new Set(files.map((file) => file.path));
    const problems: string[] = [];
    for (const target of manifestTargets(manifest)) if (!inTarball.has(target)) problems.push(`${target} is named in package.json but not in the tarball`);
    for (const [dep, spec] of Object.entries({ ...manifest.dependencies, ...manifest.peerDependencies })) {
      if (spec.startsWith('workspace:')) problems.push(`dependency ${dep} is still ${spec}`);
      else if (versions.has(dep) && spec !== versions.get(dep)) problems.push(`dependency ${dep} is ${spec}, the packed one is ${versions.get(dep)}`);
    }
    for (const file of inTarball) if (/(^|\/)(test|node_modules)\/|\.tsbuildinfo$/.test(file)) problems.push(`${file} should not be published`);
    // dist must be built from the current src, and hold nothing else (tsc -b never removes the output of a deleted file).
    const dir = published.find((p) => p.name === name)!.dir;
    const sources = filesUnder(path.join(dir, 'src')).filter((file) => /(?<!\.d)\.ts$/.test(file));
    for (const source of sources) {
      for (const built of [source.replace(/\.ts$/, '.js'), source.replace(/\.ts$/, '.d.ts')]) if (!inTarball.has(`dist/${built}`)) problems.push(`dist/${built} is missing: run \`pnpm build\``);
    }
    const sourceSet = new Set(sources.map((file) => file.replace(/\.ts$/, '')));
    for (const file of inTarball) {
      const stem = /^dist\/(.*?)(\.d)?\.(js|ts)(\.map)?$/.exec(file)?.[1];
      if (stem !== undefined && !sourceSet.has(stem)) problems.push(`${file} has no source in src/ (left from a deleted file?): remove ${path.relative(repoRoot, path.join(dir, 'dist'))} and run \`pnpm build\``);
    }
    t.same(problems, [], `${name}: the tarball is complete and its package.json points into it`);
  }

  // 2. Install every tarball into a project of its own, as a user would (plain npm, no lockfile of ours).
  await writeFile(path.join(app, 'package.json'), `${JSON.stringify({ name: 'answerdesk-packaging-check', version: '1.0.0', private: true }, null, 2)}\n`);
  const tarballs = packed.map((p) => p.filename);
  const install = await run(
    'npm',
    ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', ...(buildNative ? [] : ['--ignore-scripts']), ...tarballs],
    { cwd: app, timeoutS: 240 },
  );
  t.comment(`npm install${buildNative ? '' : ' --ignore-scripts'}: ${install.seconds.toFixed(1)} s`);
  const lock = JSON.parse(await readFile(path.join(app, 'package-lock.json'), 'utf8')) as { packages: Record<string, { resolved?: string }> };
  const fromRegistry = Object.entries(lock.packages).filter(([at, entry]) => /node_modules\/@answerdesk\//.test(at) && !entry.resolved?.startsWith('file:'));
  t.same(fromRegistry.map(([at]) => at), [], 'every @answerdesk package comes from its tarball, none from a registry');

  if (!buildNative) {
    const rebuild: string[] = [];
    for (const addon of [
      { name: 'hnswlib-node', user: '@answerdesk/index', workspace: 'packages/index/package.json' },
      { name: 'better-sqlite3', user: '@answerdesk/sqlite', workspace: 'packages/sqlite/package.json' },
    ]) {
      // The copy the installed package loads, and the one this workspace built.
      const installed = path.dirname(createRequire(path.join(app, 'node_modules', addon.user, 'package.json')).resolve(`${addon.name}/package.json`));
      let built: string | undefined;
      try {
        built = path.dirname(createRequire(path.join(repoRoot, addon.workspace)).resolve(`${addon.name}/package.json`));
      } catch {
        built = undefined;
      }
      const versionOf = (dir: string) => (JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as Manifest).version;
      const binaries = built ? (existsSync(path.join(built, 'build', 'Release')) ? await readdir(path.join(built, 'build', 'Release')) : []).filter((f) => f.endsWith('.node')) : [];
      if (!built || binaries.length === 0 || versionOf(built) !== versionOf(installed)) {
        rebuild.push(addon.name);
        continue;
      }
      await mkdir(path.join(installed, 'build', 'Release'), { recursive: true });
      for (const binary of binaries) await copyFile(path.join(built, 'build', 'Release', binary), path.join(installed, 'build', 'Release', binary));
    }
    if (rebuild.length > 0) {
      // Their own install scripts; node-gyp finds this machine's Node headers (no download) like scripts/build-native.mjs.
      const nodedir = ['/usr', '/usr/local'].find((dir) => existsSync(path.join(dir, 'include', 'node', 'node.h')));
      const rebuilt = await run('npm', ['rebuild', ...rebuild], { cwd: app, timeoutS: 240, env: cleanEnv(nodedir && !process.env.npm_config_nodedir ? { npm_config_nodedir: nodedir } : {}) });
      t.comment(`npm rebuild ${rebuild.join(' ')}: ${rebuilt.seconds.toFixed(1)} s`);
    } else {
      t.comment('native addons: the binaries this workspace built (same versions)');
    }
  }

  // 3. The README's example, verbatim, as an ES module.
  const example = readmeExample();
  t.match(example, /from '@answerdesk\/core'/, 'the README example imports @answerdesk/core');
  await writeFile(path.join(app, 'example.mjs'), example);
  const ran = await run(process.execPath, ['example.mjs'], { cwd: app, timeoutS: 120 });
  t.comment(`node example.mjs: ${ran.seconds.toFixed(1)} s`);
  const lines = ran.stdout.trimEnd().split('\n');
  t.match(lines[0], /^answered deliveries#tracking-says-delivered-but-the-parcel-is-not-there (high|medium)$/, 'the question is answered from the delivery article, with its source and confidence');
  t.match(ran.stdout, 'we open a claim with the courier and send a replacement', 'the answer is the section that answers');
  t.equal(lines.at(-1), "billing normal billing [ 'money' ]", 'the message is categorized as billing and routed by the rule');
  t.ok(existsSync(path.join(app, '.answerdesk', 'knowledge.db')), 'the store folder holds its SQLite database');

  // 4. The command line of the installed @answerdesk/cli, on the store the example made.
  const search = await run(path.join(app, 'node_modules', '.bin', 'answerdesk'), ['search', 'the parcel was delivered but never arrived', '--k', '1', '--json'], { cwd: app, timeoutS: 120 });
  const hits = (JSON.parse(search.stdout) as { hits: Array<{ id: string }> }).hits;
  t.equal(hits[0]?.id, 'deliveries#tracking-says-delivered-but-the-parcel-is-not-there', 'the answerdesk command finds the article in the store');

  // 5. Every entry point of every package loads in plain Node (no dev dependencies, no source condition).
  const entries = packed.flatMap((p) => entryPoints(p.manifest));
  const load = `for (const entry of JSON.parse(process.argv[1])) { const module = await import(entry); if (Object.keys(module).length === 0) throw new Error(entry + ' exports nothing'); }`;
  await run(process.execPath, ['--input-type=module', '-e', load, JSON.stringify(entries)], { cwd: app, timeoutS: 120 });
  t.pass(`${entries.length} entry points load: ${entries.join(', ')}`);
  // @xenova/transformers is an optional peer, not installed here: a Hugging Face model is then a coded error that says what to install.
  const withoutTransformers = `import { TransformersEncoder } from '@answerdesk/core'; await new TransformersEncoder({ model: 'Xenova/all-MiniLM-L6-v2' }).load().then(() => console.log('loaded'), (error) => console.log(error.code, error.message));`;
  const hf = await run(process.execPath, ['--input-type=module', '-e', withoutTransformers], { cwd: app, timeoutS: 60 });
  t.match(hf.stdout, /^ADK_ENCODER_LOAD_FAILED .*npm install @xenova\/transformers/, 'without the optional @xenova/transformers, TransformersEncoder says what to install');

  // 6. Types: the example and every entry point compile against the installed declarations,
  // declarations included (skipLibCheck off), with the workspace's TypeScript.
  await writeFile(path.join(app, 'example.mts'), example);
  await writeFile(path.join(app, 'entries.mts'), entries.map((entry, i) => `export * as entry${i} from '${entry}';\n`).join(''));
  const compilerOptions = { module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', strict: true, noEmit: true, skipLibCheck: false };
  await writeFile(path.join(app, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: ['example.mts', 'entries.mts'] }, null, 2));
  const tsc = createRequire(path.join(repoRoot, 'package.json')).resolve('typescript/bin/tsc');
  const checked = await run(process.execPath, [tsc, '-p', '.'], { cwd: app, timeoutS: 120, allowFailure: true });
  t.comment(`tsc: ${checked.seconds.toFixed(1)} s`);
  // Only errors in our declarations or in the example count: a third-party package's own types are not ours to fix.
  const errors = checked.stdout.split('\n').filter((line) => /\): error TS\d+/.test(line));
  const ours = errors.filter((line) => line.startsWith('node_modules/@answerdesk/') || !line.startsWith('node_modules/'));
  if (errors.length > ours.length) t.comment(`type errors outside Answerdesk, not counted:\n${errors.filter((line) => !ours.includes(line)).join('\n')}`);
  t.same(ours, [], 'the example and every entry point type-check against the installed declarations (skipLibCheck off)');
  if (checked.code !== 0 && errors.length === 0) t.fail(`tsc failed without a type error:\n${checked.stdout}${checked.stderr}`);
});
