// Issue 9's card sale: a desk sells an order by card (the local Stripe-compatible server approves the test card and
// confirms by webhook), refunds one of its tickets to the card, and closes its drawer with a count that is off. The
// manager's finance screen shows the card revenue, the refund, the net and the cash-up with its variance, and each
// table's CSV export holds exactly what the screen shows.
import { adminApi, expect, test } from './fixtures';
import { DrawerPage } from './pages/drawer-page';
import { FinancePage } from './pages/finance-page';

test('a card sale with one ticket refunded to the card and a drawer counted short reach the manager’s finance screen', async ({
  openDesk,
}) => {
  test.setTimeout(120_000);
  // Set-up: an organizer's office publishes a concert, a desk sells, a manager reads the books.
  const office = await openDesk('Office', { device: 'manager' });
  const desk = await openDesk('Card desk');
  const manager = await openDesk('Books', {
    device: 'manager',
    person: await adminApi.createPerson('manager'),
  });
  const concert = await office.publishConcert('Card Cadets', [{ name: 'Stalls', capacity: 10, price: '80' }]);

  const drawer = await new DrawerPage(desk.page).open();
  await drawer.openShift('100');

  // Three tickets at 80 = 240, paid by card.
  const orders = await desk.orders();
  await orders.add(concert, 'Stalls', 3);
  await orders.chooseEmail('card.fan@example.com');
  const number = await orders.confirm();
  await orders.expectStep('awaiting_payment');
  await orders.payByCard(/240\.00/);
  await orders.expectStep(/^(invoiced|confirmation_requested|completed)$/);
  await expect(orders.page.getByRole('list', { name: 'Progress' })).toContainText('Tickets issued (3)');
  await expect(orders.page.getByTestId('order-invoice')).toContainText(/Invoice FV\//, { timeout: 20_000 });
  await expect(orders.payment()).toHaveAttribute('data-status', 'captured');
  await expect(orders.order().getByTestId('order-refunds')).toContainText(/Paid by card \(pi_\w+\)/);

  // One ticket goes back to the card: the authority accepts it, the gateway refunds and its webhook confirms.
  await expect(orders.refundableTickets()).toHaveCount(3);
  const [refunded = ''] = await orders.refundTickets(1, 'card', 'cannot come');
  await expect(orders.refunds()).toHaveCount(1);
  await expect(orders.refunds()).toHaveAttribute('data-status', 'refunded', { timeout: 20_000 });
  await expect(orders.refunds()).toContainText(/Refunded .*80\.00 \(card\)/);
  // The invoiced order's refund is credited on the invoice.
  await expect(orders.refunds()).toContainText(/Credit note KOR\//, { timeout: 20_000 });
  await expect(
    orders.refundableTickets().and(orders.page.locator(`[data-ticket="${refunded}"]`)),
  ).toContainText('Refunded');
  await expect(orders.refundableTickets().filter({ hasText: 'Refunded' })).toHaveCount(1);
  // The payment is 240 with 80 of it back on the card; nothing is to be handed back at the desk.
  await expect(orders.payment()).toHaveText(/240\.00 paid; .*80\.00 of it refunded/);
  await expect(orders.payment().getByRole('alert')).toHaveCount(0);

  // The card's money is in no drawer: the drawer should hold its float of 100; 90 is counted, 10 short.
  await drawer.open();
  await expect(drawer.expected()).toHaveText(/100\.00/);
  await drawer.close('90');
  const deskId = await desk.deviceId();

  const finance = await new FinancePage(manager.page).open();
  await finance.chooseConcert(concert);
  const totals = finance.table('finance-totals');
  await expect(totals).toContainText('160.00 PLN', { timeout: 20_000 });
  expect(await finance.rows('finance-totals')).toEqual([
    ['Currency', 'Sales', 'Refunds', 'Net', 'Tickets'],
    ['PLN', '240.00 PLN', '-80.00 PLN', '160.00 PLN', '2'],
  ]);

  // Revenue by payment method: all of it by card.
  await finance.groupBy('Payment method');
  expect(await finance.rows('finance-revenue-method')).toEqual([
    ['Payment method', 'Sales', 'Refunds', 'Net', 'Tickets'],
    ['Card', '240.00 PLN', '-80.00 PLN', '160.00 PLN', '2'],
  ]);

  // The refund: one ticket of the concert's Stalls, to the card, by this desk.
  const refunds = finance.table('finance-refunds');
  await expect(refunds.locator('tbody tr')).toHaveCount(1);
  const [header = [], refund = []] = await finance.rows('finance-refunds');
  const cell = (name: string) => refund[header.indexOf(name)];
  expect(cell('Kind')).toBe('refund');
  expect(cell('Concert')).toContain(concert);
  expect(cell('Level')).toBe('Stalls');
  expect(cell('Desk')).toContain(deskId);
  expect(cell('Method')).toBe('Card');
  expect(cell('Tickets')).toBe('1');
  expect(cell('Amount')).toBe('-80.00 PLN');

  // The cash-up: the desk's shift held no card money; 100 expected, 90 counted, 10 short.
  const shift = finance.table('finance-shifts').locator('tbody tr').filter({ hasText: deskId });
  await expect(shift).toHaveCount(1, { timeout: 20_000 });
  const [shiftHeader = [], ...shiftRows] = await finance.rows('finance-shifts');
  const ours = shiftRows.find((row) => row.some((text) => text.includes(deskId))) ?? [];
  const shiftCell = (name: string) => ours[shiftHeader.indexOf(name)];
  expect(shiftCell('Float')).toBe('100.00 PLN');
  expect(shiftCell('Cash sales')).toBe('0.00 PLN');
  expect(shiftCell('Expected')).toBe('100.00 PLN');
  expect(shiftCell('Counted')).toBe('90.00 PLN');
  expect(shiftCell('Variance')).toBe('-10.00 PLN');

  // The order's invoice (paid by card) and the credit note of the refunded ticket.
  const documents = finance.table('finance-invoices').locator('tbody tr').filter({ hasText: number });
  await expect(documents).toHaveCount(2);
  await expect(documents.filter({ hasText: 'FV/' })).toContainText('240.00 PLN');
  await expect(documents.filter({ hasText: 'FV/' })).toContainText('Card');
  await expect(documents.filter({ hasText: 'KOR/' })).toContainText('Credit note');
  await expect(documents.filter({ hasText: 'KOR/' })).toContainText('-80.00 PLN');

  // Each export holds exactly what its table shows.
  expect(await finance.exportCsv('Revenue')).toEqual(await finance.rows('finance-totals'));
  expect(await finance.exportCsv('Refunds')).toEqual(await finance.rows('finance-refunds'));
  expect(await finance.exportCsv('Cash-up: every desk’s shifts (Z-reports)')).toEqual(
    await finance.rows('finance-shifts'),
  );
});
