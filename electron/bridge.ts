// The contract between the desktop shell and the desk app: what `window.stagedoor` offers and the IPC channels
// behind it. It imports nothing, so the renderer can take the type without pulling in Electron.

/** What the desk app may know about the shell it runs in. */
export type AppInfo = {
  /** The shell's version, as built. */
  version: string;
  /** Node's platform name: 'linux', 'win32' or 'darwin'. */
  platform: string;
  /** The OS's user data folder for Stagedoor; Chromium keeps the desk's local log (IndexedDB) under it. */
  userDataPath: string;
};

/** How a print went: sent to a printer (silently to the default one, or chosen in the dialog), or cancelled. */
export type PrintOutcome = { printed: true; silent: boolean } | { printed: false; cancelled: true };

/** `window.stagedoor` in the desktop shell; absent in a plain browser, so the renderer must treat it as optional. */
export type StagedoorBridge = {
  appInfo: () => Promise<AppInfo>;
  /** Opens an http(s) address in the OS browser. Rejects any other scheme; the main process decides. */
  openExternal: (url: string) => Promise<void>;
  /**
   * Prints a PDF (its bytes) on the OS printer: silently on the default printer, else (none set) through the print
   * dialog. Rejects what is not a PDF, and a printer's failure.
   */
  printPdf: (pdf: Uint8Array) => Promise<PrintOutcome>;
};

export type BridgeMethod = keyof StagedoorBridge;

/** The global the preload exposes the bridge as. */
export const bridgeGlobalName = 'stagedoor';

/** One invoke channel per bridge function; the prefix keeps them apart from any channel Electron itself uses. */
export const bridgeChannels = {
  appInfo: 'stagedoor:app-info',
  openExternal: 'stagedoor:open-external',
  printPdf: 'stagedoor:print-pdf',
} as const satisfies { [M in BridgeMethod]: `stagedoor:${string}` };

export type BridgeChannel = (typeof bridgeChannels)[BridgeMethod];

export const bridgeMethods = Object.keys(bridgeChannels) as BridgeMethod[];
