// The preload gives the page `window.stagedoor` with its named functions and nothing else of Electron.
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { bridgeChannels } from './bridge';

const electron = vi.hoisted(() => ({
  exposed: new Map<string, unknown>(),
  invoke: vi.fn<(channel: string, ...args: unknown[]) => Promise<unknown>>(),
}));

vi.mock('electron', () => ({
  contextBridge: {
    exposeInMainWorld: (key: string, api: unknown) => electron.exposed.set(key, api),
  },
  ipcRenderer: { invoke: electron.invoke },
}));

type ExposedBridge = Record<string, (...args: unknown[]) => Promise<unknown>>;
const bridge = () => electron.exposed.get('stagedoor') as ExposedBridge;

beforeAll(async () => {
  await import('./preload');
});
// In braces: a function returned from beforeEach is run as a teardown, and mockReset returns the mock.
beforeEach(() => {
  electron.invoke.mockReset();
});

describe('the preload', () => {
  it('exposes one global, stagedoor, made of the bridge functions only', () => {
    expect([...electron.exposed.keys()]).toEqual(['stagedoor']);
    expect(Object.keys(bridge()).sort()).toEqual(['appInfo', 'openExternal', 'printPdf']);
    for (const value of Object.values(bridge())) expect(typeof value).toBe('function');
  });

  it('asks the main process for appInfo on its own channel', async () => {
    const info = { version: '0.1.0', platform: 'linux', userDataPath: '/home/desk/.config/Stagedoor' };
    electron.invoke.mockResolvedValue(info);
    await expect(bridge().appInfo?.()).resolves.toEqual(info);
    expect(electron.invoke).toHaveBeenCalledWith(bridgeChannels.appInfo);
  });

  it('forwards openExternal’s address and nothing more, and answers nothing back', async () => {
    electron.invoke.mockResolvedValue({ leaked: true });
    await expect(bridge().openExternal?.('https://venue.example/', 'extra')).resolves.toBeUndefined();
    expect(electron.invoke).toHaveBeenCalledWith(bridgeChannels.openExternal, 'https://venue.example/');
  });

  it('sends printPdf’s bytes on its own channel and answers how it went', async () => {
    const pdf = new TextEncoder().encode('%PDF-1.7');
    electron.invoke.mockResolvedValue({ printed: true, silent: true });
    await expect(bridge().printPdf?.(pdf, 'extra')).resolves.toEqual({ printed: true, silent: true });
    expect(electron.invoke).toHaveBeenCalledWith(bridgeChannels.printPdf, pdf);
  });

  it('passes the main process’s refusal on to the page', async () => {
    electron.invoke.mockRejectedValue(new Error('openExternal refused: only http and https addresses open'));
    await expect(bridge().openExternal?.('file:///etc/passwd')).rejects.toThrow(/refused/);
  });
});
