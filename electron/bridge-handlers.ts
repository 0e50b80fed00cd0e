// The main-process side of the bridge: one handler per bridge function, with Electron's pieces passed in, so each
// can be tested alone. Everything arriving over IPC is untrusted input, checked here before it reaches the OS.
import type { AppInfo, BridgeMethod, StagedoorBridge } from './bridge';
import { externalUrlRefusal, isDeskOrigin } from './navigation-policy';
import { printPdf } from './print-pdf';
import type { PrintDependencies } from './print-pdf';

export type BridgeDependencies = {
  appInfo: () => AppInfo;
  /** Electron's shell.openExternal, in production. */
  openExternal: (url: string) => Promise<void>;
  /** The temporary file and the hidden print window (print-pdf.ts), made of Electron's pieces in production. */
  printing: PrintDependencies;
};

/** Handlers take what IPC delivers (unknown values) and answer what the bridge promises. */
export type BridgeHandlers = {
  [M in BridgeMethod]: (...args: unknown[]) => ReturnType<StagedoorBridge[M]>;
};

export function bridgeHandlers(dependencies: BridgeDependencies): BridgeHandlers {
  return {
    appInfo: () => {
      const { version, platform, userDataPath } = dependencies.appInfo();
      return Promise.resolve({ version, platform, userDataPath });
    },
    openExternal: async (...args) => {
      const [url] = args;
      const refusal = externalUrlRefusal(url);
      if (refusal !== undefined) throw new Error(`openExternal refused: ${refusal}`);
      // The parsed form, not the caller's string: what was checked is exactly what the OS receives.
      await dependencies.openExternal(new URL(url as string).href);
    },
    printPdf: (...args) => printPdf(args[0], dependencies.printing),
  };
}

/**
 * Runs one bridge call for a frame. Only the desk app's own pages may use the bridge: not a page the window was
 * tricked into showing, not the waiting page, not a frame that is already gone (Electron then reports no URL).
 */
export async function callBridge<M extends BridgeMethod>(
  handlers: BridgeHandlers,
  method: M,
  senderUrl: string | undefined,
  args: unknown[],
  deskOrigin: string,
): Promise<Awaited<ReturnType<StagedoorBridge[M]>>> {
  if (!isDeskOrigin(senderUrl, deskOrigin)) {
    throw new Error(`${method} refused: the caller is not the desk app (${senderUrl ?? 'no frame'})`);
  }
  const handler = handlers[method] as (...a: unknown[]) => ReturnType<StagedoorBridge[M]>;
  return await handler(...args);
}
