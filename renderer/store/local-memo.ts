// What the desk keeps beside its log in the page's localStorage (the write journal, the pulls' positions): written
// synchronously, and held by the browser process once set.

/** The part of the Web Storage API the keepers use. */
export type LocalMemo = Pick<Storage, 'getItem' | 'setItem' | 'removeItem' | 'key' | 'length'>;

/** The keys that start with `prefix`, listed before any is removed (removing one renumbers the rest). */
export function keysStartingWith(memo: LocalMemo, prefix: string): string[] {
  const keys: string[] = [];
  for (let i = 0; i < memo.length; i++) {
    const key = memo.key(i);
    if (key?.startsWith(prefix)) keys.push(key);
  }
  return keys;
}
