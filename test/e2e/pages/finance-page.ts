// Page model of the manager's finance screen: its tables as the screen shows them, and each table's CSV export as the
// file a manager downloads.
import { readFile } from 'node:fs/promises';
import { expect } from '@playwright/test';
import type { Locator, Page } from '@playwright/test';
import { parseCsv } from '../../../renderer/lib/csv';

export class FinancePage {
  constructor(readonly page: Page) {}

  async open(): Promise<this> {
    await this.page.goto('/#/finance');
    await expect(this.page.getByRole('heading', { name: 'Finance', level: 2 })).toBeVisible();
    return this;
  }

  /** A table by its test id (finance-totals, finance-revenue-desk, finance-shifts, finance-z-staff, …). */
  table(id: string): Locator {
    return this.page.getByTestId(id);
  }

  /** The table's header and cells as the screen shows them. */
  async rows(id: string): Promise<string[][]> {
    const table = this.table(id);
    const header = await table.locator('thead th').allInnerTexts();
    const body = await table
      .locator('tbody tr')
      .evaluateAll((rows) =>
        rows.map((row) => [...row.querySelectorAll('td')].map((cell) => (cell.textContent ?? '').trim())),
      );
    return [header.map((cell) => cell.trim()), ...body];
  }

  /** Downloads the table's CSV export with its button, and reads it. */
  async exportCsv(title: string): Promise<string[][]> {
    const downloading = this.page.waitForEvent('download');
    await this.page.getByRole('button', { name: `Export CSV: ${title}`, exact: true }).click();
    const download = await downloading;
    const path = await download.path();
    return parseCsv(await readFile(path, 'utf8'));
  }

  /** Keeps one concert's figures: the first whose name holds `name` (e2e concert names carry a unique suffix). */
  async chooseConcert(name: string): Promise<void> {
    const select = this.page
      .getByRole('form', { name: 'Filters' })
      .getByRole('combobox', { name: 'Concert', exact: true });
    const valueOf = () =>
      select.evaluate(
        (element, wanted) =>
          [...(element as HTMLSelectElement).options].find((o) => o.text.includes(wanted))?.value ?? '',
        name,
      );
    await expect.poll(valueOf, { timeout: 20_000 }).not.toBe('');
    await select.selectOption(await valueOf());
  }

  async groupBy(dimension: string): Promise<void> {
    await this.page
      .getByRole('form', { name: 'Filters' })
      .getByRole('combobox', { name: 'Revenue by', exact: true })
      .selectOption({ label: dimension });
  }

  /** Opens the sales behind a row of a table by keyboard: focus it, Enter. */
  async openRow(id: string, text: string | RegExp): Promise<Locator> {
    const row = this.table(id).locator('tbody tr').filter({ hasText: text });
    await row.focus();
    await row.press('Enter');
    const detail = this.page.getByTestId('finance-detail');
    await expect(detail).toBeVisible();
    return detail;
  }
}
