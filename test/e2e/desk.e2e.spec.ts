// Issue 3's scenarios: sales made at desks travel to the authority and back, also after a desk was offline.
import { expect, test } from './fixtures';

test('two desks share three Golden Circle seats: the first sale is confirmed, the oversell is rejected', async ({
  openDesk,
}) => {
  const office = await openDesk('Office', { device: 'manager' });
  const deskA = await openDesk('Desk A');
  const deskB = await openDesk('Desk B');
  const concert = await office.publishConcert('Golden Band', [
    { name: 'Golden Circle', capacity: 3, price: '1200' },
  ]);

  await deskA.sell({ concert, level: 'Golden Circle', quantity: 2, tendered: '2500' });
  await deskA.expectLatestSale('confirmed');
  // The sale goes on as a one-line order: its tickets, then its numbered invoice.
  await expect(deskA.latestSale().getByTestId('sale-order')).toContainText(/Invoiced FV\/\d{4}\/\d{6}/, {
    timeout: 20_000,
  });

  await deskB.openSell();
  await deskB.choose(concert, 'Golden Circle');
  await expect(deskB.left('Golden Circle')).toHaveText('1');

  await deskB.sell({ concert, level: 'Golden Circle', quantity: 2, overAvailable: true });
  await deskB.expectLatestSale('rejected', { reason: /sold out/ });
  await expect(deskB.latestSale().getByTestId('sale-order')).toBeEmpty();
});

test('an offline sale is pending and waits to upload, then is confirmed within seconds of reconnecting', async ({
  openDesk,
}) => {
  const office = await openDesk('Office', { device: 'manager' });
  const deskA = await openDesk('Desk A');
  const concert = await office.publishConcert('Offline Orchestra', [
    { name: 'Regular', capacity: 100, price: '350' },
  ]);
  await deskA.openSell();
  await deskA.choose(concert, 'Regular');

  await deskA.setOffline(true);
  await deskA.sell({ concert, level: 'Regular', quantity: 1 });
  await deskA.expectLatestSale('pending');
  await expect(deskA.waiting()).toHaveText('1');

  await deskA.setOffline(false);
  await deskA.expectLatestSale('confirmed', { timeout: 10_000 });
  await expect(deskA.waiting()).toHaveText('0');
});

test('a reload while offline keeps the pending sale and its status', async ({ openDesk }) => {
  const office = await openDesk('Office', { device: 'manager' });
  const deskA = await openDesk('Desk A');
  const concert = await office.publishConcert('Reload Quartet', [
    { name: 'Regular', capacity: 100, price: '350' },
  ]);
  await deskA.openSell();
  await deskA.choose(concert, 'Regular');
  await deskA.waitUntilOfflineReady();

  await deskA.setOffline(true);
  await deskA.sell({ concert, level: 'Regular', quantity: 1 });
  await deskA.expectLatestSale('pending');

  await deskA.reload();
  await expect(deskA.connection()).toHaveText(/Offline/);
  await deskA.openSell();
  await deskA.expectLatestSale('pending');
  await expect(deskA.waiting()).toHaveText('1');

  await deskA.setOffline(false);
  await deskA.expectLatestSale('confirmed', { timeout: 10_000 });
  await expect(deskA.waiting()).toHaveText('0');
});
