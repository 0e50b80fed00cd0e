// A concert starts at a wall-clock time in its venue's timezone, whatever the desk's own timezone is.

/** Minutes the zone is ahead of UTC at the instant `utcMs`. */
function offsetMinutes(utcMs: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(utcMs));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return Math.round((wall - Math.floor(utcMs / 1000) * 1000) / 60_000);
}

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * '2027-06-27T20:00' in 'Europe/Warsaw' → '2027-06-27T20:00:00+02:00' (seconds, '…T20:00:30', are kept); undefined
 * when it is not a date and time.
 */
export function zonedToIso(local: string, timeZone: string): string | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(local);
  if (!match) return undefined;
  const [y, mo, d, h, mi] = match.slice(1, 6).map(Number) as [number, number, number, number, number];
  const s = match[6] ?? '00';
  const wall = Date.UTC(y, mo - 1, d, h, mi);
  // The offset at the wall time read as UTC is a first guess; the offset at the instant it gives is the answer,
  // except within a DST change, where either side is as good.
  const offset = offsetMinutes(wall - offsetMinutes(wall, timeZone) * 60_000, timeZone);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return `${local.slice(0, 16)}:${s}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/**
 * The inverse: an instant shown as the wall-clock time of `timeZone`, in the datetime-local input's format (to the
 * minute, or with `seconds` to the second).
 */
export function isoToZoned(iso: string, timeZone: string, seconds = false): string {
  const utc = Date.parse(iso);
  const shifted = new Date(utc + offsetMinutes(utc, timeZone) * 60_000);
  const minute = `${shifted.getUTCFullYear()}-${pad(shifted.getUTCMonth() + 1)}-${pad(shifted.getUTCDate())}T${pad(shifted.getUTCHours())}:${pad(shifted.getUTCMinutes())}`;
  return seconds ? `${minute}:${pad(shifted.getUTCSeconds())}` : minute;
}

export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
