// The desktop shell's main process: one sandboxed window on the desk app, one instance per user, and the session,
// navigation and bridge policies wired in. The decisions themselves live in the modules imported below.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { app, BrowserWindow, ipcMain, Menu, session, shell } from 'electron';
import type { Session, WebContents } from 'electron';
import { bridgeChannels, bridgeMethods } from './bridge';
import { bridgeHandlers, callBridge } from './bridge-handlers';
import type { BridgeHandlers } from './bridge-handlers';
import { isDeskOrigin, navigationDecision } from './navigation-policy';
import { printWindowOptions } from './print-pdf';
import type { PrintDependencies } from './print-pdf';
import { permissionDecision, requestDecision, withContentSecurityPolicy } from './session-policy';
import { shellConfig } from './shell-config';
import type { ShellConfig } from './shell-config';
import { bringToFront, retryDelayMs, shouldRetryLoad, waitingPageUrl } from './window-lifecycle';
import { mainWindowOptions } from './window-options';

// Set by the build (scripts/electron.mjs) from package.json; unbuilt (in tests), Electron's own answer stands.
declare const __STAGEDOOR_VERSION__: string | undefined;

const log = (line: string) => process.stderr.write(`stagedoor shell: ${line}\n`);
const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

function main(): void {
  let config: ShellConfig;
  try {
    config = shellConfig(process.env, process.argv);
  } catch (error) {
    log(message(error));
    app.exit(2);
    return;
  }

  // The same folder in development and when installed (~/.config/Stagedoor, %APPDATA%\Stagedoor, …): the desk's
  // local log lives there, and the single-instance lock is taken per folder. Must precede the lock and 'ready'.
  app.setName('Stagedoor');
  app.setPath('userData', join(app.getPath('appData'), 'Stagedoor'));
  app.enableSandbox();

  // Two windows on one desk's log would be two desks writing as one.
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }

  let window: BrowserWindow | undefined;
  const handlers = bridgeHandlers({
    appInfo: () => ({
      version: typeof __STAGEDOOR_VERSION__ === 'string' ? __STAGEDOOR_VERSION__ : app.getVersion(),
      platform: process.platform,
      userDataPath: app.getPath('userData'),
    }),
    openExternal: (url) => shell.openExternal(url),
    printing: electronPrinting(),
  });
  // Links leave through the same checks as the bridge's openExternal; a refusal is logged, the page goes on.
  const openExternally = (url: string) => {
    handlers.openExternal(url).catch((error: unknown) => log(message(error)));
  };

  app.on('second-instance', () => bringToFront(window));
  // One window is the whole app, on macOS too: a box office has no use for a windowless dock icon.
  app.on('window-all-closed', () => app.quit());
  // Every web contents, not only our window's, so nothing created later escapes the policy.
  app.on('web-contents-created', (_event, contents) =>
    guardContents(contents, config.deskOrigin, openExternally),
  );

  app
    .whenReady()
    .then(() => {
      guardSession(session.defaultSession, config.deskOrigin);
      registerBridge(handlers, config.deskOrigin);
      // No menu, so none of its shortcuts (reload, close window, developer tools) work at a gate.
      if (config.kiosk) Menu.setApplicationMenu(null);
      window = openWindow(config);
      window.on('closed', () => {
        window = undefined;
      });
    })
    .catch((error: unknown) => {
      log(`could not start: ${message(error)}`);
      app.exit(1);
    });
}

