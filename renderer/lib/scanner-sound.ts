// The verdict's sound, so the person at the gate need not look: one short high beep for valid, two for a
// provisional ticket, a long low buzz for a refusal. WebAudio, made on the spot (no sound files to load offline).
//
// Each tone's samples are made once, at its first use, and a beep plays them with one node: the beep is played in the
// key's handler, before the verdict's frame, and building oscillators and gains for each (two to four nodes) took
// 0.13 ms of it (bench/scan.bench.ts, CPU profile). In Chromium 150 a beep took 12–46 µs this way, 31–107 µs the
// other (3,000 beeps, three rounds).
export type Tone = 'green' | 'amber' | 'red';

/** Each tone's notes: frequency (Hz), start and length (s). */
const sounds: Record<Tone, { wave: 'sine' | 'square'; notes: [number, number, number][] }> = {
  green: { wave: 'sine', notes: [[880, 0, 0.12]] },
  amber: {
    wave: 'sine',
    notes: [
      [660, 0, 0.1],
      [660, 0.18, 0.1],
    ],
  },
  red: { wave: 'square', notes: [[180, 0, 0.45]] },
};

const volume = 0.15;

let context: AudioContext | undefined;
const buffers = new Map<Tone, AudioBuffer>();

/** A tone's samples at `rate` per second: each note's wave at the tone's volume, silence between notes. */
export function toneSamples(tone: Tone, rate: number): Float32Array<ArrayBuffer> {
  const { wave, notes } = sounds[tone];
  const end = Math.max(...notes.map(([, start, length]) => start + length));
  const samples = new Float32Array(Math.ceil(end * rate));
  for (const [frequency, start, length] of notes) {
    const last = Math.min(samples.length, Math.round((start + length) * rate));
    for (let i = Math.round(start * rate); i < last; i++) {
      const cycles = ((i / rate - start) * frequency) % 1;
      samples[i] = volume * (wave === 'sine' ? Math.sin(2 * Math.PI * cycles) : cycles < 0.5 ? 1 : -1);
    }
  }
  return samples;
}

function toneBuffer(audio: BaseAudioContext, tone: Tone): AudioBuffer {
  const made = buffers.get(tone);
  if (made) return made;
  const samples = toneSamples(tone, audio.sampleRate);
  const buffer = audio.createBuffer(1, samples.length, audio.sampleRate);
  buffer.copyToChannel(samples, 0);
  buffers.set(tone, buffer);
  return buffer;
}

export function beep(tone: Tone): void {
  try {
    // Made at the first beep, in a key's handler: a context made before any gesture would start suspended.
    context ??= new AudioContext();
    const source = context.createBufferSource();
    source.buffer = toneBuffer(context, tone);
    source.connect(context.destination);
    source.start();
  } catch {
    // No audio on this device: the screen still shows the verdict.
  }
}
