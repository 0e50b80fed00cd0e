import { describe, expect, it } from 'vitest';
import { eventCatalogue } from '../events/catalogue';
import { deviceRoles, factTypesFor, isDeviceRole, writableByDevice } from './devices';

describe('what a device may write', () => {
  it('a desk writes sales, carts and payments, and nothing an organizer or a scanner writes', () => {
    const desk = factTypesFor('desk');
    expect(desk).toEqual(expect.arrayContaining(['SaleRecorded', 'CartOpened', 'PaymentInitiated']));
    expect(desk).not.toContain('AllotmentGrantRequested');
    expect(desk).not.toContain('ConcertCreationRequested');
    expect(desk).not.toContain('TicketScanned');
  });

  it('a scanner writes scans only', () => {
    expect(factTypesFor('scanner')).toContain('TicketScanned');
    expect(factTypesFor('scanner')).not.toContain('SaleRecorded');
  });

  it("the office desktop writes the organizers' and admins' facts, and sells nothing", () => {
    const office = factTypesFor('manager');
    expect(office).toEqual(expect.arrayContaining(['ConcertCreationRequested', 'AllotmentGrantRequested']));
    expect(office).not.toContain('SaleRecorded');
  });

  it('no device writes a decision, a request, a relay or a quarantine record', () => {
    const written = Object.values(writableByDevice()).flat();
    for (const type of written) expect(eventCatalogue[type].kind).toBe('fact');
  });

  it('every device fact has a device that may write it (none is left writable by nobody)', () => {
    const written = new Set(Object.values(writableByDevice()).flat());
    // A fact the catalogue gives no writer is the sync server's own (the card gateway's webhook): no device writes it.
    const facts = Object.entries(eventCatalogue).flatMap(([type, entry]) =>
      entry.kind === 'fact' && entry.writers.length > 0 ? [type] : [],
    );
    expect(facts.filter((type) => !written.has(type as never))).toEqual([]);
  });

  it('knows its roles', () => {
    expect(deviceRoles.every(isDeviceRole)).toBe(true);
    expect(isDeviceRole('admin')).toBe(false);
  });
});
