// Page model of one desk: selling, the sales list, availability and the always-visible sync status.
import { expect } from '@playwright/test';
import type { Locator, Page } from '@playwright/test';
import { ulid } from 'ulid';
import { concertDatabase } from '../../../domain/authority/concert-authority';
import { factStream } from '../../../domain/desk/databases';
import { currentVersion } from '../../../domain/events/catalogue';
import type { DataOf, FactDoc } from '../../../domain/events/catalogue';
import { ConcertsPage } from './concerts-page';
import { OrdersPage } from './orders-page';

export type Sale = {
  /** The concert's artist, as the concert picker shows it. */
  concert: string;
  level: string;
  quantity: number;
  tendered?: string;
  /** Expect the "more than this desk believes is left" warning in the not-guaranteed question. */
  overAvailable?: boolean;
  /**
   * The promise the desk must show before payment. A sale that is not guaranteed is confirmed with Enter on the
   * question it asks; a guaranteed one is recorded at once. Unset: whichever the desk shows.
   */
  promise?: 'guaranteed' | 'pending';
};

const saleLabels = {
  guaranteed: 'Guaranteed',
  pending: 'Pending',
  confirmed: 'Confirmed',
  rejected: 'Rejected',
};
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
    const promise = this.page.getByTestId('sell-promise');
    if (sale.promise) await expect(promise).toHaveAttribute('data-promise', sale.promise);
    // Not guaranteed and offline (or beyond the seats left): the desk asks before it sells.
    const asks = await promise.getAttribute('data-asks');
    await quantity.press('Enter');
    if (asks === 'yes') {
      const question = this.page.getByRole('alertdialog');
      await expect(question).toContainText(
        'Not guaranteed: this sale may be refused when this desk reconnects',
      );
      if (sale.overAvailable) await expect(question).toContainText('The authority will decide');
      // The seller's explicit yes, by keyboard: the question's "Sell anyway" has the focus.
      await expect(question.getByRole('button', { name: 'Sell anyway' })).toBeFocused();
      await this.page.keyboard.press('Enter');
    }
    await expect(this.page.getByRole('status').filter({ hasText: 'Sale recorded' })).toBeVisible();
    await expect(quantity).toBeFocused();
  }

  /** This desk's sales with a status, as the sales list shows them. */
  sales(status: SaleStatus): Locator {
    return this.page.locator(`[data-testid="sale"][data-status="${status}"]`);
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

  /** The device id this desk writes its facts under (kept in localStorage). */
  async deviceId(): Promise<string> {
    const id = await this.page.evaluate(
      () => (JSON.parse(localStorage.getItem('stagedoor.device') ?? '{}') as { deviceId?: string }).deviceId,
    );
    if (!id) throw new Error('this desk has no device id: was it set up?');
    return id;
  }

  /** The id of a concert this desk sells, found by its artist in the sell screen's picker. */
  async concertId(concert: string): Promise<string> {
    await this.openSell();
    const option = this.page.getByLabel('Concert', { exact: true }).locator('option', { hasText: concert });
    await expect(option).toHaveCount(1, { timeout: 15_000 });
    const id = await option.getAttribute('value');
    if (!id) throw new Error(`no concert id for ${concert}`);
    return id;
  }

  /**
   * Writes a fact as this device straight into its database at the sync server, as the desk's own upload does: for
   * what no screen records yet.
   */
  async writeFact<T extends 'AllotmentGrantRequested' | 'AllotmentPolicySet'>(
    type: T,
    data: (id: string) => DataOf<T>,
  ): Promise<FactDoc<T>> {
    const id = ulid();
    const facts = data(id);
    const doc = {
      _id: id,
      type,
      v: currentVersion(type),
      stream: factStream(type, facts),
      data: facts,
      meta: {
        deviceId: await this.deviceId(),
        userId: 'desk-user',
        recordedAt: new Date().toISOString(),
        correlationId: id,
        causationId: id,
      },
    } as FactDoc<T>;
    const database = concertDatabase(facts.concertId);
    const result = await this.page.evaluate(
      async ({ database, doc }) => {
        // With the device's own credentials, as its upload sends them.
        const { deviceId, secret } = JSON.parse(localStorage.getItem('stagedoor.device') ?? '{}') as {
          deviceId?: string;
          secret?: string;
        };
        const response = await fetch(`/couch/${database}/_bulk_docs`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            authorization: `Basic ${btoa(`${deviceId}:${secret}`)}`,
          },
          body: JSON.stringify({ docs: [doc] }),
        });
        return { status: response.status, body: await response.text() };
      },
      { database, doc },
    );
    if (result.status >= 300 || result.body.includes('"error"'))
      throw new Error(`writing ${type} failed: ${result.status} ${result.body}`);
    return doc;
  }

  /** Seats of this desk's block of a level of the chosen concert, and when they lapse ("—" without a block). */
  blockLeft(level: string): Locator {
    return this.page
      .getByRole('table', { name: 'Availability' })
      .getByRole('row')
      .filter({ has: this.page.getByRole('rowheader', { name: level, exact: true }) })
      .getByTestId('block-left');
  }

  rejectedBanner(): Locator {
    return this.page.getByTestId('rejected-banner');
  }

  /** Hands the cash of a rejected sale back, from the banner, by keyboard; `amount` as the button says it. */
  async refundRejected(amount: RegExp): Promise<void> {
    const refund = this.rejectedBanner().getByRole('button', { name: /^Refund cash/ });
    await expect(refund).toHaveText(amount);
    await refund.focus();
    await this.page.keyboard.press('Enter');
    // Recorded here, then settled by the box office (online, the banner may be gone by the time this looks).
    await expect(this.sales('rejected').first().getByTestId('sale-settlement')).toContainText(
      /Cash refund .* (recorded|settled)/,
    );
  }

  async reload(): Promise<void> {
    await this.page.reload();
    await expect(this.page.getByRole('navigation', { name: 'Screens' })).toBeVisible();
  }
}
