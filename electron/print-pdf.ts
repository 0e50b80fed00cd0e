// Printing a PDF from the desk app on the OS printer: the bytes arrive over the bridge (untrusted), are written to a
// temporary file, shown in a hidden window by Chromium's PDF viewer and printed through its webContents.print —
// silently on the OS's default printer; when that fails (no default printer set), through the print dialog. Electron's pieces are passed
// in, so the steps are tested without Electron.

import type { PrintOutcome } from './bridge';

/** Options as webContents.print takes them (the subset used): no deviceName, so silent means the default printer. */
export type PrintOptions = { silent: boolean; printBackground: boolean };

/** A hidden window showing one PDF. */
export type PrintTarget = {
  /** webContents.print as a promise of its callback's (success, failureReason). */
  print: (options: PrintOptions) => Promise<{ success: boolean; failureReason: string }>;
  close: () => void;
};

export type PrintDependencies = {
  /** Writes the bytes to a new temporary file readable only by this user; returns its path. */
  writeTemp: (bytes: Uint8Array) => Promise<string>;
  removeTemp: (path: string) => Promise<void>;
  /** Opens a hidden window on the file and resolves once the PDF is shown. */
  open: (path: string) => Promise<PrintTarget>;
};

/** A ticket PDF is a few hundred kilobytes; far more is not one of ours. */
export const maxPdfBytes = 20 * 1024 * 1024;

/** Why these bytes are not printed, or undefined when they look like a PDF of a sane size. */
export function pdfRefusal(bytes: unknown): string | undefined {
  if (!(bytes instanceof Uint8Array)) return 'the document must be the bytes of a PDF';
  if (bytes.length === 0 || bytes.length > maxPdfBytes)
    return `a PDF of 1 byte to ${maxPdfBytes} bytes, not ${bytes.length}`;
  const head = String.fromCharCode(...bytes.subarray(0, 5));
  if (head !== '%PDF-') return 'the document is not a PDF';
  return undefined;
}

/** Prints the PDF; the temporary file and the hidden window are gone afterwards, whatever happened. */
export async function printPdf(bytes: unknown, dependencies: PrintDependencies): Promise<PrintOutcome> {
  const refusal = pdfRefusal(bytes);
  if (refusal !== undefined) throw new Error(`printPdf refused: ${refusal}`);
  const path = await dependencies.writeTemp(bytes as Uint8Array);
  try {
    const target = await dependencies.open(path);
    try {
      // A box office prints many times an hour: straight to the default printer, without a dialog each time.
      const silent = await target.print({ silent: true, printBackground: true });
      if (silent.success) return { printed: true, silent: true };
      // No default printer (or it refused): the person chooses one in the OS's dialog.
      const chosen = await target.print({ silent: false, printBackground: true });
      if (chosen.success) return { printed: true, silent: false };
      // Electron says 'cancelled' when the person closes the dialog: not a failure to report as one.
      if (chosen.failureReason === 'cancelled') return { printed: false, cancelled: true };
      throw new Error(
        `the printer did not take the tickets: ${chosen.failureReason || silent.failureReason || 'no reason given'}`,
      );
    } finally {
      target.close();
    }
  } finally {
    await dependencies.removeTemp(path).catch(() => undefined);
  }
}

/**
 * The hidden window a PDF is printed from: its own in-memory session (the desk window's request policy admits the
 * desk origin only, and a local file is none of it), sandboxed, no preload, Chromium's PDF viewer on.
 */
export const printWindowOptions = () => ({
  show: false,
  webPreferences: {
    partition: 'stagedoor-print',
    sandbox: true,
    contextIsolation: true,
    nodeIntegration: false,
    plugins: true,
    spellcheck: false,
  },
});
