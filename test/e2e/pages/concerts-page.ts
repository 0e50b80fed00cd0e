// Page model of the Concerts screen: an organizer's requests, and the authority's answers as they arrive.
import { expect } from '@playwright/test';
import type { Locator, Page } from '@playwright/test';

export type NewConcert = {
  artist: string;
  title?: string;
  venue?: string;
  city?: string;
  /** The venue's wall clock, as the datetime-local input takes it. */
  startsAt?: string;
  timezone?: string;
  currency?: string;
  levels: { name: string; capacity: number; price: string }[];
};

const statusLabels = {
  requested: 'Requested',
  draft: 'Draft',
  published: 'On sale',
  cancelled: 'Cancelled',
  rejected: 'Rejected',
};
export type ConcertStatus = keyof typeof statusLabels;

export class ConcertsPage {
  constructor(readonly page: Page) {}

  async open(): Promise<this> {
    await this.page
      .getByRole('navigation', { name: 'Screens' })
      .getByRole('link', { name: 'Concerts' })
      .click();
    await expect(this.page.getByRole('heading', { name: 'Concerts', level: 2 })).toBeVisible();
    return this;
  }

  row(artist: string): Locator {
    return this.page
      .getByTestId('concert')
      .filter({ has: this.page.getByRole('rowheader', { name: artist }) });
  }

  /** Asks for the concert and waits for the authority to create it (a draft). */
  async create(concert: NewConcert): Promise<void> {
    const { page } = this;
    await page.getByRole('button', { name: 'New concert' }).click();
    await page.getByLabel('Artist', { exact: true }).fill(concert.artist);
    await page.getByLabel('Tour or show title').fill(concert.title ?? 'E2E Tour');
    await page.getByLabel('Venue', { exact: true }).fill(concert.venue ?? 'Torwar');
    await page.getByLabel('City', { exact: true }).fill(concert.city ?? 'Warsaw');
    await page.getByLabel('Date and time (venue time)').fill(concert.startsAt ?? '2027-06-27T20:00');
    await page.getByLabel('Venue timezone').fill(concert.timezone ?? 'Europe/Warsaw');
    await page.getByLabel('Currency', { exact: true }).fill(concert.currency ?? 'PLN');
    for (const [i, level] of concert.levels.entries()) {
      if (i > 0) await page.getByRole('button', { name: 'Add a level' }).click();
      await page.getByLabel(`Level name ${i + 1}`, { exact: true }).fill(level.name);
      await page.getByLabel(`Capacity ${i + 1}`, { exact: true }).fill(String(level.capacity));
      await page.getByLabel(`Price ${i + 1}`, { exact: true }).fill(level.price);
    }
    await page.getByRole('button', { name: 'Ask to create' }).click();
    await this.expectStatus(concert.artist, 'draft');
  }

  async publish(artist: string): Promise<void> {
    await this.row(artist).getByRole('button', { name: 'Publish' }).click();
    await this.expectStatus(artist, 'published');
  }

  async unpublish(artist: string): Promise<void> {
    await this.row(artist).getByRole('button', { name: 'Unpublish' }).click();
    await this.expectStatus(artist, 'draft');
  }

  async cancel(artist: string, reason: string): Promise<void> {
    await this.row(artist).getByRole('button', { name: 'Cancel concert' }).click();
    await this.row(artist)
      .getByLabel(/Reason for cancelling/)
      .fill(reason);
    await this.row(artist).getByRole('button', { name: 'Cancel the concert' }).click();
    await this.expectStatus(artist, 'cancelled');
  }

  async expectStatus(artist: string, status: ConcertStatus): Promise<void> {
    const row = this.row(artist);
    await expect(row).toHaveAttribute('data-status', status, { timeout: 15_000 });
    await expect(row).toContainText(statusLabels[status]);
  }
}
