// What the window's session lets through: requests only to the desk app's origin, a Content-Security-Policy on
// everything that origin serves, and only the browser permissions a box office uses.
import { isDeskOrigin } from './navigation-policy';

export type RequestDecision = 'allow' | 'cancel';

/**
 * The policy the shell adds to every response from the desk origin. Browsers enforce every policy a response
 * carries, so adding ours beside one the server may send can only tighten it. The built desk app needs nothing
 * inline and no eval; styles set from React go through the CSSOM, which style-src does not restrict. WebAssembly may
 * be compiled ('wasm-unsafe-eval': the gate's synchronous signature check, renderer/lib/ed25519.ts; JavaScript's eval
 * stays forbidden).
 */
export const deskContentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "media-src 'self' data: blob:",
  "connect-src 'self'",
  "worker-src 'self'",
  "manifest-src 'self'",
  "object-src 'none'",
  "frame-src 'none'",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join('; ');

/** Response headers with the desk policy added; responses from elsewhere (which are cancelled anyway) untouched. */
export function withContentSecurityPolicy(
  responseUrl: string,
  headers: Record<string, string[]> | undefined,
  deskOrigin: string,
): Record<string, string[]> {
  const result = { ...(headers ?? {}) };
  if (!isDeskOrigin(responseUrl, deskOrigin)) return result;
  // Header names arrive in whatever case the server used; a second key of another case would be sent twice.
  const key = Object.keys(result).find((name) => name.toLowerCase() === 'content-security-policy');
  if (key) result[key] = [...(result[key] ?? []), deskContentSecurityPolicy];
  else result['Content-Security-Policy'] = [deskContentSecurityPolicy];
  return result;
}

const pairedWebScheme: Record<string, string> = { 'ws:': 'http:', 'wss:': 'https:' };

/** Whether the session may make a request at all: the desk app's origin only, so no remote content ever loads. */
export function requestDecision(url: string, deskOrigin: string): RequestDecision {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'cancel';
  }
  if (isDeskOrigin(url, deskOrigin)) return 'allow';
  const webScheme = pairedWebScheme[parsed.protocol];
  if (webScheme) {
    // A WebSocket to the desk server itself (e.g. a dev server's live reload), with the same transport security.
    return `${webScheme}//${parsed.host}` === deskOrigin ? 'allow' : 'cancel';
  }
  // Data the page made itself, and the developer tools' own pages (disabled in kiosk mode).
  if (parsed.protocol === 'data:' || parsed.protocol === 'devtools:') return 'allow';
  if (parsed.protocol === 'blob:') return isDeskOrigin(parsed.pathname, deskOrigin) ? 'allow' : 'cancel';
  return 'cancel';
}

/**
 * Whether the desk app may have a browser permission. The camera is for scanning tickets at the gates; the
 * microphone, location, notifications, devices and the rest serve no box-office job, so they are refused.
 */
export function permissionDecision(
  permission: string,
  requestingUrl: string | undefined,
  deskOrigin: string,
  mediaTypes: readonly string[] = [],
): boolean {
  if (!isDeskOrigin(requestingUrl, deskOrigin)) return false;
  switch (permission) {
    case 'media':
      return mediaTypes.length > 0 && mediaTypes.every((type) => type === 'video');
    case 'fullscreen':
    case 'clipboard-sanitized-write':
      return true;
    default:
      return false;
  }
}
