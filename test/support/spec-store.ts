// Test support for integration specs: one store per spec file, and the sync servers a test starts, killed after each
// test whether it passed or not.
import { afterAll, afterEach, beforeAll } from 'vitest';
import { spawnSyncServer, startTestStore, stopProcess } from './store';
import type { SyncServerProcess, TestStore } from './store';

export type SpecStore = {
  /** The spec file's store (set before the first test). */
  readonly store: TestStore;
  /** A sync server process on the store, with a short lease so that a second instance takes over quickly. */
  syncServer: (env?: Record<string, string>) => SyncServerProcess;
};

export function useSpecStore(): SpecStore {
  let store: TestStore | undefined;
  const running: SyncServerProcess[] = [];
  beforeAll(async () => {
    store = await startTestStore();
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((server) => stopProcess(server, 'SIGKILL')));
  });
  afterAll(async () => {
    await store?.dispose();
  });
  const started = (): TestStore => {
    if (!store) throw new Error('the store starts before the first test');
    return store;
  };
  return {
    get store() {
      return started();
    },
    syncServer(env = {}) {
      // The authority's signing key is kept beside the store's credentials, not in the working copy's .stagedoor.
      const { url, dataDir } = started();
      const server = spawnSyncServer({
        COUCHDB_URL: url,
        STAGEDOOR_DATA: dataDir,
        LEASE_TTL_MS: '1500',
        ...env,
      });
      running.push(server);
      return server;
    },
  };
}
