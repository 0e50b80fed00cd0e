// The desk app's only door to the desktop: `window.stagedoor`, a few named functions over IPC. Nothing of Node or
// Electron reaches the page. It runs sandboxed, where 'electron' is the only module it may require.
import { contextBridge, ipcRenderer } from 'electron';
import { bridgeChannels, bridgeGlobalName } from './bridge';
import type { AppInfo, PrintOutcome, StagedoorBridge } from './bridge';

// Each function forwards its own arguments only: handing the page ipcRenderer, or a generic invoke(channel), would
// let it call any channel the main process listens on.
const bridge: StagedoorBridge = {
  appInfo: () => ipcRenderer.invoke(bridgeChannels.appInfo) as Promise<AppInfo>,
  openExternal: async (url) => {
    await ipcRenderer.invoke(bridgeChannels.openExternal, url);
  },
  printPdf: (pdf) => ipcRenderer.invoke(bridgeChannels.printPdf, pdf) as Promise<PrintOutcome>,
};

contextBridge.exposeInMainWorld(bridgeGlobalName, bridge);
