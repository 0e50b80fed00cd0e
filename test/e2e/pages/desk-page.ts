// Page model of one desk: selling, the sales list, availability and the always-visible sync status.
import { expect } from '@playwright/test';
import type { Locator, Page } from '@playwright/test';
import { ConcertsPage } from './concerts-page';
import { OrdersPage } from './orders-page';

export type Sale = {
  /** The concert's artist, as the concert picker shows it. */
  concert: string;
  level: string;
  quantity: number;
  tendered?: string;
  /** Answer the "more than this desk believes is left" question with "Sell anyway". */
  overAvailable?: boolean;
};

const saleLabels = { pending: 'Pending', confirmed: 'Confirmed', rejected: 'Rejected' };
export type SaleStatus = keyof typeof saleLabels;

export class DeskPage {
  constructor(readonly page: Page) {}

  async concerts(): Promise<ConcertsPage> {
    return new ConcertsPage(this.page).open();
  }

  /**
   * A concert of its own (the server is shared by every test), created and published from this device as an
   * organizer does; returns its artist, made unique.
   */
  async publishConcert(
    name: string,
    levels: { name: string; capacity: number; price: string }[],
  ): Promise<string> {
    const artist = `${name} ${Date.now()}`;
    const concerts = await this.concerts();
    await concerts.create({ artist, levels });
    await concerts.publish(artist);
    return artist;
  }

  async orders(): Promise<OrdersPage> {
    return new OrdersPage(this.page).open();
  }

  async openSell(): Promise<this> {
    await this.page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'Sell' }).click();
    await expect(this.page.getByRole('heading', { name: 'Sell tickets' })).toBeVisible();
    return this;
  }

  /** Picks the concert once it is on sale at this desk (the authority's decision has arrived here). */
  async choose(concert: string, level: string): Promise<void> {
    const picker = this.page.getByLabel('Concert', { exact: true });
    const option = picker.locator('option:not([disabled])', { hasText: concert });
    await expect(option).toHaveCount(1, { timeout: 15_000 });
    await picker.selectOption((await option.getAttribute('value')) ?? '');
    await this.page.getByLabel('Level', { exact: true }).selectOption(level);
  }

  async sell(sale: Sale): Promise<void> {
    await this.openSell();
    await this.choose(sale.concert, sale.level);
    const quantity = this.page.getByLabel('Quantity');
    await quantity.fill(String(sale.quantity));
    await this.page.getByLabel('Cash tendered').fill(sale.tendered ?? '');
    await quantity.press('Enter');
    if (sale.overAvailable) {
      const question = this.page.getByRole('alertdialog');
      await expect(question).toContainText('The authority will decide');
      await question.getByRole('button', { name: 'Sell anyway' }).click();
    }
    await expect(this.page.getByRole('status').filter({ hasText: 'Sale recorded' })).toBeVisible();
  }

  latestSale(): Locator {
    return this.page.getByTestId('sale').first();
  }

  async expectLatestSale(
    status: SaleStatus,
    options: { reason?: RegExp; timeout?: number } = {},
  ): Promise<void> {
    const sale = this.latestSale();
    await expect(sale).toHaveAttribute('data-status', status, { timeout: options.timeout });
    await expect(sale).toContainText(saleLabels[status]);
    if (options.reason) await expect(sale.getByTestId('sale-reason')).toHaveText(options.reason);
  }

  /** Seats left in a level of the chosen concert, as this desk knows it. */
  left(level: string): Locator {
    return this.page
      .getByRole('table', { name: 'Availability' })
      .getByRole('row')
      .filter({ has: this.page.getByRole('rowheader', { name: level, exact: true }) })
      .getByTestId('left');
  }

  waiting(): Locator {
    return this.page.getByTestId('sync-waiting');
  }

  connection(): Locator {
    return this.page.getByTestId('sync-connection');
  }

  /** Waits until the app shell is cached, so that the page opens again with no network. */
  async waitUntilOfflineReady(): Promise<void> {
    await this.page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
  }

  async setOffline(offline: boolean): Promise<void> {
    await this.page.context().setOffline(offline);
    await expect(this.connection()).toHaveText(offline ? /Offline/ : /Online/);
  }

  async reload(): Promise<void> {
    await this.page.reload();
    await expect(this.page.getByRole('navigation', { name: 'Screens' })).toBeVisible();
  }
}
