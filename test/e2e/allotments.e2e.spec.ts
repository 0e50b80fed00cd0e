// Issue 6's scenario: three desks sell one level of 10 seats offline, two of them from blocks of seats (allotments)
// the box office set aside for them. What a desk promised inside its block is confirmed whatever the order of
// reconnection; what it sold beyond is decided on the seats left, and the one sale that found none is rejected "sold
// out", shown in a banner until the desk has made it good. Every sale is one ticket.
import { AllotmentsPage, ConflictsPage } from './pages/allotments-page';
import type { DeskPage } from './pages/desk-page';
import { expect, test } from './fixtures';

const level = 'Golden Circle';

/** One-ticket sales, one after the other, each with the promise the desk must show before payment. */
async function sellOneByOne(
  desk: DeskPage,
  concert: string,
  sales: number,
  promise: 'guaranteed' | 'pending',
): Promise<void> {
  for (let i = 0; i < sales; i++) {
    await desk.sell({ concert, level, quantity: 1, promise });
    await desk.expectLatestSale(promise);
  }
}

test('three desks sell 10 seats offline, 7 of them from blocks: none over, the one refused is refunded', async ({
  openDesk,
}) => {
  test.setTimeout(180_000);
  const office = await openDesk('Office', { device: 'manager' });
  const deskA = await openDesk('Desk A');
  const deskB = await openDesk('Desk B');
  const deskC = await openDesk('Desk C');
  const concert = await office.publishConcert('Allotment Band', [
    { name: level, capacity: 10, price: '100' },
  ]);

  // The organizer sets 4 seats aside for desk A and 3 for desk B, on the Allotments screen.
  const admin = await new AllotmentsPage(office.page).open();
  await admin.chooseConcert(concert);
  for (const [desk, quantity] of [
    [deskA, 4],
    [deskB, 3],
  ] as const) {
    const granted = await admin.grant(await desk.deviceId(), level, quantity);
    await expect(granted).toHaveAttribute('data-status', 'done', { timeout: 15_000 });
  }
  await admin.expectFree(level, 3);

  // Every desk has heard the grants (the authority's decisions) before it goes offline.
  for (const [desk, block, left] of [
    [deskA, /^4 until/, '3'],
    [deskB, /^3 until/, '3'],
    [deskC, /^—$/, '3'],
  ] as const) {
    await desk.openSell();
    await desk.choose(concert, level);
    await expect(desk.blockLeft(level)).toHaveText(block, { timeout: 15_000 });
    await expect(desk.left(level)).toHaveText(left);
  }
  for (const desk of [deskA, deskB, deskC]) await desk.setOffline(true);

  await sellOneByOne(deskA, concert, 4, 'guaranteed');
  await expect(deskA.blockLeft(level)).toHaveText(/^0 until/);
  await sellOneByOne(deskB, concert, 3, 'guaranteed');
  await sellOneByOne(deskB, concert, 2, 'pending');
  await sellOneByOne(deskC, concert, 2, 'pending');
  await expect(deskB.sales('guaranteed')).toHaveCount(3);
  await expect(deskB.sales('pending')).toHaveCount(2);

  // Back one after the other, each settled before the next: C, then B, then A.
  await deskC.setOffline(false);
  await expect(deskC.sales('confirmed')).toHaveCount(2, { timeout: 20_000 });

  await deskB.setOffline(false);
  await expect(deskB.sales('confirmed')).toHaveCount(4, { timeout: 20_000 });
  await expect(deskB.sales('rejected')).toHaveCount(1);
  // The first pending sale took the last free seat; the second, B's latest, found none.
  await deskB.expectLatestSale('rejected', { reason: /sold out/ });
  await expect(deskB.page.getByTestId('sale').nth(1)).toHaveAttribute('data-status', 'confirmed');

  await deskA.setOffline(false);
  await expect(deskA.sales('confirmed')).toHaveCount(4, { timeout: 20_000 });
  await expect(deskA.sales('rejected')).toHaveCount(0);

  // 10 sold, none over: every desk that hears it sees no seat left, and nothing set aside any more.
  for (const desk of [deskA, deskB, deskC])
    await expect(desk.left(level)).toHaveText('0', { timeout: 15_000 });
  await expect(deskA.blockLeft(level)).toHaveText(/^0 until/);
  await expect(deskB.blockLeft(level)).toHaveText(/^0 until/);

  // Desk B can't miss the rejected sale; it hands the cash back, and the box office settles it.
  const banner = deskB.rejectedBanner();
  await expect(banner).toBeVisible();
  await expect(banner).toContainText('A sale was rejected by the box office');
  await expect(banner).toContainText('sold out');
  await expect(deskA.rejectedBanner()).toHaveCount(0);
  await expect(deskC.rejectedBanner()).toHaveCount(0);
  await deskB.refundRejected(/PLN\s100\.00/);
  await expect(banner).toHaveCount(0, { timeout: 15_000 });
  await expect(deskB.latestSale().getByTestId('sale-settlement')).toHaveText(
    /Cash refund of PLN\s100\.00 settled by the box office/,
  );

  // The desk's own conflict report lists it, with the desk's and the box office's times.
  const conflict = deskB.page.getByTestId('desk-conflict');
  await expect(conflict).toHaveCount(1);
  await expect(conflict).toHaveAttribute('data-kind', 'rejected');
  await expect(conflict).toContainText('sold out');
  await expect(conflict).toContainText('settled by the box office');

  // The manager's conflict report lists it across desks: desk B's one rejected sale, refunded in cash.
  const manager = await new ConflictsPage(office.page).open();
  await manager.chooseConcert(concert);
  await manager.expectRejected(await deskB.deviceId(), 1, 'cash_refund');
  await expect(manager.rows()).toHaveCount(1);
});

