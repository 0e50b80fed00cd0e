// The desk window's options, as a plain object so the security settings can be tested without Electron: the page
// gets no Node, runs sandboxed and isolated from the preload, and talks to the shell only through the bridge.
import { isAbsolute } from 'node:path';
import type { BrowserWindowConstructorOptions } from 'electron';

export type MainWindowSettings = {
  /** Absolute path of the built preload (dist/electron/preload.cjs). */
  preloadPath: string;
  kiosk: boolean;
};

export function mainWindowOptions({
  preloadPath,
  kiosk,
}: MainWindowSettings): BrowserWindowConstructorOptions {
  // Electron resolves a relative preload against nothing useful and then silently runs without the bridge.
  if (!isAbsolute(preloadPath)) throw new Error(`The preload path must be absolute (got "${preloadPath}")`);
  return {
    title: 'Stagedoor',
    // Fits the smallest screen a desk uses, a 1366×768 laptop, with room for the OS's task bar.
    width: 1366,
    height: 740,
    minWidth: 1024,
    minHeight: 640,
    // Shown on 'ready-to-show', so a desk never flashes an empty white window.
    show: false,
    autoHideMenuBar: true,
    kiosk,
    fullscreen: kiosk,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      sandbox: true,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      // Chromium fetches spell-check dictionaries from Google's servers: remote content, and no help at a till.
      spellcheck: false,
      // A gate device is public: nobody there should open the developer tools.
      devTools: !kiosk,
    },
  };
}
