// The shell's settings, read once from the environment and the command line: which desk app to load and whether
// this device is a gate in kiosk mode. A bad value stops the shell with a sentence saying what to fix.

export type ShellConfig = {
  /** The one address the window loads: the desk app served by the sync server. */
  deskUrl: string;
  /** Its origin; the only origin the window may show, call the bridge from, or fetch from. */
  deskOrigin: string;
  /** Gate devices run full screen with no menu and no developer tools. */
  kiosk: boolean;
};

export const defaultDeskUrl = 'http://127.0.0.1:4984/';

const yes = new Set(['1', 'true', 'yes', 'on']);
const no = new Set(['', '0', 'false', 'no', 'off']);

export function shellConfig(env: Record<string, string | undefined>, argv: readonly string[]): ShellConfig {
  const desk = parseDeskUrl(env.STAGEDOOR_DESK_URL?.trim() || defaultDeskUrl);
  return { deskUrl: desk.href, deskOrigin: desk.origin, kiosk: argv.includes('--kiosk') || kioskFlag(env) };
}

function parseDeskUrl(value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`STAGEDOOR_DESK_URL is not an address: "${value}". Use one like ${defaultDeskUrl}`);
  }
  // The window never shows files or other schemes: the desk app always comes from a Stagedoor server.
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(
      `STAGEDOOR_DESK_URL must be an http or https address, such as ${defaultDeskUrl} (got "${value}")`,
    );
  }
  // Credentials in the address would be sent to the server and shown to the page; the desk has its own sign-in.
  if (url.username || url.password) {
    throw new Error('STAGEDOOR_DESK_URL must not carry a user name or password');
  }
  return url;
}

function kioskFlag(env: Record<string, string | undefined>): boolean {
  const value = (env.STAGEDOOR_KIOSK ?? '').trim().toLowerCase();
  if (yes.has(value)) return true;
  if (no.has(value)) return false;
  // A typo must not leave a gate device with a menu and developer tools, nor silently lock a desk into kiosk mode.
  throw new Error(`STAGEDOOR_KIOSK must be 1 or 0 (got "${env.STAGEDOOR_KIOSK}")`);
}