test('a rejected sale is exchanged for seats of another level: a new sale, then the settlement, both decided', async ({
  openDesk,
}) => {
  const office = await openDesk('Office', { device: 'manager' });
  const desk = await openDesk('Desk A');
  const concert = await office.publishConcert('Exchange Band', [
    { name: level, capacity: 1, price: '100' },
    { name: 'Regular', capacity: 5, price: '40' },
  ]);

  // Two seats where one is left: not guaranteed, sold anyway, and refused.
  await desk.sell({ concert, level, quantity: 2, promise: 'pending', overAvailable: true });
  await desk.expectLatestSale('rejected', { reason: /sold out/ });

  const banner = desk.rejectedBanner();
  await expect(banner).toBeVisible();
  await banner.getByRole('button', { name: 'Exchange' }).press('Enter');
  const exchange = banner.getByRole('form', { name: 'Exchange for another level or concert' });
  await expect(exchange.getByLabel('Level', { exact: true })).toHaveValue('Regular');
  await expect(exchange.getByTestId('exchange-difference')).toHaveText(/Hand back PLN\s120\.00 in cash/);
  // Not guaranteed, but online and within the seats left: decided in a moment, so no question is asked.
  const promise = exchange.getByTestId('sell-promise');
  await expect(promise).toHaveAttribute('data-promise', 'pending');
  await expect(promise).toHaveAttribute('data-asks', 'no');
  await exchange.getByLabel('Seats').press('Enter');
  await expect(banner.getByRole('button', { name: 'Sell anyway' })).toHaveCount(0);

  await expect(banner).toHaveCount(0, { timeout: 15_000 });
  const [newSale, refused] = [desk.page.getByTestId('sale').nth(0), desk.page.getByTestId('sale').nth(1)];
  await expect(newSale).toHaveAttribute('data-status', 'confirmed');
  await expect(newSale).toContainText('Regular');
  await expect(refused.getByTestId('sale-settlement')).toHaveText(
    /Exchange, PLN\s120\.00 handed back, settled by the box office/,
  );
});
