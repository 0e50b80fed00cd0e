// Issue 6, "Allotment lapse": a desk's block of seats lapses at the time the organizer set, on the box office's
// clock; its unsold seats go back to the pool, and another desk sells them. The e2e servers run that clock three
// times as fast as real time (global-setup.ts), so a lapse a few minutes ahead comes within a minute or two.
import { expect, test } from './fixtures';
import { AllotmentsPage, ConflictsPage } from './pages/allotments-page';

const level = 'Floor';
/** The venue of every concert the page models create (concerts-page.ts). */
const venueTimeZone = 'Europe/Warsaw';

/** An instant as the venue's wall clock to the second, as the lapse field takes it. */
function venueTime(instant: Date): string {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: venueTimeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(instant);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}T${part('hour')}:${part('minute')}:${part('second')}`;
}

test('after the lapse time, the unsold seats of a desk go back to the pool and another desk sells them', async ({
  openDesk,
}) => {
  test.setTimeout(240_000);
  const office = await openDesk('Office', { device: 'manager' });
  const deskA = await openDesk('Desk A');
  const deskB = await openDesk('Desk B');
  const concert = await office.publishConcert('Lapsing Quartet', [
    { name: level, capacity: 3, price: '100' },
  ]);
  const deskAId = await deskA.deviceId();

  // The organizer sets every seat aside for desk A, lapsing a little over six minutes ahead on the box office's
  // clock: the desk stops promising five minutes before a lapse (guaranteeMarginMs), so A can still sell from it.
  const admin = await new AllotmentsPage(office.page).open();
  await admin.chooseConcert(concert);
  const now = await admin.boxOfficeClock();
  const lapsesAt = venueTime(new Date(now.getTime() + 6.5 * 60_000));
  const policy = await admin.setPolicy({ perLevel: { [level]: 3 }, desks: [deskAId], lapsesAt });
  await expect(policy).toHaveAttribute('data-status', 'done');
  await admin.expectBlock(deskAId, level, { granted: 3, remaining: 3 });
  await admin.expectFree(level, 0);

  // A sells one of its seats, guaranteed; B, which holds none, finds the level sold out.
  await deskA.openSell();
  await deskA.choose(concert, level);
  await expect(deskA.blockLeft(level)).toHaveText(/^3 until/, { timeout: 15_000 });
  await deskA.sell({ concert, level, quantity: 1, promise: 'guaranteed' });
  await deskA.expectLatestSale('confirmed', { timeout: 15_000 });

  await deskB.sell({ concert, level, quantity: 1, promise: 'pending', overAvailable: true });
  await deskB.expectLatestSale('rejected', { reason: /sold out/, timeout: 15_000 });

  // The lapse: A's two unsold seats go back to the pool, on the box office's clock (no desk decides it).
  await admin.expectBlock(deskAId, level, { sold: 1, lapsed: 2, remaining: 0 }, { timeout: 180_000 });
  await admin.expectFree(level, 2);
  const lapsed = deskA.page.locator('[data-testid="desk-conflict"][data-kind="lapsed"]');
  await expect(lapsed).toHaveCount(1, { timeout: 15_000 });
  await expect(lapsed).toContainText('2 unsold "Floor" seats');

  // B sells those two seats: decided at once, confirmed; the level is sold out at its 3 seats.
  await deskB.openSell();
  await deskB.choose(concert, level);
  await expect(deskB.left(level)).toHaveText('2', { timeout: 15_000 });
  await deskB.sell({ concert, level, quantity: 2, promise: 'pending' });
  await deskB.expectLatestSale('confirmed', { timeout: 15_000 });
  await expect(deskB.left(level)).toHaveText('0', { timeout: 15_000 });
  await admin.expectFree(level, 0);
  // Sold or held: the level's second figure, after its capacity.
  await expect(admin.level(level).locator('td').nth(1)).toHaveText('3');

  // The manager's report lists both: B's sale refused while A held the seats, and A's block that lapsed.
  const manager = await new ConflictsPage(office.page).open();
  await manager.chooseConcert(concert);
  await manager.expectRejected(await deskB.deviceId(), 1, 'unsettled');
  await expect(manager.of('lapsed_block', deskAId)).toHaveAttribute('data-outcome', 'lapsed');
  await expect(manager.rows()).toHaveCount(2);
});
