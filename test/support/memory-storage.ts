// Test support: the part of the Web Storage API the desk's keepers use (localStorage in the page), held in a Map.

export type MemoryStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem' | 'key' | 'length'> & {
  entries: Map<string, string>;
};

export function memoryStorage(entries = new Map<string, string>()): MemoryStorage {
  return {
    entries,
    getItem: (key) => entries.get(key) ?? null,
    setItem: (key, value) => void entries.set(key, value),
    removeItem: (key) => void entries.delete(key),
    key: (index) => [...entries.keys()][index] ?? null,
    get length() {
      return entries.size;
    },
  };
}
