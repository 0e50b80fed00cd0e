#!/usr/bin/env node
// The desktop shell's build and launch: bundles electron/ for Electron, opens the desk window where the Electron
// binary exists, and fetches that binary where the network allows. Plain Node; esbuild comes with vite and tsx.
//
//   node scripts/electron.mjs build                  → dist/electron/main.cjs and dist/electron/preload.cjs
//   node scripts/electron.mjs launch [--kiosk] [url] → the desk window on url (default $STAGEDOOR_DESK_URL)
//   node scripts/electron.mjs fetch                  → tries to download the Electron binary; never fails
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));

export const outDir = join(root, 'dist', 'electron');
export const defaultDeskUrl = 'http://127.0.0.1:4984/';

/** Bundles the main process and the preload into CommonJS files that need nothing but Electron at run time. */
export async function buildShell() {
  const { build } = await import('esbuild');
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  // Stale bundles from an earlier layout must not end up in a package.
  rmSync(outDir, { recursive: true, force: true });
  const result = await build({
    absWorkingDir: root,
    entryPoints: { main: 'electron/main.ts', preload: 'electron/preload.ts' },
    outdir: relative(root, outDir),
    outExtension: { '.js': '.cjs' },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    // Electron 41 runs Node 24 and Chromium 146; these targets leave modern syntax alone.
    target: ['node22', 'chrome130'],
    external: ['electron'],
    sourcemap: true,
    define: { __STAGEDOOR_VERSION__: JSON.stringify(version) },
    metafile: true,
    logLevel: 'warning',
  });
  // A sandboxed preload can require 'electron' and nothing else: anything more fails only when the window opens.
  const preload = result.metafile.outputs[relative(root, join(outDir, 'preload.cjs')).split('\\').join('/')];
  const strays = (preload?.imports ?? [])
    .filter((entry) => entry.path !== 'electron')
    .map((entry) => entry.path);
  if (strays.length > 0) {
    throw new Error(`the preload may import only 'electron', but its bundle requires: ${strays.join(', ')}`);
  }
  return { main: join(outDir, 'main.cjs'), preload: join(outDir, 'preload.cjs') };
}

/** The Electron executable when its binary has been downloaded, else undefined (require throws or names nothing). */
export function electronBinary() {
  try {
    // A failed require is not cached, and after `fetch` the path must be looked up afresh.
    delete require.cache[require.resolve('electron')];
    const path = require('electron');
    return typeof path === 'string' && existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Opens the desk window: builds the shell and starts Electron on it. Where that can't happen it prints one line
 * saying where to open the desk app instead, and returns undefined; otherwise it returns the Electron process.
 */
export async function launchShell({
  url = process.env.STAGEDOOR_DESK_URL || defaultDeskUrl,
  kiosk = false,
} = {}) {
  const binary = electronBinary();
  if (!binary) {
    console.log(`Electron is not installed here (no binary downloaded); open ${url} in a browser.`);
    return undefined;
  }
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    console.log(`Electron can't open a window here (no display); open ${url} in a browser.`);
    return undefined;
  }
  // Chromium refuses to run as root unless its sandbox is switched off, and the shell never switches it off.
  if (process.platform === 'linux' && process.getuid?.() === 0) {
    console.log(
      `Electron won't run as root with its sandbox on; open ${url} in a browser, or start as a normal user.`,
    );
    return undefined;
  }
  await buildShell();
  const env = { ...process.env, STAGEDOOR_DESK_URL: url, ...(kiosk ? { STAGEDOOR_KIOSK: '1' } : {}) };
  // Set by some editors' terminals; it would make Electron run main.cjs as plain Node, without a window.
  delete env.ELECTRON_RUN_AS_NODE;
  return spawn(binary, [join(outDir, 'main.cjs')], { cwd: root, stdio: 'inherit', env });
}

/**
 * Downloads the Electron binary with the electron package's own installer, giving up after timeoutMs. Installs
 * skip the download (ELECTRON_SKIP_BINARY_DOWNLOAD) so that they never fail offline; this is where it is caught
 * up where the network allows. Prints one line and resolves to whether the binary is there; never rejects.
 */
export async function fetchElectron({
  timeoutMs = 60_000,
  installScript = join(root, 'node_modules', 'electron', 'install.js'),
} = {}) {
  if (electronBinary()) return true;
  if (!existsSync(installScript)) {
    console.log(
      `Electron binary not downloaded (no installer at ${installScript}); Stagedoor runs in a browser instead.`,
    );
    return false;
  }
  // The installer exits at once, downloading nothing, when it finds the skip flag the install was run with.
  const env = { ...process.env };
  delete env.ELECTRON_SKIP_BINARY_DOWNLOAD;
  const reason = await new Promise((resolve) => {
    let stderr = '';
    let child;
    try {
      child = spawn(process.execPath, [installScript], {
        cwd: dirname(installScript),
        env,
        stdio: ['ignore', 'ignore', 'pipe'],
      });
    } catch (error) {
      resolve(error instanceof Error ? error.message : String(error));
      return;
    }
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve(`no answer within ${Math.round(timeoutMs / 1000)} s`);
    }, timeoutMs);
    child.stderr.on('data', (chunk) => {
      stderr = (stderr + chunk).slice(0, 8_000);
    });
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve(error.message);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      // The installer prints a stack: the line naming the error says more than the frames or Node's preamble.
      const lines = stderr.split('\n').map((line) => line.trim());
      const summary = lines.find((line) => /^[\w.]*Error\b/.test(line)) ?? lines.find((line) => line !== '');
      resolve(code === 0 ? undefined : (summary ?? `the installer stopped (${code ?? signal})`));
    });
  });
  const binary = electronBinary();
  if (binary) {
    console.log(`Electron binary ready: ${relative(root, binary)}`);
    return true;
  }
  console.log(
    `Electron binary not downloaded (${reason ?? 'the installer left no binary'}); Stagedoor runs in a browser instead.`,
  );
  return false;
}

async function cli(args) {
  const [command, ...rest] = args;
  switch (command) {
    case 'build': {
      const { main, preload } = await buildShell();
      console.log(`Built ${relative(root, main)} and ${relative(root, preload)}`);
      return 0;
    }
    case 'launch': {
      const url = rest.find((arg) => !arg.startsWith('--'));
      const child = await launchShell({ ...(url ? { url } : {}), kiosk: rest.includes('--kiosk') });
      if (!child) return 0;
      return await new Promise((resolve) => {
        child.on('error', (error) => {
          console.error(`Electron did not start: ${error.message}`);
          resolve(1);
        });
        child.on('exit', (code) => resolve(code ?? 1));
      });
    }
    case 'fetch':
      try {
        await fetchElectron();
      } catch (error) {
        console.log(
          `Electron binary not downloaded (${error instanceof Error ? error.message : String(error)}).`,
        );
      }
      return 0;
    default:
      console.error('usage: node scripts/electron.mjs build | launch [--kiosk] [desk-url] | fetch');
      return 2;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  cli(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error) => {
      console.error(`scripts/electron.mjs: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
}
