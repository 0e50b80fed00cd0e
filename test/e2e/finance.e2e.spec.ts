// Issue 9's finance desk: a desk sells for cash and closes its drawer short; the manager's screen shows the revenue
// with the sales behind it, the cash-up with its variance, and a CSV export whose rows are the table on the screen.
import { adminApi, expect, test } from './fixtures';
import { DrawerPage } from './pages/drawer-page';
import { FinancePage } from './pages/finance-page';

test('a cash sale and a short drawer reach the manager’s finance screen, and its CSV export matches it', async ({
  openDesk,
}) => {
  // Set-up: an organizer's office publishes a concert, a desk sells, a manager reads the books.
  const office = await openDesk('Office', { device: 'manager' });
  const desk = await openDesk('Desk A');
  const manager = await openDesk('Books', {
    device: 'manager',
    person: await adminApi.createPerson('manager'),
  });
  const concert = await office.publishConcert('Ledger Lions', [{ name: 'Front', capacity: 10, price: '50' }]);

  const drawer = await new DrawerPage(desk.page).open();
  await drawer.openShift('100');
  await desk.sell({ concert, level: 'Front', quantity: 2, tendered: '100' });
  await desk.expectLatestSale('confirmed', { timeout: 15_000 });
  await drawer.open();
  // 100 + 2 × 50 = 200 expected; 195 counted: 5 short.
  await expect(drawer.expected()).toHaveText(/200\.00/);
  await drawer.close('195');
  const deskId = await desk.deviceId();

  const finance = await new FinancePage(manager.page).open();
  // Other scenarios of the run sell too: this one reads its own concert's figures.
  await finance.chooseConcert('Ledger Lions');
  const totals = finance.table('finance-totals');
  await expect(totals).toContainText('100.00 PLN', { timeout: 20_000 });
  await expect(totals.locator('tbody tr')).toHaveCount(1);
  expect(await finance.rows('finance-totals')).toEqual([
    ['Currency', 'Sales', 'Refunds', 'Net', 'Tickets'],
    ['PLN', '100.00 PLN', '0.00 PLN', '100.00 PLN', '2'],
  ]);

  // The figure opens the sale behind it, with the facts in the log.
  const detail = await finance.openRow('finance-totals', 'PLN');
  await expect(detail.getByTestId('finance-lines').locator('tbody tr')).toHaveCount(1);
  await expect(detail.getByTestId('finance-lines')).toContainText(deskId);

  // Revenue by desk names the desk that sold.
  await finance.groupBy('Desk');
  await expect(finance.table('finance-revenue-desk')).toContainText(deskId);

  // The cash-up: the desk's closed shift with what it should have held, what was counted and the variance.
  const shift = finance.table('finance-shifts').locator('tbody tr').filter({ hasText: deskId });
  await expect(shift).toHaveCount(1, { timeout: 20_000 });
  await expect(shift).toContainText('200.00 PLN');
  await expect(shift).toContainText('195.00 PLN');
  await expect(shift).toContainText('-5.00 PLN');

  // The sale's order is invoiced with a number from the authority's series, and the invoice downloads as a PDF.
  const invoice = finance.table('finance-invoices').locator('tbody tr').filter({ hasText: 'FV/' });
  await expect(invoice).toHaveCount(1, { timeout: 20_000 });
  const pdf = manager.page.waitForEvent('download');
  await invoice.getByRole('button', { name: /^PDF of FV\// }).click();
  expect((await pdf).suggestedFilename()).toMatch(/^FV-\d{4}-\d{6}\.pdf$/);

  // Each export holds exactly what its table shows.
  expect(await finance.exportCsv('Cash-up: every desk’s shifts (Z-reports)')).toEqual(
    await finance.rows('finance-shifts'),
  );
  expect(await finance.exportCsv('Revenue')).toEqual(await finance.rows('finance-totals'));
  expect(await finance.exportCsv('Z-report by staff member and payment method')).toEqual(
    await finance.rows('finance-z-staff'),
  );
});
