// Page models of the organizer's Allotments screen (desks' seats: grant, policy, give back) and the manager's
// Conflicts screen (what the box office decided differently from what desks assumed).
import { expect } from '@playwright/test';
import type { Locator, Page } from '@playwright/test';

const openScreen = async (page: Page, link: string, heading: string) => {
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: link }).click();
  await expect(page.getByRole('heading', { name: heading, level: 2 })).toBeVisible();
};

/** Picks the concert by its artist, once the box office's decisions about it have reached this desk. */
const chooseConcert = async (page: Page, artist: string) => {
  const picker = page.getByLabel('Concert', { exact: true });
  const option = picker.locator('option', { hasText: artist });
  await expect(option).toHaveCount(1, { timeout: 15_000 });
  await picker.selectOption((await option.getAttribute('value')) ?? '');
};

export type BlockFigures = Partial<Record<'granted' | 'sold' | 'returned' | 'lapsed' | 'remaining', number>>;

export type PolicyInput = {
  /** Seats per desk, by level name. */
  perLevel: Record<string, number>;
  /** Desk ids: ticked when the desk is listed, typed otherwise. */
  desks: string[];
  /** The venue's wall clock, as the datetime-local input takes it (to the minute, or to the second). */
  lapsesAt?: string;
};

export class AllotmentsPage {
  constructor(readonly page: Page) {}

  async open(): Promise<this> {
    await openScreen(this.page, 'Allotments', 'Allotments');
    return this;
  }

  async chooseConcert(artist: string): Promise<void> {
    await chooseConcert(this.page, artist);
  }

  /** This device's id, as the screen shows it (what another desk's organizer types to give it seats). */
  async deviceId(): Promise<string> {
    const id = await this.page.getByTestId('own-device').getAttribute('data-device-id');
    if (!id) throw new Error('the Allotments screen shows no device id');
    return id;
  }

  block(deviceId: string, level: string): Locator {
    return this.page.locator(
      `[data-testid="allotment-block"][data-device-id="${deviceId}"][data-level="${level}"]`,
    );
  }

  level(name: string): Locator {
    return this.page.locator(`[data-testid="allotment-level"][data-level="${name}"]`);
  }

  /** The newest allotment request first, from any desk. */
  latestRequest(): Locator {
    return this.page.getByTestId('allotment-request').first();
  }

  /** Asks the box office for a desk's seats and waits for its answer; returns the request's row. */
  async grant(deviceId: string, level: string, seats: number): Promise<Locator> {
    const form = this.page.getByRole('region', { name: 'Give a desk seats' });
    await form.getByLabel('Desk id').fill(deviceId);
    await form.getByLabel('Level', { exact: true }).selectOption(level);
    const quantity = form.getByLabel('Seats', { exact: true });
    await quantity.fill(String(seats));
    await quantity.press('Enter');
    return this.answered('AllotmentGrantRequested');
  }

  async setPolicy(policy: PolicyInput): Promise<Locator> {
    const form = this.page.getByRole('region', { name: 'Offline-ready desks' });
    for (const [level, seats] of Object.entries(policy.perLevel))
      await form.getByLabel(`${level} seats per desk`).fill(String(seats));
    const others: string[] = [];
    for (const id of policy.desks) {
      const box = form.getByRole('checkbox', { name: id });
      if ((await box.count()) === 1) await box.check();
      else others.push(id);
    }
    if (others.length > 0) await form.getByLabel('Other desk ids').fill(others.join(' '));
    const lapse = form.getByLabel('Seats lapse at');
    if (policy.lapsesAt) await lapse.fill(policy.lapsesAt);
    // Sent from the keyboard, as the desk's staff would: Enter in the form's last field.
    await lapse.press('Enter');
    return this.answered('AllotmentPolicySet');
  }

  /** Gives back this desk's unsold seats of the level (what no sale on its way needs) and waits for the answer. */
  async giveBackUnsold(level: string): Promise<Locator> {
    const row = this.block(await this.deviceId(), level);
    await row.getByRole('button', { name: /^Give back \d+ unsold/ }).click();
    return this.answered('AllotmentReturnRequested');
  }

  /** The newest request of the type, once the box office answered it (done or refused). */
  async answered(type: string): Promise<Locator> {
    const row = this.page.locator(`[data-testid="allotment-request"][data-type="${type}"]`).first();
    await expect(row).not.toHaveAttribute('data-status', 'pending', { timeout: 15_000 });
    return row;
  }

  async expectBlock(
    deviceId: string,
    level: string,
    figures: BlockFigures,
    options: { timeout?: number } = {},
  ): Promise<void> {
    const row = this.block(deviceId, level);
    for (const [name, value] of Object.entries(figures))
      await expect(row).toHaveAttribute(`data-${name}`, String(value), {
        timeout: options.timeout ?? 15_000,
      });
  }

  /**
   * The box office's clock as this desk last heard it (the policy form shows it): what a lapse is measured on. The
   * e2e servers run it faster than real time, so it is read, never assumed.
   */
  async boxOfficeClock(): Promise<Date> {
    const clock = this.page
      .getByRole('region', { name: 'Offline-ready desks' })
      .getByTestId('box-office-clock');
    await expect(clock).toBeVisible({ timeout: 15_000 });
    const time = await clock.getAttribute('data-time');
    if (!time) throw new Error('the Allotments screen shows no box office clock');
    return new Date(time);
  }

  async expectFree(level: string, free: number): Promise<void> {
    await expect(this.level(level)).toHaveAttribute('data-free', String(free), { timeout: 15_000 });
  }
}

export type ConflictOutcome = 'unsettled' | 'settling' | 'cash_refund' | 'exchange' | 'lapsed' | 'expired';

export class ConflictsPage {
  constructor(readonly page: Page) {}

  async open(): Promise<this> {
    await openScreen(this.page, 'Conflicts', 'Conflicts');
    return this;
  }

  async chooseConcert(artist: string): Promise<void> {
    await chooseConcert(this.page, artist);
  }

  rows(): Locator {
    return this.page.getByTestId('conflict');
  }

  /** The rejected sales of a desk, its lapsed seats, or the expired holds of the orders it confirmed. */
  of(kind: 'rejected_sale' | 'lapsed_block' | 'expired_hold', deviceId: string): Locator {
    return this.page.locator(`[data-testid="conflict"][data-kind="${kind}"][data-device-id="${deviceId}"]`);
  }

  /** Waits until the desk has `count` rejected sales listed, each with the outcome given. */
  async expectRejected(deviceId: string, count: number, outcome?: ConflictOutcome): Promise<void> {
    const rows = this.of('rejected_sale', deviceId);
    await expect(rows).toHaveCount(count, { timeout: 15_000 });
    if (outcome)
      for (const row of await rows.all())
        await expect(row).toHaveAttribute('data-outcome', outcome, { timeout: 15_000 });
  }

  async expectNone(): Promise<void> {
    await expect(this.page.getByTestId('no-conflicts')).toBeVisible();
  }

  /** Sorts by a time column: 'Desk time' or 'Box office time' (a second press turns the order round). */
  async sortBy(column: 'Desk time' | 'Box office time'): Promise<void> {
    await this.page.getByRole('button', { name: column }).click();
  }
}
