// A second launch finds the open window; a desk app that can't be reached yet is waited for, not shown as blank.
import { describe, expect, it } from 'vitest';
import { bringToFront, retryDelayMs, shouldRetryLoad, waitingPageUrl } from './window-lifecycle';
import type { RestorableWindow } from './window-lifecycle';

const desk = 'http://127.0.0.1:4984';

function fakeWindow(state: { minimized?: boolean; destroyed?: boolean } = {}) {
  const calls: string[] = [];
  const window: RestorableWindow = {
    isDestroyed: () => state.destroyed ?? false,
    isMinimized: () => state.minimized ?? false,
    restore: () => calls.push('restore'),
    show: () => calls.push('show'),
    focus: () => calls.push('focus'),
  };
  return { window, calls };
}

describe('a second launch', () => {
  it('restores a minimised window, shows it and focuses it', () => {
    const { window, calls } = fakeWindow({ minimized: true });
    bringToFront(window);
    expect(calls).toEqual(['restore', 'show', 'focus']);
  });

  it('focuses a window that is already up', () => {
    const { window, calls } = fakeWindow();
    bringToFront(window);
    expect(calls).toEqual(['show', 'focus']);
  });

  it('does nothing before the window exists or after it is gone', () => {
    const { window, calls } = fakeWindow({ destroyed: true });
    bringToFront(window);
    bringToFront(undefined);
    expect(calls).toEqual([]);
  });
});

describe('a desk app that does not load', () => {
  it('is retried when the desk app itself failed in the main frame', () => {
    expect(shouldRetryLoad({ errorCode: -102, validatedUrl: `${desk}/`, isMainFrame: true }, desk)).toBe(
      true,
    );
  });

  it('is not retried for a superseded load, a subframe, or another origin', () => {
    expect(shouldRetryLoad({ errorCode: -3, validatedUrl: `${desk}/`, isMainFrame: true }, desk)).toBe(false);
    expect(shouldRetryLoad({ errorCode: -102, validatedUrl: `${desk}/`, isMainFrame: false }, desk)).toBe(
      false,
    );
    expect(
      shouldRetryLoad({ errorCode: -20, validatedUrl: 'http://evil.example/', isMainFrame: true }, desk),
    ).toBe(false);
    expect(shouldRetryLoad({ errorCode: -2, validatedUrl: '', isMainFrame: true }, desk)).toBe(false);
  });

  it('is retried soon at first, then every 30 s at most', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 20].map(retryDelayMs)).toEqual([
      1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000,
    ]);
  });

  it('shows a page saying where it is waiting, with no script and nothing to fetch', () => {
    const url = waitingPageUrl(`${desk}/`, 4_000);
    expect(url.startsWith('data:text/html;charset=utf-8,')).toBe(true);
    const html = decodeURIComponent(url.slice(url.indexOf(',') + 1));
    expect(html).toContain(`${desk}/`);
    expect(html).toContain('4 s');
    expect(html).toContain("default-src 'none'");
    expect(html).not.toMatch(/<script|src=|href=/i);
  });

  it('escapes the address it shows', () => {
    const html = decodeURIComponent(waitingPageUrl('http://x/"><script>alert(1)</script>', 1_000));
    expect(html).not.toContain('<script>');
    expect(html).toContain('&#60;script&#62;');
  });
});
