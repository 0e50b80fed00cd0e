// Page model of a desk's cash drawer screen: open a shift with a float, pay cash in or out, close with the count, and
// read the open shift's expected cash and the last closed shift's report.
import { expect } from '@playwright/test';
import type { Locator, Page } from '@playwright/test';

export class DrawerPage {
  constructor(readonly page: Page) {}

  async open(): Promise<this> {
    await this.page
      .getByRole('navigation', { name: 'Screens' })
      .getByRole('link', { name: 'Drawer' })
      .click();
    await expect(this.page.getByRole('heading', { name: 'Cash drawer' })).toBeVisible();
    return this;
  }

  /** Opens a shift with its float, by keyboard (the float field has the focus). */
  async openShift(float: string, currency = 'PLN'): Promise<void> {
    const form = this.page.getByRole('form', { name: 'Open shift' });
    await form.getByLabel('Currency').fill(currency);
    const field = form.getByLabel('Float');
    await field.fill(float);
    await field.press('Enter');
    await expect(this.page.getByTestId('drawer-open')).toBeVisible();
  }

  /** What the open shift's drawer should hold, as the screen says it. */
  expected(): Locator {
    return this.page.getByTestId('drawer-open').getByTestId('drawer-expected');
  }

  async payIn(amount: string, reason: string): Promise<void> {
    const form = this.page.getByRole('form', { name: 'Pay in or out' });
    await form.getByLabel('Amount').fill(amount);
    const field = form.getByLabel('Reason');
    await field.fill(reason);
    await field.press('Enter');
    await expect(form.getByRole('status')).toContainText('Recorded: paid in');
  }

  /** Closes the open shift with the cash counted, by keyboard. */
  async close(counted: string): Promise<void> {
    const field = this.page.getByRole('form', { name: 'Close shift' }).getByLabel('Counted');
    await field.fill(counted);
    await field.press('Enter');
    await expect(this.page.getByTestId('drawer-open')).toBeHidden();
  }

  /** The last closed shift's report (Z-report). */
  report(): Locator {
    return this.page.getByTestId('drawer-report');
  }

  error(): Locator {
    return this.page.getByTestId('drawer').getByRole('alert');
  }
}
