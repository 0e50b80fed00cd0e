// The desk window runs the page without Node, sandboxed and isolated, with the bridge as its only way out.
import { describe, expect, it } from 'vitest';
import { mainWindowOptions } from './window-options';

const preloadPath = '/opt/Stagedoor/resources/app.asar/dist/electron/preload.cjs';

describe('the desk window options', () => {
  const options = mainWindowOptions({ preloadPath, kiosk: false });
  const web = options.webPreferences ?? {};

  it('loads the bridge from the built preload', () => {
    expect(web.preload).toBe(preloadPath);
  });

  it('gives the page no Node and isolates it from the preload, in a sandbox, with web security on', () => {
    expect(web.nodeIntegration).toBe(false);
    expect(web.nodeIntegrationInWorker).toBe(false);
    expect(web.nodeIntegrationInSubFrames).toBe(false);
    expect(web.contextIsolation).toBe(true);
    expect(web.sandbox).toBe(true);
    expect(web.webSecurity).toBe(true);
    expect(web.allowRunningInsecureContent).toBe(false);
    expect(web.webviewTag).toBe(false);
  });

  it('fetches nothing for spell checking', () => {
    expect(web.spellcheck).toBe(false);
  });

  it('opens hidden, to be shown once painted, at a size a 1366×768 laptop shows whole', () => {
    expect(options.show).toBe(false);
    expect(options.width).toBeLessThanOrEqual(1366);
    expect(options.height).toBeLessThanOrEqual(768);
  });

  it('is an ordinary window with developer tools at a desk', () => {
    expect(options.kiosk).toBe(false);
    expect(options.fullscreen).toBe(false);
    expect(web.devTools).toBe(true);
  });

  it('fills the screen with no developer tools at a gate, and stays just as locked down', () => {
    const gate = mainWindowOptions({ preloadPath, kiosk: true });
    expect(gate.kiosk).toBe(true);
    expect(gate.fullscreen).toBe(true);
    expect(gate.webPreferences).toMatchObject({
      devTools: false,
      preload: preloadPath,
      contextIsolation: true,
      nodeIntegration: false,
      sandbox: true,
      webSecurity: true,
    });
  });

  it('refuses a relative preload path, which Electron would silently fail to load', () => {
    expect(() => mainWindowOptions({ preloadPath: 'dist/electron/preload.cjs', kiosk: false })).toThrow(
      /absolute/,
    );
  });
});
