// The service worker: keeps the app shell (page, scripts, styles) in a cache so that the desk opens, and sells,
// with no network at all. The event log is not here: it lives in IndexedDB, and replication talks to the network.
type ExtendableEvent = Event & { waitUntil: (promise: Promise<unknown>) => void };
/** Chromium 123+ routes requests that match a rule without waking the worker (the Static Routing API). */
type InstallEvent = ExtendableEvent & {
  addRoutes?: (rules: { condition: { urlPattern: string }; source: 'network' }[]) => Promise<void>;
};
type FetchEvent = ExtendableEvent & { request: Request; respondWith: (response: Promise<Response>) => void };
type ServiceWorkerScope = {
  skipWaiting: () => Promise<void>;
  clients: { claim: () => Promise<void> };
  addEventListener: ((type: 'install', listener: (event: InstallEvent) => void) => void) &
    ((type: 'activate', listener: (event: ExtendableEvent) => void) => void) &
    ((type: 'fetch', listener: (event: FetchEvent) => void) => void);
};
type ManifestEntry = { file: string; css?: string[]; assets?: string[] };

const worker = self as unknown as ServiceWorkerScope;
const shell = 'stagedoor-shell';

/** What is never cached: the store, the sync server and their health, always from the network. */
const live = ['/api/', '/couch/', '/health', '/metrics'];

// Every file of the build, as Vite's manifest lists them, so the shell works offline from the first visit on.
worker.addEventListener('install', (event) => {
  // The live requests go to the network without the worker where the browser can route them so: the fetch handler
  // below would only let them through, and a gate scanning online makes several a second (its uploads, its pulls,
  // its change stream), each of which would wake the worker. Elsewhere the handler lets them through as before.
  event.waitUntil(
    (async () => {
      try {
        await event.addRoutes?.(
          live.map((path) => ({ condition: { urlPattern: `${path}*` }, source: 'network' })),
        );
      } catch {
        // Not routed: the handler lets them through.
      }
      const manifest = (await (await fetch('/manifest.json', { cache: 'no-store' })).json()) as Record<
        string,
        ManifestEntry
      >;
      const files = Object.values(manifest).flatMap((entry) => [
        entry.file,
        ...(entry.css ?? []),
        ...(entry.assets ?? []),
      ]);
      const cache = await caches.open(shell);
      await cache.addAll([
        '/',
        ...new Set(files.filter((file) => file !== 'sw.js').map((file) => `/${file}`)),
      ]);
      await worker.skipWaiting();
    })(),
  );
});

worker.addEventListener('activate', (event) => event.waitUntil(worker.clients.claim()));

worker.addEventListener('fetch', (event) => {
  const { request } = event;
  const url = new URL(request.url);
  if (
    request.method !== 'GET' ||
    url.origin !== location.origin ||
    live.some((path) => url.pathname.startsWith(path))
  )
    return;
  if (request.mode === 'navigate') {
    // The page from the network when it answers (a new build), else the cached one.
    event.respondWith(
      fetch(request, { signal: AbortSignal.timeout(3_000) })
        .then(async (response) => {
          if (response.ok) await (await caches.open(shell)).put('/', response.clone());
          return response;
        })
        .catch(async () => (await caches.match('/')) ?? Response.error()),
    );
    return;
  }
  // Built files have hashed names and never change: the cache first.
  event.respondWith(
    caches.match(request).then(
      async (hit) =>
        hit ??
        fetch(request).then(async (response) => {
          if (response.ok) await (await caches.open(shell)).put(request, response.clone());
          return response;
        }),
    ),
  );
});
