// A keyboard-wedge barcode scanner types its code as a burst of keystrokes ending in Enter, faster than a person
// types. The reader takes keys from the whole window (no field needs the focus) and hands on a burst that ended in
// Enter; a pause longer than `gapMs` starts over, so stray keys pressed long before never join a code. A scanner types
// a key every few milliseconds; the pause allowed is generous because a busy device may stall a burst for a moment,
// and a person's typing that ends in Enter is at worst checked and refused as unreadable.
export type WedgeOptions = { gapMs?: number; minLength?: number };

export type WedgeReader = {
  /** One keystroke (KeyboardEvent.key) at `at` ms; returns the code when this key ended a burst. */
  key: (key: string, at: number) => string | undefined;
};

export function wedgeReader(options: WedgeOptions = {}): WedgeReader {
  const gapMs = options.gapMs ?? 1000;
  const minLength = options.minLength ?? 8;
  let buffer = '';
  let last = -Infinity;
  return {
    key(key, at) {
      if (at - last > gapMs) buffer = '';
      last = at;
      if (key === 'Enter') {
        const code = buffer;
        buffer = '';
        return code.length >= minLength ? code : undefined;
      }
      // Shift, Alt… arrive as keys of their own: only characters make the code.
      if (key.length === 1) buffer += key;
      return undefined;
    },
  };
}

/** Keys typed into a field are the field's, not a scan. */
export const typingInField = (target: EventTarget | null): boolean =>
  target instanceof HTMLElement &&
  (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));
