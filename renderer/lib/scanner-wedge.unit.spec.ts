// The keyboard wedge: a fast burst ending in Enter is a code; slow typing and short bursts are not.
import { describe, expect, it } from 'vitest';
import { wedgeReader } from './scanner-wedge';

const burst = (reader: ReturnType<typeof wedgeReader>, text: string, start: number, stepMs: number) => {
  let result: string | undefined;
  [...text, 'Enter'].forEach((key, i) => {
    result = reader.key(key, start + i * stepMs) ?? result;
  });
  return result;
};

describe('the keyboard-wedge reader', () => {
  it('hands on a fast burst ending in Enter, ignoring modifier keys', () => {
    const reader = wedgeReader();
    expect(burst(reader, 'SD1.abc.def', 1000, 5)).toBe('SD1.abc.def');
    expect(reader.key('Shift', 2000)).toBeUndefined();
    expect(burst(reader, 'SD1.second', 2001, 5)).toBe('SD1.second');
  });

  it('starts over after a pause, so a person typing slowly makes no code', () => {
    const reader = wedgeReader({ gapMs: 80 });
    expect(burst(reader, 'SD1.slowly', 0, 200)).toBeUndefined();
    reader.key('x', 10_000);
    expect(burst(reader, 'SD1.fast-one', 10_500, 3)).toBe('SD1.fast-one');
  });

  it('ignores a burst too short to be a code (a stray Enter)', () => {
    expect(burst(wedgeReader(), 'ab', 0, 1)).toBeUndefined();
  });
});
