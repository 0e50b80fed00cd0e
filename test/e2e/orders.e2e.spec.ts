// The box office's order flow at a desk: a cart across concerts becomes an order the authorities carry through seats,
// cash, tickets and invoice; a cart survives a reload; a hold that lapses shows as expired and the cart can be
// confirmed again. The global setup runs the authorities' clock fast with one-minute holds (see global-setup.ts).
import { expect, test } from './fixtures';
import { ConflictsPage } from './pages/allotments-page';

test('a cart of three lines for two concerts, emailed, paid in cash, reaches tickets issued and invoiced', async ({
  openDesk,
}) => {
  const office = await openDesk('Office', { device: 'manager' });
  const desk = await openDesk('Box office 1');
  const golden = await office.publishConcert('Golden Band', [
    { name: 'Golden Circle', capacity: 10, price: '1200' },
    { name: 'Regular', capacity: 100, price: '350' },
  ]);
  const quartet = await office.publishConcert('Quiet Quartet', [
    { name: 'Floor', capacity: 50, price: '200' },
  ]);

  const orders = await desk.orders();
  await orders.add(golden, 'Golden Circle', 1);
  await orders.add(golden, 'Regular', 1);
  await orders.add(quartet, 'Floor', 3);
  await orders.add(golden, 'Golden Circle', 1); // the same level again adds to its line
  await expect(orders.lines()).toHaveCount(3);
  await orders.changeQuantity(quartet, 'Floor', 4);
  await orders.changeQuantity(quartet, 'Floor', 3);
  // 2 × 1,200 + 350 + 3 × 200
  await expect(orders.total()).toHaveText(/3,350\.00/);

  await orders.chooseEmail('fan@');
  await orders.page.getByRole('button', { name: 'Confirm order' }).click();
  await expect(orders.deliveryProblem()).toContainText('is not an email address');
  await orders.chooseEmail('fan@example.com');
  const number = await orders.confirm();

  await orders.expectStep('awaiting_payment');
  await expect(orders.page.getByText(/Seats held until/)).toBeVisible();
  await orders.takeCash('3400', /50\.00/);
  await orders.expectStep(/^(ticketed|invoiced|confirmation_requested|completed)$/, 30_000);
  await expect(orders.page.getByRole('list', { name: 'Progress' })).toContainText('Tickets issued (6)');
  await orders.expectStep(/^(invoiced|confirmation_requested|completed)$/, 30_000);
  await expect(orders.page.getByTestId('order-invoice')).toContainText(/Invoice \S+/, { timeout: 15_000 });
  await expect(orders.page.getByTestId('payment')).toContainText('change');

  await expect(orders.todayOrder(number)).toHaveCount(1);
  await expect(orders.lines()).toHaveCount(0);
});

test('a reload in the middle of a sale keeps the carts: the one served and the one parked', async ({
  openDesk,
}) => {
  const office = await openDesk('Office', { device: 'manager' });
  const desk = await openDesk('Box office 2');
  const concert = await office.publishConcert('Reload Band', [
    { name: 'Balcony', capacity: 20, price: '150' },
    { name: 'Stalls', capacity: 20, price: '250' },
  ]);
  const orders = await desk.orders();
  await orders.add(concert, 'Balcony', 2);
  await orders.newCart();
  await orders.add(concert, 'Stalls', 1);
  await orders.add(concert, 'Balcony', 1);

  await desk.reload();
  await desk.orders();
  await expect(orders.cartTabs()).toHaveCount(2);
  await orders.switchCart(2);
  await expect(orders.lines()).toHaveCount(2);
  await expect(orders.total()).toHaveText(/400\.00/);
  await orders.switchCart(1);
  await expect(orders.lines()).toHaveCount(1);
  await expect(orders.line(concert, 'Balcony').getByRole('textbox')).toHaveValue('2');
});

test('a hold that lapses shows the order as expired, and the same cart can be confirmed again', async ({
  openDesk,
}) => {
  test.setTimeout(150_000);
  const office = await openDesk('Office', { device: 'manager' });
  const desk = await openDesk('Box office 3');
  const concert = await office.publishConcert('Lapsing Choir', [{ name: 'Nave', capacity: 10, price: '90' }]);
  const orders = await desk.orders();
  await orders.add(concert, 'Nave', 2);
  await orders.chooseCourier({
    recipient: 'Anna Nowak',
    line1: 'ul. Marszałkowska 1',
    postalCode: '00950',
    city: 'Warszawa',
    country: 'PL',
  });
  await orders.page.getByRole('button', { name: 'Confirm order' }).click();
  await expect(orders.deliveryProblem()).toContainText('00-950');
  await orders.page.getByLabel('Postal code').fill('00-950');
  const first = await orders.confirm();

  await orders.expectStep('awaiting_payment');
  await orders.expectStep('expired', 90_000);
  await expect(orders.page.getByTestId('order-message')).toContainText('expired');

  const second = await orders.confirmAgain();
  expect(second).not.toBe(first);
  await orders.expectStep('awaiting_payment');
  await expect(orders.page.getByTestId('order-total')).toHaveText(/180\.00/);
  await orders.takeCash('', /0\.00/);
  await orders.expectStep(/^(paid|ticketed|invoiced|confirmation_requested|completed)$/, 30_000);

  await orders.find(first.toLowerCase());
  await expect(orders.page.getByTestId('order-number')).toHaveText(first);
  await orders.expectStep('expired');

  // The box office ended the hold, not the desk: the desk's own conflict list and the manager's report show it.
  await desk.openSell();
  const expiredHere = desk.page.locator('[data-testid="desk-conflict"][data-kind="expired"]');
  await expect(expiredHere).toHaveCount(1);
  await expect(expiredHere).toContainText(`2 "Nave" seats for order ${first}`);
  const manager = await new ConflictsPage(desk.page).open();
  await manager.chooseConcert(concert);
  const expired = manager.of('expired_hold', await desk.deviceId());
  await expect(expired).toHaveCount(1);
  await expect(expired).toHaveAttribute('data-outcome', 'expired');
  await expect(expired).toContainText(`Order ${first}`);
  // The desk's clock when it confirmed the order, and the box office's when the hold ran out.
  await expect(expired.locator('time')).toHaveCount(2);
  await expect(manager.rows()).toHaveCount(1);
});
