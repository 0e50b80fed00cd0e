// The main-process side of window.stagedoor: only the desk app may call it, and only web addresses reach the OS.
import { describe, expect, it } from 'vitest';
import { bridgeChannels, bridgeMethods } from './bridge';
import { bridgeHandlers, callBridge } from './bridge-handlers';

const desk = 'http://127.0.0.1:4984';

const pdf = new TextEncoder().encode('%PDF-1.7\n% tickets\n%%EOF');

function setup() {
  const opened: string[] = [];
  const printed: { path: string; silent: boolean }[] = [];
  const files = new Map<string, Uint8Array>();
  const handlers = bridgeHandlers({
    appInfo: () => ({ version: '0.1.0', platform: 'linux', userDataPath: '/home/desk/.config/Stagedoor' }),
    openExternal: (url) => {
      opened.push(url);
      return Promise.resolve();
    },
    printing: {
      writeTemp: (bytes) => {
        const path = `/tmp/stagedoor-print-${files.size}/tickets.pdf`;
        files.set(path, bytes);
        return Promise.resolve(path);
      },
      removeTemp: (path) => {
        files.delete(path);
        return Promise.resolve();
      },
      open: (path) =>
        Promise.resolve({
          print: (options) => {
            printed.push({ path, silent: options.silent });
            return Promise.resolve({ success: true, failureReason: '' });
          },
          close: () => undefined,
        }),
    },
  });
  return { handlers, opened, printed, files };
}

describe('the bridge contract', () => {
  it('has one stagedoor: channel per function, and no others', () => {
    expect([...bridgeMethods].sort()).toEqual(['appInfo', 'openExternal', 'printPdf']);
    const channels = Object.values(bridgeChannels);
    expect(new Set(channels).size).toBe(channels.length);
    for (const channel of channels) expect(channel).toMatch(/^stagedoor:[a-z-]+$/);
  });
});

describe('appInfo', () => {
  it('tells the desk app the version, the platform and where its data lives', async () => {
    const { handlers } = setup();
    await expect(handlers.appInfo()).resolves.toEqual({
      version: '0.1.0',
      platform: 'linux',
      userDataPath: '/home/desk/.config/Stagedoor',
    });
  });
});

describe('openExternal', () => {
  it('hands an https address to the OS browser', async () => {
    const { handlers, opened } = setup();
    await handlers.openExternal('https://www.stagedoor.app/help?topic=refunds');
    expect(opened).toEqual(['https://www.stagedoor.app/help?topic=refunds']);
  });

  it('hands over the address as parsed, so what was checked is what opens', async () => {
    const { handlers, opened } = setup();
    await handlers.openExternal('HTTPS://Venue.Example/map');
    expect(opened).toEqual(['https://venue.example/map']);
  });

  it.each([
    'javascript:alert(1)',
    'file:///etc/passwd',
    'file:///C:/Windows/System32/cmd.exe',
    'data:text/html,<script>alert(1)</script>',
    'smb://fileserver/share',
    'https://bank.example@evil.example/',
    'not a url',
  ])('refuses %s and opens nothing', async (url) => {
    const { handlers, opened } = setup();
    await expect(handlers.openExternal(url)).rejects.toThrow(/openExternal refused/);
    expect(opened).toEqual([]);
  });

  it('refuses what is not a string', async () => {
    const { handlers, opened } = setup();
    await expect(handlers.openExternal({ toString: () => 'https://venue.example/' })).rejects.toThrow(
      /string/,
    );
    await expect(handlers.openExternal()).rejects.toThrow(/string/);
    expect(opened).toEqual([]);
  });
});

describe('printPdf', () => {
  it('prints the PDF from a temporary file, silently on the default printer, and removes the file', async () => {
    const { handlers, printed, files } = setup();
    await expect(handlers.printPdf(pdf)).resolves.toEqual({ printed: true, silent: true });
    expect(printed).toEqual([{ path: '/tmp/stagedoor-print-0/tickets.pdf', silent: true }]);
    expect(files.size).toBe(0);
  });

  it.each([
    ['a string', '%PDF-1.7'],
    ['an HTML page', new TextEncoder().encode('<html><script>alert(1)</script>')],
    ['nothing', undefined],
    ['no bytes', new Uint8Array()],
  ])('refuses %s before anything is written or printed', async (_what, document) => {
    const { handlers, printed, files } = setup();
    await expect(handlers.printPdf(document)).rejects.toThrow(/printPdf refused/);
    expect(printed).toEqual([]);
    expect(files.size).toBe(0);
  });
});

describe('a call over the bridge', () => {
  it('is answered for the desk app', async () => {
    const { handlers, opened } = setup();
    await callBridge(handlers, 'openExternal', `${desk}/sell`, ['https://venue.example/'], desk);
    expect(opened).toEqual(['https://venue.example/']);
    await expect(callBridge(handlers, 'appInfo', `${desk}/`, [], desk)).resolves.toMatchObject({
      version: '0.1.0',
    });
  });

  it.each([
    ['a page from elsewhere', 'http://evil.example/'],
    ['the waiting page', 'data:text/html,waiting'],
    ['a local file', 'file:///tmp/x.html'],
    ['a frame that is gone', undefined],
  ])('is refused for %s, before the handler runs', async (_who, senderUrl) => {
    const { handlers, opened } = setup();
    await expect(
      callBridge(handlers, 'openExternal', senderUrl, ['https://venue.example/'], desk),
    ).rejects.toThrow(/not the desk app/);
    expect(opened).toEqual([]);
  });
});
