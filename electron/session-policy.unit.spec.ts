// The session fetches from the desk app only, puts a Content-Security-Policy on what it serves, and grants a box
// office's permissions only.
import { describe, expect, it } from 'vitest';
import {
  deskContentSecurityPolicy,
  permissionDecision,
  requestDecision,
  withContentSecurityPolicy,
} from './session-policy';

const desk = 'http://127.0.0.1:4984';

describe('requests from the desk window', () => {
  it.each([
    `${desk}/`,
    `${desk}/assets/index-abc.js`,
    `${desk}/couch/stagedoor-catalogue/_changes?since=0`,
    `${desk}/api/changes`,
    'ws://127.0.0.1:4984/hmr',
    'data:image/png;base64,iVBORw0KGgo=',
    `blob:${desk}/4f1c6d7e-0000-4000-8000-000000000000`,
    'devtools://devtools/bundled/devtools_app.html',
  ])('lets %s through', (url) => {
    expect(requestDecision(url, desk)).toBe('allow');
  });

  it.each([
    'http://evil.example/tracker.js',
    'https://fonts.googleapis.com/css2?family=Inter',
    'http://127.0.0.1:5984/_all_dbs',
    'wss://127.0.0.1:4984/hmr',
    'ws://evil.example/socket',
    'file:///etc/passwd',
    'blob:http://evil.example/4f1c6d7e',
    'chrome-extension://abc/script.js',
    'not a url',
  ])('cancels %s', (url) => {
    expect(requestDecision(url, desk)).toBe('cancel');
  });
});

describe('the Content-Security-Policy', () => {
  it('is added to what the desk app serves', () => {
    const headers = withContentSecurityPolicy(`${desk}/`, { 'Content-Type': ['text/html'] }, desk);
    expect(headers).toEqual({
      'Content-Type': ['text/html'],
      'Content-Security-Policy': [deskContentSecurityPolicy],
    });
  });

  it('sits beside a policy the server sends, in whatever case it named it, so both apply', () => {
    const headers = withContentSecurityPolicy(
      `${desk}/`,
      { 'content-security-policy': ["img-src 'none'"] },
      desk,
    );
    expect(headers).toEqual({ 'content-security-policy': ["img-src 'none'", deskContentSecurityPolicy] });
  });

  it('leaves other responses alone', () => {
    const original = { 'Content-Type': ['text/html'] };
    expect(withContentSecurityPolicy('http://evil.example/', original, desk)).toEqual(original);
    expect(withContentSecurityPolicy(`${desk}/`, undefined, desk)).toHaveProperty('Content-Security-Policy');
  });

  it('allows no remote or inline script, no plugins, no frames and no eval (WebAssembly only)', () => {
    const directives = Object.fromEntries(
      deskContentSecurityPolicy.split('; ').map((directive) => {
        const [name = '', ...sources] = directive.split(' ');
        return [name, sources];
      }),
    );
    expect(directives['default-src']).toEqual(["'self'"]);
    expect(directives['script-src']).toEqual(["'self'", "'wasm-unsafe-eval'"]);
    expect(directives['connect-src']).toEqual(["'self'"]);
    expect(directives['object-src']).toEqual(["'none'"]);
    expect(directives['frame-src']).toEqual(["'none'"]);
    expect(directives['frame-ancestors']).toEqual(["'none'"]);
    expect(deskContentSecurityPolicy).not.toMatch(/unsafe-inline|'unsafe-eval'|https?:|\*/);
  });
});

describe('browser permissions', () => {
  it('lets the desk app use the camera, to scan tickets at a gate', () => {
    expect(permissionDecision('media', `${desk}/scan`, desk, ['video'])).toBe(true);
  });

  it('never grants the microphone', () => {
    expect(permissionDecision('media', `${desk}/scan`, desk, ['audio'])).toBe(false);
    expect(permissionDecision('media', `${desk}/scan`, desk, ['video', 'audio'])).toBe(false);
    expect(permissionDecision('media', `${desk}/scan`, desk, [])).toBe(false);
  });

  it('allows full screen and copying, and nothing else', () => {
    expect(permissionDecision('fullscreen', `${desk}/`, desk)).toBe(true);
    expect(permissionDecision('clipboard-sanitized-write', `${desk}/`, desk)).toBe(true);
    for (const permission of [
      'geolocation',
      'notifications',
      'clipboard-read',
      'openExternal',
      'hid',
      'serial',
    ]) {
      expect(permissionDecision(permission, `${desk}/`, desk)).toBe(false);
    }
  });

  it('grants nothing to a page from elsewhere', () => {
    expect(permissionDecision('media', 'http://evil.example/', desk, ['video'])).toBe(false);
    expect(permissionDecision('fullscreen', 'data:text/html,x', desk)).toBe(false);
    expect(permissionDecision('fullscreen', undefined, desk)).toBe(false);
  });
});
