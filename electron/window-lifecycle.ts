// Keeping the one desk window reachable: a second launch brings it to the front, and a desk app that can't be
// reached yet (the server still starting, the network down) gets a waiting page and retries instead of a blank window.

/** The part of a BrowserWindow that bringing it to the front needs. */
export type RestorableWindow = {
  isDestroyed: () => boolean;
  isMinimized: () => boolean;
  restore: () => void;
  show: () => void;
  focus: () => void;
};

export function bringToFront(window: RestorableWindow | undefined): void {
  if (!window || window.isDestroyed()) return;
  if (window.isMinimized()) window.restore();
  window.show();
  window.focus();
}

export type LoadFailure = { errorCode: number; validatedUrl: string; isMainFrame: boolean };

// Chromium's net error for a load that was superseded (a newer navigation, our own retry): not a failure.
const errAborted = -3;

/** Whether a failed load is the desk app itself failing to arrive, which is worth waiting and retrying for. */
export function shouldRetryLoad(failure: LoadFailure, deskOrigin: string): boolean {
  if (!failure.isMainFrame || failure.errorCode === errAborted) return false;
  try {
    return new URL(failure.validatedUrl).origin === deskOrigin;
  } catch {
    return false;
  }
}

/** 1 s, 2 s, 4 s … up to 30 s: quick while the server starts, gentle on a venue network that is down. */
export function retryDelayMs(attempt: number): number {
  return Math.min(30_000, 1_000 * 2 ** Math.max(0, Math.floor(attempt)));
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * A self-contained page (a data: URL, no script, nothing fetched) shown while the desk app can't be reached. It is
 * not on the desk origin, so it can't call the bridge.
 */
export function waitingPageUrl(deskUrl: string, retryInMs: number): string {
  const seconds = Math.max(1, Math.round(retryInMs / 1_000));
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="color-scheme" content="light dark"><title>Stagedoor</title>
<style>body{font:1.25rem system-ui,sans-serif;margin:0;display:grid;place-items:center;min-height:100vh}
main{max-width:40rem;padding:2rem}code{font-size:1rem}</style></head>
<body><main><h1>Waiting for the desk app</h1>
<p>Stagedoor can't reach <code>${escapeHtml(deskUrl)}</code> yet. It tries again in ${seconds} s.</p>
<p>Check that the Stagedoor server is running and that this device is on the venue network.</p></main></body></html>`;
  return `data:text/html;charset=utf-8,${encodeURIComponent(html)}`;
}
