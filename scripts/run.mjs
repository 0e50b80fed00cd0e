#!/usr/bin/env node
// The README's commands: installs what is missing, then starts Stagedoor, runs every suite, or the benchmarks.
// Plain Node with no dependencies, because it runs before `npm ci` has.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const command = process.argv[2];

function run(cmd, args, env = {}) {
  console.log(`\n▶ ${[cmd, ...args].join(' ')}`);
  const result = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  if (result.status !== 0) {
    console.error(`✖ ${cmd} ${args.join(' ')} failed (exit ${result.status ?? result.signal})`);
    process.exit(result.status ?? 1);
  }
}

/** npm ci when node_modules is missing or older than package-lock.json. */
function ensureDependencies() {
  const lock = join(root, 'package-lock.json');
  const stamp = join(root, 'node_modules', '.stagedoor-lock');
  const hash = createHash('sha256').update(readFileSync(lock)).digest('hex');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === hash) return;
  // The Electron binary is fetched separately below, so that an install never fails for want of it.
  run('npm', ['ci', '--no-audit', '--no-fund'], { ELECTRON_SKIP_BINARY_DOWNLOAD: '1' });
  run(process.execPath, ['scripts/electron.mjs', 'fetch']); // one line either way, never fails
  writeFileSync(stamp, hash);
}

/** The end-to-end suites drive Debian's Chromium; install it through apt when missing and allowed to. */
function ensureChromium() {
  if (existsSync(chromium)) return;
  if (process.getuid?.() !== 0) {
    console.error(
      `✖ ${chromium} is missing: install it (Debian: apt-get install -y chromium), then run again.`,
    );
    process.exit(1);
  }
  const install = () =>
    spawnSync('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'], { stdio: 'inherit' });
  if (install().status !== 0) {
    run('apt-get', ['update']);
    run('apt-get', ['install', '-y', '--no-install-recommends', 'chromium']);
  }
}

const chromium = '/usr/bin/chromium';

const commands = {
  start() {
    ensureDependencies();
    run('npx', ['vite', 'build', '--logLevel', 'warn']);
    run(process.execPath, ['scripts/electron.mjs', 'build']);
    run(process.execPath, ['--import', 'tsx', 'scripts/start.ts']);
  },
  test() {
    ensureDependencies();
    ensureChromium();
    run('npx', ['tsc', '--noEmit', '-p', '.']);
    run('npx', ['eslint', '--max-warnings=0', '.']);
    run('npx', ['prettier', '--check', '.']);
    run('npx', ['vitest', 'run', '--coverage']);
    run('npx', ['playwright', 'test']);
  },
  bench() {
    ensureDependencies();
    ensureChromium(); // the desk and scanner benchmarks drive it
    run(process.execPath, ['--import', 'tsx', 'bench/run.ts', ...process.argv.slice(3)]);
  },
};

if (!(command in commands)) {
  console.error(`usage: node scripts/run.mjs ${Object.keys(commands).join('|')}`);
  process.exit(2);
}
commands[command]();
