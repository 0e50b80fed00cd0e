// The service worker: keeps the app shell (page, scripts, styles) in a cache so that the desk opens, and sells,
// with no network at all. The event log is not here: it lives in IndexedDB, and replication talks to the network.
type ExtendableEvent = Event & { waitUntil: (promise: Promise<unknown>) => void };
type FetchEvent = ExtendableEvent & { request: Request; respondWith: (response: Promise<Response>) => void };
type ServiceWorkerScope = {
  skipWaiting: () => Promise<void>;
  clients: { claim: () => Promise<void> };
  addEventListener: ((type: 'install' | 'activate', listener: (event: ExtendableEvent) => void) => void) &
    ((type: 'fetch', listener: (event: FetchEvent) => void) => void);
};
type ManifestEntry = { file: string; css?: string[]; assets?: string[] };

const worker = self as unknown as ServiceWorkerScope;
const shell = 'stagedoor-shell';

// Every file of the build, as Vite's manifest lists them, so the shell works offline from the first visit on.
worker.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
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

const live = ['/api/', '/couch/', '/health', '/metrics'];

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
