// Printing a PDF from the main process: checked bytes only, silent on the default printer, the dialog when there is
// none, and nothing left behind. Electron's window and file pieces are stand-ins: the binary is not installed here.
import { describe, expect, it } from 'vitest';
import { maxPdfBytes, pdfRefusal, printPdf, printWindowOptions } from './print-pdf';
import type { PrintDependencies, PrintOptions } from './print-pdf';

const pdf = new TextEncoder().encode('%PDF-1.7\n%%EOF');

type Answer = { success: boolean; failureReason: string };

function printer(answers: Answer[]) {
  const calls: PrintOptions[] = [];
  const files = new Set<string>();
  let closed = 0;
  const dependencies: PrintDependencies = {
    writeTemp: () => {
      files.add('/tmp/x/tickets.pdf');
      return Promise.resolve('/tmp/x/tickets.pdf');
    },
    removeTemp: (path) => {
      files.delete(path);
      return Promise.resolve();
    },
    open: () =>
      Promise.resolve({
        print: (options) => {
          calls.push(options);
          return Promise.resolve(
            answers[calls.length - 1] ?? { success: false, failureReason: 'unexpected' },
          );
        },
        close: () => {
          closed += 1;
        },
      }),
  };
  return { dependencies, calls, files, closed: () => closed };
}

describe('printPdf', () => {
  it('prints silently on the default printer', async () => {
    const p = printer([{ success: true, failureReason: '' }]);
    await expect(printPdf(pdf, p.dependencies)).resolves.toEqual({ printed: true, silent: true });
    expect(p.calls).toEqual([{ silent: true, printBackground: true }]);
    expect(p.files.size).toBe(0);
    expect(p.closed()).toBe(1);
  });

  it('asks through the print dialog when there is no default printer', async () => {
    const p = printer([
      { success: false, failureReason: 'Invalid deviceName provided' },
      { success: true, failureReason: '' },
    ]);
    await expect(printPdf(pdf, p.dependencies)).resolves.toEqual({ printed: true, silent: false });
    expect(p.calls.map((c) => c.silent)).toEqual([true, false]);
  });

  it('says the person cancelled the dialog, without calling it a failure', async () => {
    const p = printer([
      { success: false, failureReason: 'Invalid deviceName provided' },
      { success: false, failureReason: 'cancelled' },
    ]);
    await expect(printPdf(pdf, p.dependencies)).resolves.toEqual({ printed: false, cancelled: true });
  });

  it('reports a printer that failed, and still removes the file and the window', async () => {
    const p = printer([
      { success: false, failureReason: 'Invalid deviceName provided' },
      { success: false, failureReason: 'Print job failed' },
    ]);
    await expect(printPdf(pdf, p.dependencies)).rejects.toThrow(/did not take the tickets: Print job failed/);
    expect(p.files.size).toBe(0);
    expect(p.closed()).toBe(1);
  });
});

describe('what is printed', () => {
  it('is a PDF of a sane size, as bytes', () => {
    expect(pdfRefusal(pdf)).toBeUndefined();
    expect(pdfRefusal('%PDF-1.7')).toMatch(/bytes/);
    expect(pdfRefusal(new TextEncoder().encode('GIF89a'))).toMatch(/not a PDF/);
    expect(pdfRefusal(new Uint8Array(maxPdfBytes + 1))).toMatch(/not 20971521/);
  });

  it('comes from a hidden, sandboxed window in its own session, with no preload', () => {
    const options = printWindowOptions();
    expect(options.show).toBe(false);
    expect(options.webPreferences).toMatchObject({
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
    });
    expect(options.webPreferences.partition).not.toMatch(/^persist:/);
    expect(options.webPreferences).not.toHaveProperty('preload');
  });
});
