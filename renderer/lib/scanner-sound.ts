// The verdict's sound, so the person at the gate need not look: one short high beep for valid, two for a
// provisional ticket, a long low buzz for a refusal. WebAudio, made on the spot (no sound files to load offline).
type Tone = 'green' | 'amber' | 'red';

let context: AudioContext | undefined;

export function beep(tone: Tone): void {
  try {
    context ??= new AudioContext();
    const audio = context;
    const at = audio.currentTime;
    const notes: [number, number, number][] =
      tone === 'green'
        ? [[880, 0, 0.12]]
        : tone === 'amber'
          ? [
              [660, 0, 0.1],
              [660, 0.18, 0.1],
            ]
          : [[180, 0, 0.45]];
    for (const [frequency, start, length] of notes) {
      const oscillator = audio.createOscillator();
      const gain = audio.createGain();
      oscillator.type = tone === 'red' ? 'square' : 'sine';
      oscillator.frequency.value = frequency;
      gain.gain.value = 0.15;
      oscillator.connect(gain).connect(audio.destination);
      oscillator.start(at + start);
      oscillator.stop(at + start + length);
    }
  } catch {
    // No audio on this device: the screen still shows the verdict.
  }
}
