// What a scanner is bound to: one concert, one gate, entry or exit. Chosen on the scan screen and remembered on the
// device (localStorage), so a restart, offline, is ready to scan at once.
import type { ScanDirection } from '../../domain/ticket/events';

export type ScannerBinding = { concertId: string; gate: string; direction: ScanDirection };

const storageKey = 'stagedoor.scanner';

export function loadBinding(): ScannerBinding | undefined {
  try {
    const raw = localStorage.getItem(storageKey);
    const parsed = raw ? (JSON.parse(raw) as Partial<ScannerBinding>) : undefined;
    if (parsed?.concertId && parsed.gate && (parsed.direction === 'entry' || parsed.direction === 'exit'))
      return { concertId: parsed.concertId, gate: parsed.gate, direction: parsed.direction };
  } catch {
    // unreadable settings: bind the scanner again
  }
  return undefined;
}

export function saveBinding(binding: ScannerBinding | undefined): void {
  if (binding) localStorage.setItem(storageKey, JSON.stringify(binding));
  else localStorage.removeItem(storageKey);
}