function guardContents(
  contents: WebContents,
  deskOrigin: string,
  openExternally: (url: string) => void,
): void {
  contents.on('will-frame-navigate', (event) => {
    const decision = navigationDecision(event.url, deskOrigin);
    if (decision === 'allow') return;
    event.preventDefault();
    // Only a link the desk app itself follows goes to the OS browser; a frame navigating elsewhere just stops.
    if (decision === 'open-externally' && event.isMainFrame) openExternally(event.url);
  });
  // A server redirect to elsewhere is not a link anybody chose: stop it, open nothing.
  contents.on('will-redirect', (event) => {
    if (navigationDecision(event.url, deskOrigin) !== 'allow') event.preventDefault();
  });
  // No second windows, even on the desk origin: each would need the same guards, and kiosk mode would not cover it.
  contents.setWindowOpenHandler(({ url }) => {
    if (navigationDecision(url, deskOrigin) === 'open-externally') openExternally(url);
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

function guardSession(ses: Session, deskOrigin: string): void {
  ses.webRequest.onBeforeRequest((details, callback) => {
    callback({ cancel: requestDecision(details.url, deskOrigin) === 'cancel' });
  });
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: withContentSecurityPolicy(details.url, details.responseHeaders, deskOrigin),
    });
  });
  ses.setPermissionRequestHandler((_contents, permission, callback, details) => {
    const mediaTypes = 'mediaTypes' in details ? (details.mediaTypes ?? []) : [];
    callback(permissionDecision(permission, details.requestingUrl, deskOrigin, mediaTypes));
  });
  ses.setPermissionCheckHandler((_contents, permission, requestingOrigin, details) =>
    permissionDecision(
      permission,
      details.requestingUrl ?? requestingOrigin,
      deskOrigin,
      details.mediaType ? [details.mediaType] : [],
    ),
  );
}

function registerBridge(handlers: BridgeHandlers, deskOrigin: string): void {
  for (const method of bridgeMethods) {
    ipcMain.handle(bridgeChannels[method], (event, ...args: unknown[]) =>
      callBridge(handlers, method, event.senderFrame?.url, args, deskOrigin),
    );
  }
}

/** Chromium's PDF viewer draws after the load completes: printing at once would print a blank page. */
const pdfViewerSettleMs = 500;

function electronPrinting(): PrintDependencies {
  return {
    writeTemp: async (bytes) => {
      const folder = await mkdtemp(join(tmpdir(), 'stagedoor-print-'));
      const path = join(folder, 'tickets.pdf');
      await writeFile(path, bytes, { mode: 0o600 });
      return path;
    },
    removeTemp: (path) => rm(dirname(path), { recursive: true, force: true }),
    open: async (path) => {
      const window = new BrowserWindow(printWindowOptions());
      const contents = window.webContents;
      await contents.loadURL(pathToFileURL(path).href);
      await new Promise((resolve) => setTimeout(resolve, pdfViewerSettleMs));
      return {
        print: (options) =>
          new Promise((resolve) =>
            contents.print(options, (success, failureReason) => resolve({ success, failureReason })),
          ),
        close: () => {
          if (!window.isDestroyed()) window.destroy();
        },
      };
    },
  };
}

function openWindow(config: ShellConfig): BrowserWindow {
  const window = new BrowserWindow(
    mainWindowOptions({ preloadPath: join(__dirname, 'preload.cjs'), kiosk: config.kiosk }),
  );
  const contents = window.webContents;
  let attempt = 0;
  // A failed load also rejects loadURL's promise; did-fail-load below is where failures are handled.
  const load = () => contents.loadURL(config.deskUrl).catch(() => undefined);

  window.once('ready-to-show', () => window.show());
  contents.on('did-fail-load', (_event, errorCode, _description, validatedUrl, isMainFrame) => {
    if (!shouldRetryLoad({ errorCode, validatedUrl, isMainFrame }, config.deskOrigin)) return;
    const delay = retryDelayMs(attempt++);
    log(`the desk app at ${config.deskUrl} did not load (error ${errorCode}); retrying in ${delay} ms`);
    void contents.loadURL(waitingPageUrl(config.deskUrl, delay)).catch(() => undefined);
    setTimeout(() => {
      if (!contents.isDestroyed()) void load();
    }, delay);
  });
  contents.on('did-finish-load', () => {
    if (isDeskOrigin(contents.getURL(), config.deskOrigin)) attempt = 0;
  });
  void load();
  return window;
}

main();
