// A print of a sale's tickets is the desk's record in the concert's log: validated like every fact, kept in the
// concert's database, never decided (it takes no seat and can't be refused), and never shown as waiting for a decision.
import { describe, expect, it } from 'vitest';
import { concertDatabase, decideFact } from '../authority/concert-authority';
import { factDatabase } from '../desk/databases';
import { ConcertLogBuilder } from '../desk/concert-log.fixtures';
import { projectDesk } from '../desk/desk-view';
import { parseEventDoc } from '../events/catalogue';

const concertId = 'print-concert';
const desk = 'desk-a';

function printedSale() {
  const log = new ConcertLogBuilder(concertId, [{ name: 'Floor', capacity: 10 }]).publish();
  const sale = log.sale(desk, 'Floor', 2, 'pool');
  log.decide(sale);
  const ticketIds = [`sale:${sale._id}:t1`, `sale:${sale._id}:t2`];
  const print = log.fact(
    'TicketsPrinted',
    (printId) => ({
      printId,
      saleId: sale._id,
      concertId,
      ticketIds,
      codes: ['SD1.a.b', 'SD1.c.d'],
      reprint: false,
      at: '2027-04-30T12:00:00.000Z',
    }),
    { deviceId: desk },
  );
  return { log, sale, print };
}

describe('TicketsPrinted', () => {
  it('is a fact of the concert’s database, one code per ticket', () => {
    const { print } = printedSale();
    expect(parseEventDoc(print)).toMatchObject({ ok: true });
    expect(factDatabase(print)).toBe(concertDatabase(concertId));
    const oneShort = { ...print, data: { ...print.data, codes: ['SD1.a.b'] } };
    expect(parseEventDoc(oneShort)).toMatchObject({ ok: false, reason: /one code per ticket/ });
  });

  it('is recorded, not decided: the authority answers nothing', () => {
    const { log, print } = printedSale();
    expect(decideFact(print, log.state)).toBeUndefined();
  });

  it('never waits at the desk for a decision, and is no request', () => {
    const { log, sale } = printedSale();
    const view = projectDesk(log.docs, desk);
    expect(view.undecided).toEqual([]);
    expect(view.requests).toEqual([]);
    expect(view.sales.map((s) => [s.saleId, s.status])).toEqual([[sale._id, 'confirmed']]);
  });
});
