// Where the window may go: the desk app's own origin stays in the window, other web addresses go to the OS browser,
// everything else (files, scripts, data, custom schemes) goes nowhere. Also vets addresses handed to the OS browser.

export type NavigationDecision = 'allow' | 'deny' | 'open-externally';

const webSchemes = new Set(['http:', 'https:']);

// Longer than any link a box office shows; a huge "URL" is an attack on the OS's URL handler, not a link.
const maxExternalUrlLength = 2_048;

function parse(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

/** True when `url` is an http(s) address on the desk app's origin. */
export function isDeskOrigin(url: string | undefined, deskOrigin: string): boolean {
  if (!url) return false;
  const parsed = parse(url);
  // file:, data: and about: URLs all have the origin "null": never let two of them count as the same origin.
  return parsed !== undefined && webSchemes.has(parsed.protocol) && parsed.origin === deskOrigin;
}

/**
 * Why an address must not be handed to the OS browser, or undefined when it may. Anything but http(s) could start
 * a local program (file:, smb:, custom protocol handlers) or run script (javascript:, data:).
 */
export function externalUrlRefusal(value: unknown): string | undefined {
  if (typeof value !== 'string') return 'the address must be a string';
  if (value.length > maxExternalUrlLength)
    return `the address is longer than ${maxExternalUrlLength} characters`;
  const url = parse(value);
  if (!url) return 'the address is not a valid URL';
  if (!webSchemes.has(url.protocol))
    return `only http and https addresses open externally, not ${url.protocol}`;
  // https://bank.example@evil.example reads as one site and goes to another.
  if (url.username || url.password) return 'the address must not carry a user name or password';
  return undefined;
}

/** What to do when the page (or a link, a redirect, a window.open) wants to show `target`. */
export function navigationDecision(target: string, deskOrigin: string): NavigationDecision {
  if (isDeskOrigin(target, deskOrigin)) return 'allow';
  return externalUrlRefusal(target) === undefined ? 'open-externally' : 'deny';
}
