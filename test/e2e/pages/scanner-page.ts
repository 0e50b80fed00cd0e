// Page model of a gate scanner: bound to a concert and a gate, scanning with a keyboard-wedge burst (keys typed into
// the window, no field focused, ending in Enter), and the full-screen verdict it shows.
import { expect } from '@playwright/test';
import type { Locator, Page } from '@playwright/test';

export class ScannerPage {
  constructor(readonly page: Page) {}

  async open(): Promise<this> {
    await this.page.getByRole('link', { name: 'Scan' }).click();
    return this;
  }

  /** Binds the scanner to the concert (by id) and a gate, in entry mode. */
  async bind(concertId: string, gate: string): Promise<void> {
    const form = this.page.getByRole('region', { name: 'Set up this scanner' });
    await expect(form.locator(`option[value="${concertId}"]`)).toHaveCount(1, { timeout: 15_000 });
    await form.getByLabel('Concert', { exact: true }).selectOption(concertId);
    await form.getByLabel('Gate', { exact: true }).fill(gate);
    await form.getByRole('button', { name: 'Start scanning' }).click();
    await expect(this.scanner()).toBeVisible();
  }

  scanner(): Locator {
    return this.page.getByTestId('scanner');
  }

  /** Waits until the scanner trusts at least `count` signing keys (replicated from the catalogue). */
  async expectSigners(count: number): Promise<void> {
    await expect
      .poll(async () => Number(await this.scanner().getAttribute('data-signers')), { timeout: 20_000 })
      .toBeGreaterThanOrEqual(count);
  }

  verdict(): Locator {
    return this.page.getByTestId('verdict');
  }

  async direction(mode: 'Entry' | 'Exit'): Promise<void> {
    await this.page.getByRole('group', { name: 'Entry or exit' }).getByRole('button', { name: mode }).click();
  }

  /** A wedge scanner's burst: the code's characters and Enter, fast, with no field focused. */
  async scan(code: string): Promise<Locator> {
    if (await this.verdict().isVisible()) await this.verdict().click();
    await expect(this.verdict()).toBeHidden();
    await this.page.evaluate(() => {
      if (document.activeElement instanceof HTMLElement) document.activeElement.blur();
    });
    await this.page.keyboard.type(code);
    await this.page.keyboard.press('Enter');
    await expect(this.verdict()).toBeVisible();
    return this.verdict();
  }

  /** Annuls this scanner's last scan (offered for two minutes after it). */
  async annulLast(): Promise<void> {
    if (await this.verdict().isVisible()) await this.verdict().click();
    await this.page.getByRole('button', { name: /^Annul the last scan/ }).click();
    await expect(this.page.getByTestId('recent-scan').first()).toHaveAttribute('data-status', 'annulled');
  }

  count(which: 'in' | 'out' | 'inside'): Locator {
    return this.page.getByTestId(`count-${which}`);
  }
}
