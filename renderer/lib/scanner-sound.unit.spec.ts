// The verdict's sounds as samples (scanner-sound.ts): the notes' pitch, length and volume, and the gap that makes a
// provisional ticket's two beeps. Playing them needs WebAudio, which Node has not; scan.e2e plays them in Chromium.
import { describe, expect, it } from 'vitest';
import { toneSamples } from './scanner-sound';

const rate = 48_000;

/** Upward zero crossings in samples [from, to): the wave's cycles. */
function cycles(samples: Float32Array, from = 0, to = samples.length) {
  let count = 0;
  for (let i = Math.max(1, from); i < to; i++)
    if ((samples[i - 1] ?? 0) < 0 && (samples[i] ?? 0) >= 0) count++;
  return count;
}

const peak = (samples: Float32Array) => samples.reduce((max, sample) => Math.max(max, Math.abs(sample)), 0);

describe('the verdict’s sounds', () => {
  it('valid: one short high beep, 880 Hz for 0.12 s', () => {
    const samples = toneSamples('green', rate);
    expect(samples.length).toBe(0.12 * rate);
    expect(cycles(samples)).toBeGreaterThanOrEqual(104);
    expect(cycles(samples)).toBeLessThanOrEqual(106);
    expect(peak(samples)).toBeCloseTo(0.15, 3);
  });

  it('provisional: two beeps of 660 Hz with a silence between them', () => {
    const samples = toneSamples('amber', rate);
    expect(samples.length).toBe(Math.ceil(0.28 * rate));
    const gap = samples.subarray(Math.round(0.1 * rate), Math.round(0.18 * rate));
    expect(peak(gap)).toBe(0);
    expect(cycles(samples, 0, 0.1 * rate)).toBeGreaterThanOrEqual(65);
    expect(cycles(samples, 0.18 * rate)).toBeGreaterThanOrEqual(65);
    expect(cycles(samples)).toBeLessThanOrEqual(133);
  });

  it('refused: a long low buzz, a 180 Hz square wave for 0.45 s', () => {
    const samples = toneSamples('red', rate);
    expect(samples.length).toBe(0.45 * rate);
    expect(samples.every((sample) => Math.abs(sample) === Math.fround(0.15))).toBe(true);
    expect(cycles(samples)).toBeGreaterThanOrEqual(80);
    expect(cycles(samples)).toBeLessThanOrEqual(81);
  });
});
