// The main process wires the policies into Electron: checked here against a stand-in for Electron's API, since the
// real binary is not available to the tests. What it shows is the wiring; the decisions have their own specs.
import { isAbsolute } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { bridgeChannels } from './bridge';
import { deskContentSecurityPolicy } from './session-policy';

type Listener = (...args: never[]) => unknown;

const fake = vi.hoisted(() => {
  class Emitter {
    listeners = new Map<string, Listener[]>();
    on(name: string, listener: Listener) {
      this.listeners.set(name, [...(this.listeners.get(name) ?? []), listener]);
      return this;
    }
    once(name: string, listener: Listener) {
      return this.on(name, listener);
    }
    emit(name: string, ...args: unknown[]) {
      for (const listener of this.listeners.get(name) ?? [])
        (listener as (...a: unknown[]) => unknown)(...args);
    }
  }

  type NavigationEvent = {
    url: string;
    isMainFrame: boolean;
    preventDefault: () => void;
    prevented: boolean;
  };
  type WindowOpenHandler = (details: { url: string }) => { action: string };

  class FakeContents extends Emitter {
    url = '';
    openHandler: WindowOpenHandler | undefined;
    loadURL = vi.fn((url: string) => {
      this.url = url;
      return Promise.resolve();
    });
    setWindowOpenHandler(handler: WindowOpenHandler) {
      this.openHandler = handler;
    }
    getURL() {
      return this.url;
    }
    isDestroyed() {
      return false;
    }
    navigate(url: string, isMainFrame = true): NavigationEvent {
      const event = {
        url,
        isMainFrame,
        prevented: false,
        preventDefault: () => {
          event.prevented = true;
        },
      };
      this.emit('will-frame-navigate', event);
      return event;
    }
    redirect(url: string): NavigationEvent {
      const event = {
        url,
        isMainFrame: true,
        prevented: false,
        preventDefault: () => {
          event.prevented = true;
        },
      };
      this.emit('will-redirect', event);
      return event;
    }
  }

  const state = {
    lock: true,
    paths: new Map<string, string>(),
    windows: [] as FakeWindow[],
    ipc: new Map<string, (event: { senderFrame: { url: string } | null }, ...args: unknown[]) => unknown>(),
    beforeRequest: undefined as
      ((details: { url: string }, callback: (response: { cancel: boolean }) => void) => void) | undefined,
    headersReceived: undefined as
      | ((
          details: { url: string; responseHeaders?: Record<string, string[]> },
          callback: (response: { responseHeaders: Record<string, string[]> }) => void,
        ) => void)
      | undefined,
    permissionRequest: undefined as
      | ((
          contents: unknown,
          permission: string,
          callback: (granted: boolean) => void,
          details: { requestingUrl: string; mediaTypes?: string[] },
        ) => void)
      | undefined,
    permissionCheck: undefined as
      | ((
          contents: unknown,
          permission: string,
          origin: string,
          details: { requestingUrl?: string },
        ) => boolean)
      | undefined,
  };

  const app = Object.assign(new Emitter(), {
    calls: [] as string[],
    setName: vi.fn(),
    setPath: vi.fn((name: string, path: string) => {
      app.calls.push(`setPath:${name}`);
      state.paths.set(name, path);
    }),
    getPath: (name: string) => state.paths.get(name) ?? `/home/desk/${name}`,
    getVersion: () => '41.7.1',
    enableSandbox: vi.fn(() => app.calls.push('enableSandbox')),
    requestSingleInstanceLock: vi.fn(() => {
      app.calls.push('requestSingleInstanceLock');
      return state.lock;
    }),
    quit: vi.fn(),
    exit: vi.fn(),
    whenReady: () => Promise.resolve(),
  });

  class FakeWindow extends Emitter {
    webContents = new FakeContents();
    show = vi.fn();
    focus = vi.fn();
    restore = vi.fn();
    constructor(
      public options: { kiosk?: boolean; webPreferences?: { preload?: string; sandbox?: boolean } },
    ) {
      super();
      state.windows.push(this);
      app.emit('web-contents-created', {}, this.webContents);
    }
    isDestroyed() {
      return false;
    }
    isMinimized() {
      return false;
    }
  }

  const electron = {
    app,
    BrowserWindow: FakeWindow,
    ipcMain: {
      handle: (channel: string, handler: typeof state.ipc extends Map<string, infer H> ? H : never) =>
        state.ipc.set(channel, handler),
    },
    Menu: { setApplicationMenu: vi.fn() },
    shell: { openExternal: vi.fn(() => Promise.resolve()) },
    session: {
      defaultSession: {
        webRequest: {
          onBeforeRequest: (listener: typeof state.beforeRequest) => (state.beforeRequest = listener),
          onHeadersReceived: (listener: typeof state.headersReceived) => (state.headersReceived = listener),
        },
        setPermissionRequestHandler: (handler: typeof state.permissionRequest) =>
          (state.permissionRequest = handler),
        setPermissionCheckHandler: (handler: typeof state.permissionCheck) =>
          (state.permissionCheck = handler),
      },
    },
  };
  return { state, electron };
});

