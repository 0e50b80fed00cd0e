// Page model of printing at a desk: the signing key's status, and a sale's "Print tickets" / "Reprint" action, which
// in the browser build downloads the tickets' PDF.
import { readFile } from 'node:fs/promises';
import { expect } from '@playwright/test';
import type { Locator, Page } from '@playwright/test';
import { readTicketPdf } from '../../support/ticket-pdf-reader';
import { AllotmentsPage } from './allotments-page';
import type { DeskPage } from './desk-page';
import type { ReadTicketPdf } from '../../support/ticket-pdf-reader';

export class PrintPage {
  constructor(readonly page: Page) {}

  signingStatus(): Locator {
    return this.page.getByTestId('signing-status');
  }

  /** Waits until this desk holds a certificate for its key (asked for and answered while it is online). */
  async expectCertified(): Promise<void> {
    await expect(this.signingStatus()).toHaveAttribute('data-certified', 'yes', { timeout: 30_000 });
    await expect(this.signingStatus()).toContainText('This desk signs tickets for');
  }

  /**
   * Makes the page believe it runs in the desktop shell from its next load on: a `window.stagedoor.printPdf` that
   * keeps the PDFs it is given (the OS printer's side is electron/print-pdf.ts, tested on its own).
   */
  async standInForTheShell(): Promise<void> {
    await this.page.addInitScript(() => {
      const printed: number[][] = [];
      Object.assign(window, {
        stagedoorPrinted: printed,
        stagedoor: {
          printPdf: (pdf: Uint8Array) => {
            printed.push(Array.from(pdf));
            return Promise.resolve({ printed: true, silent: true });
          },
        },
      });
    });
  }

  /** The PDFs the shell's stand-in was given to print, read back. */
  async printedThroughTheShell(): Promise<ReadTicketPdf[]> {
    const printed = await this.page.evaluate(
      () => (window as Window & { stagedoorPrinted?: number[][] }).stagedoorPrinted ?? [],
    );
    return Promise.all(printed.map((bytes) => readTicketPdf(new Uint8Array(bytes))));
  }

  /** Prints a sale's tickets (the newest sale unless told) and reads the PDF it downloads. */
  async print(
    sale: Locator = this.page.getByTestId('sale').first(),
  ): Promise<{ pdf: ReadTicketPdf; outcome: Locator }> {
    const button = sale.getByTestId('print-tickets');
    const download = this.page.waitForEvent('download');
    await button.click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^tickets-[0-9A-Z]{26}\.pdf$/);
    const path = await file.path();
    const pdf = await readTicketPdf(new Uint8Array(await readFile(path)));
    return { pdf, outcome: sale.getByTestId('print-outcome') };
  }
}

/**
 * An office publishes a concert with one level; the desk is granted a block of `seats` of it through the Allotments
 * screen and hears it, and its key is certified: what a desk needs before it goes offline to sell and print.
 */
export async function deskReadyToPrint(
  office: DeskPage,
  desk: DeskPage,
  concert: { artist: string; startsAt: string; level: string; seats: number },
): Promise<PrintPage> {
  const { artist, startsAt, level, seats } = concert;
  const concerts = await office.concerts();
  await concerts.create({
    artist,
    startsAt,
    timezone: 'UTC',
    levels: [{ name: level, capacity: 10, price: '150' }],
  });
  await concerts.publish(artist);
  const admin = await new AllotmentsPage(office.page).open();
  await admin.chooseConcert(artist);
  const granted = await admin.grant(await desk.deviceId(), level, seats);
  await expect(granted).toHaveAttribute('data-status', 'done', { timeout: 15_000 });
  await desk.openSell();
  await desk.choose(artist, level);
  await expect(desk.blockLeft(level)).toHaveText(new RegExp(`^${seats} until`), { timeout: 15_000 });
  const printing = new PrintPage(desk.page);
  await printing.expectCertified();
  return printing;
}
