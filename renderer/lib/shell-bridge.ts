// What the desktop shell offers the desk app (electron/bridge.ts is the contract; the renderer may not import the
// shell's code, so the part it uses is restated here). In a plain browser there is no shell: `shellBridge()` is
// undefined and the desk does without (a PDF is downloaded instead of printed).

/** How a print went: sent to a printer (silently to the default one, or chosen in the dialog), or cancelled. */
export type PrintOutcome = { printed: true; silent: boolean } | { printed: false; cancelled: true };

export type ShellBridge = {
  /** Prints a PDF on the OS printer; rejects what is not a PDF and a printer's failure. */
  printPdf?: (pdf: Uint8Array) => Promise<PrintOutcome>;
};

export const shellBridge = (): ShellBridge | undefined =>
  (window as Window & { stagedoor?: ShellBridge }).stagedoor;