vi.mock('electron', () => fake.electron);

const desk = 'http://127.0.0.1:4984';
const { state, electron } = fake;

async function start(env: Record<string, string> = {}) {
  vi.resetModules();
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
  await import('./main');
  // Let whenReady's continuation run.
  await new Promise((resolve) => setImmediate(resolve));
  return state.windows[0];
}

let stderr: ReturnType<typeof vi.spyOn>;

beforeEach(() => {
  state.lock = true;
  state.paths.clear();
  state.windows.length = 0;
  state.ipc.clear();
  electron.app.calls.length = 0;
  electron.app.listeners.clear();
  vi.clearAllMocks();
  vi.stubEnv('STAGEDOOR_DESK_URL', '');
  vi.stubEnv('STAGEDOOR_KIOSK', '');
  // The shell logs to stderr; keep the test output clean.
  stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
});
afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
  vi.useRealTimers();
});

describe('starting the shell', () => {
  it('keeps its data in the OS user data folder and sandboxes every renderer, before taking the lock', async () => {
    await start();
    expect(state.paths.get('userData')).toBe('/home/desk/appData/Stagedoor');
    expect(electron.app.calls).toEqual(['setPath:userData', 'enableSandbox', 'requestSingleInstanceLock']);
  });

  it('opens one window on the desk app, sandboxed, with the built preload', async () => {
    const window = await start();
    expect(state.windows).toHaveLength(1);
    const preload = window?.options.webPreferences?.preload ?? '';
    expect(isAbsolute(preload) && preload.endsWith('preload.cjs')).toBe(true);
    expect(window?.options.webPreferences?.sandbox).toBe(true);
    expect(window?.webContents.loadURL).toHaveBeenCalledWith(`${desk}/`);
  });

  it('loads the desk app STAGEDOOR_DESK_URL names', async () => {
    const window = await start({ STAGEDOOR_DESK_URL: 'http://10.0.0.5:4984/' });
    expect(window?.webContents.loadURL).toHaveBeenCalledWith('http://10.0.0.5:4984/');
  });

  it('quits, opening nothing, when another instance holds the lock', async () => {
    state.lock = false;
    await start();
    expect(electron.app.quit).toHaveBeenCalled();
    expect(state.windows).toHaveLength(0);
  });

  it('brings the window to the front when a second instance starts', async () => {
    const window = await start();
    electron.app.emit('second-instance');
    expect(window?.show).toHaveBeenCalled();
    expect(window?.focus).toHaveBeenCalled();
  });

  it('stops with a reason, before anything else, when the desk address is not http(s)', async () => {
    await start({ STAGEDOOR_DESK_URL: 'file:///opt/stagedoor/index.html' });
    expect(electron.app.exit).toHaveBeenCalledWith(2);
    expect(electron.app.requestSingleInstanceLock).not.toHaveBeenCalled();
    expect(stderr).toHaveBeenCalledWith(expect.stringMatching(/http or https/));
  });

  it('runs a gate in kiosk mode with no menu', async () => {
    const window = await start({ STAGEDOOR_KIOSK: '1' });
    expect(window?.options.kiosk).toBe(true);
    expect(electron.Menu.setApplicationMenu).toHaveBeenCalledWith(null);
  });

  it('keeps the menu at a desk', async () => {
    await start();
    expect(electron.Menu.setApplicationMenu).not.toHaveBeenCalled();
  });
});

