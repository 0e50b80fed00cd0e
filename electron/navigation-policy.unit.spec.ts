// The window shows the desk app and nothing else: other sites go to the OS browser, other schemes nowhere.
import { describe, expect, it } from 'vitest';
import { externalUrlRefusal, isDeskOrigin, navigationDecision } from './navigation-policy';

const desk = 'http://127.0.0.1:4984';

describe('navigation from the desk window', () => {
  it.each([`${desk}/`, `${desk}/sell?concert=c1`, `${desk}/#/sync`])('stays in the window for %s', (url) => {
    expect(navigationDecision(url, desk)).toBe('allow');
  });

  it.each([
    'http://evil.example/',
    'https://www.stagedoor.app/help',
    // Same host, another port or scheme: another origin, another server.
    'http://127.0.0.1:5984/_utils/',
    'https://127.0.0.1:4984/',
    'http://localhost:4984/',
  ])('sends %s to the OS browser, never into the window', (url) => {
    expect(navigationDecision(url, desk)).toBe('open-externally');
  });

  it.each([
    'file:///etc/passwd',
    'file:///opt/stagedoor/index.html',
    'javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'about:blank',
    'chrome://settings',
    'smb://fileserver/share',
    'stagedoor-custom://x',
    'https://user:pass@evil.example/',
    'not a url',
  ])('refuses %s outright', (url) => {
    expect(navigationDecision(url, desk)).toBe('deny');
  });
});

describe('the desk origin', () => {
  it('is exactly the desk app’s scheme, host and port', () => {
    expect(isDeskOrigin(`${desk}/any/path`, desk)).toBe(true);
    expect(isDeskOrigin('http://127.0.0.1:49840/', desk)).toBe(false);
    expect(isDeskOrigin(undefined, desk)).toBe(false);
    expect(isDeskOrigin('', desk)).toBe(false);
  });

  it('never matches the "null" origin of files and data', () => {
    expect(isDeskOrigin('file:///x', 'null')).toBe(false);
    expect(isDeskOrigin('data:text/html,x', 'null')).toBe(false);
  });
});

describe('addresses handed to the OS browser', () => {
  it.each(['https://www.stagedoor.app/help', 'http://venue.example/map?x=1'])('lets %s through', (url) => {
    expect(externalUrlRefusal(url)).toBeUndefined();
  });

  it.each([
    ['javascript:alert(document.cookie)', /not javascript:/],
    ['file:///C:/Windows/System32/calc.exe', /not file:/],
    ['data:text/html,hi', /not data:/],
    ['ms-msdt:/id PCWDiagnostic', /not ms-msdt:/],
    ['https://bank.example@evil.example/', /user name or password/],
    ['', /not a valid URL/],
    [`https://venue.example/${'a'.repeat(3_000)}`, /longer than/],
  ])('refuses %s', (url, reason) => {
    expect(externalUrlRefusal(url)).toMatch(reason);
  });

  it('refuses what is not a string', () => {
    expect(externalUrlRefusal(42)).toMatch(/string/);
    expect(externalUrlRefusal({ href: 'https://venue.example/' })).toMatch(/string/);
    expect(externalUrlRefusal(undefined)).toMatch(/string/);
  });
});
