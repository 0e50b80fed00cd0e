// Builds the renderer (the desk app) into dist/renderer, which the sync server serves and the desktop shell loads.
// Two entries: the app, and the service worker at /sw.js (its scope must be the whole site).
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// `npx vite` serves the renderer with hot reload; the store and the change stream come from a running sync server.
const syncServer = process.env.STAGEDOOR_SYNC_SERVER ?? 'http://127.0.0.1:4984';

export default defineConfig({
  root: here('renderer'),
  // Relative asset URLs: the page works wherever it is served from (the sync server's root or a sub-path).
  base: './',
  plugins: [react()],
  server: { proxy: { '/couch': syncServer, '/api': syncServer } },
  build: {
    outDir: here('dist/renderer'),
    emptyOutDir: true,
    // The service worker precaches what the manifest lists.
    manifest: 'manifest.json',
    chunkSizeWarningLimit: 2_000,
    rolldownOptions: {
      input: { index: here('renderer/index.html'), sw: here('renderer/sw.ts') },
      output: {
        entryFileNames: (chunk) => (chunk.name === 'sw' ? 'sw.js' : 'assets/[name]-[hash].js'),
      },
    },
  },
});