describe('navigation in the window', () => {
  it('stays on the desk app', async () => {
    const contents = (await start())?.webContents;
    expect(contents?.navigate(`${desk}/sell`).prevented).toBe(false);
  });

  it('sends a link to another site to the OS browser, not into the window', async () => {
    const contents = (await start())?.webContents;
    expect(contents?.navigate('http://evil.example/').prevented).toBe(true);
    await vi.waitFor(() => expect(electron.shell.openExternal).toHaveBeenCalledWith('http://evil.example/'));
  });

  it('refuses files and scripts, and opens nothing for them', async () => {
    const contents = (await start())?.webContents;
    expect(contents?.navigate('file:///etc/passwd').prevented).toBe(true);
    expect(contents?.navigate('javascript:alert(1)').prevented).toBe(true);
    await new Promise((resolve) => setImmediate(resolve));
    expect(electron.shell.openExternal).not.toHaveBeenCalled();
  });

  it('stops a frame or a redirect going elsewhere, without opening it', async () => {
    const contents = (await start())?.webContents;
    expect(contents?.navigate('https://ads.example/', false).prevented).toBe(true);
    expect(contents?.redirect('https://evil.example/').prevented).toBe(true);
    expect(contents?.redirect(`${desk}/login`).prevented).toBe(false);
    await new Promise((resolve) => setImmediate(resolve));
    expect(electron.shell.openExternal).not.toHaveBeenCalled();
  });

  it('opens no new windows: web links go to the OS browser, everything else nowhere', async () => {
    const contents = (await start())?.webContents;
    expect(contents?.openHandler?.({ url: 'https://www.stagedoor.app/help' })).toEqual({ action: 'deny' });
    expect(contents?.openHandler?.({ url: `${desk}/popup` })).toEqual({ action: 'deny' });
    expect(contents?.openHandler?.({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    await vi.waitFor(() => expect(electron.shell.openExternal).toHaveBeenCalledTimes(1));
    expect(electron.shell.openExternal).toHaveBeenCalledWith('https://www.stagedoor.app/help');
  });

  it('shows a waiting page and tries again when the desk app can’t be reached', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout'] });
    const contents = (await start())?.webContents;
    contents?.emit('did-fail-load', {}, -102, 'ERR_CONNECTION_REFUSED', `${desk}/`, true);
    expect(contents?.loadURL).toHaveBeenLastCalledWith(expect.stringMatching(/^data:text\/html/));
    vi.advanceTimersByTime(1_000);
    expect(contents?.loadURL).toHaveBeenLastCalledWith(`${desk}/`);
  });
});

describe('the session', () => {
  it('cancels every request that is not for the desk app', async () => {
    await start();
    const decide = (url: string) => {
      let cancel: boolean | undefined;
      state.beforeRequest?.({ url }, (response) => (cancel = response.cancel));
      return cancel;
    };
    expect(decide(`${desk}/assets/app.js`)).toBe(false);
    expect(decide('https://cdn.example/lib.js')).toBe(true);
    expect(decide('file:///etc/passwd')).toBe(true);
  });

  it('puts the Content-Security-Policy on the desk app’s responses', async () => {
    await start();
    let headers: Record<string, string[]> | undefined;
    state.headersReceived?.(
      { url: `${desk}/`, responseHeaders: {} },
      (response) => (headers = response.responseHeaders),
    );
    expect(headers?.['Content-Security-Policy']).toEqual([deskContentSecurityPolicy]);
  });

  it('grants the camera to the desk app and refuses the rest', async () => {
    await start();
    const granted: boolean[] = [];
    const ask = (permission: string, requestingUrl: string, mediaTypes?: string[]) =>
      state.permissionRequest?.({}, permission, (yes) => granted.push(yes), { requestingUrl, mediaTypes });
    ask('media', `${desk}/scan`, ['video']);
    ask('media', `${desk}/scan`, ['audio']);
    ask('geolocation', `${desk}/`);
    ask('media', 'http://evil.example/', ['video']);
    expect(granted).toEqual([true, false, false, false]);
    expect(state.permissionCheck?.({}, 'notifications', desk, { requestingUrl: `${desk}/` })).toBe(false);
  });
});

describe('the bridge in the main process', () => {
  it('answers the desk app on each channel', async () => {
    await start();
    const appInfo = state.ipc.get(bridgeChannels.appInfo);
    await expect(appInfo?.({ senderFrame: { url: `${desk}/` } })).resolves.toEqual({
      version: '41.7.1',
      platform: process.platform,
      userDataPath: '/home/desk/appData/Stagedoor',
    });
    const openExternal = state.ipc.get(bridgeChannels.openExternal);
    await openExternal?.({ senderFrame: { url: `${desk}/` } }, 'https://venue.example/');
    expect(electron.shell.openExternal).toHaveBeenCalledWith('https://venue.example/');
  });

  it('refuses a caller that is not the desk app, and a URL that is not http(s)', async () => {
    await start();
    const openExternal = state.ipc.get(bridgeChannels.openExternal);
    await expect(
      openExternal?.({ senderFrame: { url: 'http://evil.example/' } }, 'https://venue.example/'),
    ).rejects.toThrow(/not the desk app/);
    await expect(openExternal?.({ senderFrame: null }, 'https://venue.example/')).rejects.toThrow(
      /not the desk app/,
    );
    await expect(openExternal?.({ senderFrame: { url: `${desk}/` } }, 'file:///etc/passwd')).rejects.toThrow(
      /refused/,
    );
    expect(electron.shell.openExternal).not.toHaveBeenCalled();
  });
});
