// Issue 9's cash drawer (and issue 6's "cash refund recorded against the shift"): a shift opens with a float, the
// desk's cash sales and a rejected sale's refund go into it on their own, and its close reports expected, counted and
// the variance. Cash taken with no shift open is still sold, and the desk says it is in no drawer count.
import { expect, test } from './fixtures';
import { DrawerPage } from './pages/drawer-page';

test('a shift with a float of 200 counts a cash sale and a rejected sale’s refund, and closes with its variance', async ({
  openDesk,
}) => {
  const office = await openDesk('Office', { device: 'manager' });
  const desk = await openDesk('Desk A');
  const concert = await office.publishConcert('Drawer Duo', [{ name: 'Front', capacity: 3, price: '50' }]);

  // No shift yet: the sale goes through, and the desk says where its cash is not.
  await desk.sell({ concert, level: 'Front', quantity: 1, tendered: '50' });
  await expect(desk.page.getByRole('status').filter({ hasText: 'Sale recorded' })).toContainText(
    'No shift open: this cash is not in a drawer count.',
  );

  const drawer = await new DrawerPage(desk.page).open();
  // An error says what to fix.
  const float = desk.page.getByRole('form', { name: 'Open shift' }).getByLabel('Float');
  await float.fill('two hundred');
  await float.press('Enter');
  await expect(drawer.error()).toHaveText(/Enter the float as an amount such as 200/);
  await drawer.openShift('200');
  await expect(drawer.expected()).toHaveText(/200\.00/);

  await desk.sell({ concert, level: 'Front', quantity: 1, tendered: '100' });
  await expect(desk.page.getByRole('status').filter({ hasText: 'Sale recorded' })).not.toContainText(
    'No shift open',
  );
  await desk.expectLatestSale('confirmed', { timeout: 15_000 });
  // One seat left: two are more than that, and the box office rejects the sale; its cash goes back.
  await desk.sell({ concert, level: 'Front', quantity: 2, tendered: '100', overAvailable: true });
  await desk.expectLatestSale('rejected', { reason: /sold out/, timeout: 15_000 });
  await desk.refundRejected(/100\.00/);

  await drawer.open();
  // 200 + 50 + 100 − 100
  await expect(drawer.expected()).toHaveText(/250\.00/);
  await expect(desk.page.getByTestId('drawer-movements').getByRole('row')).toHaveCount(4);
  await drawer.payIn('20', 'change top-up');
  await expect(drawer.expected()).toHaveText(/270\.00/);

  await drawer.close('265');
  const report = drawer.report();
  await expect(report.getByTestId('drawer-expected')).toHaveText(/270\.00/);
  await expect(report.getByTestId('report-counted')).toHaveText(/265\.00/);
  await expect(report.getByTestId('report-variance')).toHaveText(/-.*5\.00 \(short\)/);

  // The drawer's facts reach the orders database at the store, and nothing there quarantines them.
  const deskId = await desk.deviceId();
  await expect
    .poll(async () =>
      desk.page.evaluate(async (stream) => {
        const { deviceId, secret } = JSON.parse(localStorage.getItem('stagedoor.device') ?? '{}') as {
          deviceId?: string;
          secret?: string;
        };
        const response = await fetch('/couch/stagedoor-orders/_all_docs?include_docs=true', {
          headers: { authorization: `Basic ${btoa(`${deviceId}:${secret}`)}` },
        });
        const { rows } = (await response.json()) as {
          rows: { id: string; doc?: { type?: string; stream?: string; data?: { docId?: string } } }[];
        };
        const drawer = rows.filter((row) => row.doc?.stream === stream);
        const ids = new Set(drawer.map((row) => row.id));
        const quarantined = rows.filter(
          (row) => row.doc?.type === 'FactQuarantined' && ids.has(row.doc.data?.docId ?? ''),
        );
        return { facts: drawer.map((row) => row.doc?.type).sort(), quarantined: quarantined.length };
      }, `drawer-${deskId}`),
    )
    .toEqual({
      facts: [
        'DrawerCashPaidIn',
        'DrawerCashRefundRecorded',
        'DrawerCashSaleRecorded',
        'DrawerCashSaleRecorded',
        'DrawerShiftClosed',
        'DrawerShiftOpened',
      ],
      quarantined: 0,
    });

  // The report is the log's: it is there after a reload.
  await desk.reload();
  await new DrawerPage(desk.page).open();
  await expect(drawer.report().getByTestId('report-variance')).toHaveText(/-.*5\.00 \(short\)/);
});
