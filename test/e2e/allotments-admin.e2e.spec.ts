// Issue 6, the organizer's and the manager's side: desks' seats given, refused and given back from the Allotments
// screen, and the manager's conflict report across desks.
import { adminApi, expect, test } from './fixtures';
import { AllotmentsPage, ConflictsPage } from './pages/allotments-page';

test('an organizer gives desks seats from the free ones, a refusal says how many there are, and a desk gives back its unsold', async ({
  openDesk,
}) => {
  const office = await openDesk('Office', { device: 'manager' });
  // Blocks are a selling desk's: the office's device (a manager's) sells nor gives back any.
  const deskA = await openDesk('Desk A');
  const deskB = await openDesk('Desk B');
  const concert = await office.publishConcert('Allotted Trio', [
    { name: 'Floor', capacity: 10, price: '100' },
  ]);
  const deskBId = await deskB.deviceId();

  const admin = await new AllotmentsPage(office.page).open();
  await admin.chooseConcert(concert);
  const deskAId = await deskA.deviceId();
  await admin.expectFree('Floor', 10);

  const granted = await admin.grant(deskBId, 'Floor', 3);
  await expect(granted).toHaveAttribute('data-status', 'done');
  await expect(granted).toContainText('3 seats given');
  await admin.expectBlock(deskBId, 'Floor', { granted: 3, sold: 0, remaining: 3 });
  await admin.expectFree('Floor', 7);

  const refused = await admin.grant(deskBId, 'Floor', 8);
  await expect(refused).toHaveAttribute('data-status', 'refused');
  await expect(refused).toContainText('Ask for 7 or fewer');

  // Desk B holds 3 already: the policy tops up only desk A.
  const policy = await admin.setPolicy({ perLevel: { Floor: 2 }, desks: [deskAId, deskBId] });
  await expect(policy).toHaveAttribute('data-status', 'done');
  await expect(policy).toContainText('2 seats given');
  await admin.expectBlock(deskAId, 'Floor', { granted: 2, remaining: 2 });
  await admin.expectBlock(deskBId, 'Floor', { granted: 3, remaining: 3 });
  await admin.expectFree('Floor', 5);

  // Only a desk's own seats can be given back, from that desk.
  await expect(admin.block(deskBId, 'Floor').getByRole('button')).toHaveCount(0);
  const atDeskA = await new AllotmentsPage(deskA.page).open();
  await atDeskA.chooseConcert(concert);
  const returned = await atDeskA.giveBackUnsold('Floor');
  await expect(returned).toHaveAttribute('data-status', 'done');
  await admin.expectBlock(deskAId, 'Floor', { returned: 2, remaining: 0 });
  await admin.expectFree('Floor', 7);

  const atDeskB = await new AllotmentsPage(deskB.page).open();
  await atDeskB.chooseConcert(concert);
  await atDeskB.expectBlock(deskBId, 'Floor', { granted: 3, remaining: 3 });
  await atDeskB.giveBackUnsold('Floor');
  await atDeskB.expectBlock(deskBId, 'Floor', { returned: 3, remaining: 0 });
  await atDeskB.expectFree('Floor', 10);
});

test("the manager's report lists a desk's rejected sale with its staff and both clocks, then its cash refund", async ({
  openDesk,
}) => {
  const office = await openDesk('Office', { device: 'manager' });
  const seller = await adminApi.createPerson('desk');
  const deskB = await openDesk('Desk B', { person: seller });
  const concert = await office.publishConcert('Conflicted Duo', [
    { name: 'Floor', capacity: 4, price: '100' },
  ]);
  const deskBId = await deskB.deviceId();

  const manager = await new ConflictsPage(office.page).open();
  await manager.chooseConcert(concert);
  await manager.expectNone();

  // The office holds 3 of the 4 seats: a pool sale of 2 at desk B finds 1 free and is rejected.
  const admin = await new AllotmentsPage(office.page).open();
  await admin.chooseConcert(concert);
  await admin.grant(await admin.deviceId(), 'Floor', 3);
  await admin.expectFree('Floor', 1);
  await deskB.sell({ concert, level: 'Floor', quantity: 2, overAvailable: true });
  await deskB.expectLatestSale('rejected', { reason: /sold out/ });

  await manager.open();
  await manager.expectRejected(deskBId, 1, 'unsettled');
  const row = manager.of('rejected_sale', deskBId);
  await expect(row).toContainText(seller.userId);
  await expect(row).toContainText('sold out');
  await expect(row.locator('time')).toHaveCount(2);

  await deskB.page.getByRole('button', { name: /Refund cash/ }).click();
  await manager.expectRejected(deskBId, 1, 'cash_refund');
  await expect(row).toContainText('Cash refund');
});
