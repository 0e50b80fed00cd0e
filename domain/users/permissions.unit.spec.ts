// The rule set of who may do what: that it names only commands and device facts the contexts define (and places each
// of them), the choices it encodes, its agreement with the event catalogue, and the guard deciders call.
import { describe, expect, it } from 'vitest';
import { DomainError } from '../shared/decider';
import { eventCatalogue } from '../events/catalogue';
import type { Role } from '../events/catalogue';
import { allotmentEventWriters } from '../allotment/events';
import { cartCommandTypes } from '../cart/cart';
import { cartEventWriters } from '../cart/events';
import { concertCommandTypes } from '../concert/concert';
import { concertFactSchemas } from '../concert/events';
import { deliveryCommandTypes } from '../delivery/delivery';
import { deliveryEventWriters } from '../delivery/events';
import { financeCommandTypes } from '../finance/commands';
import { financeEventWriters } from '../finance/events';
import { inventoryFactSchemas } from '../inventory/events';
import { notificationsCommandTypes } from '../notifications/notifications';
import { notificationsEventWriters } from '../notifications/events';
import { orderCommandTypes } from '../order/order';
import { orderEventWriters } from '../order/events';
import { paymentCommandTypes } from '../payment/payment';
import { paymentEventWriters } from '../payment/events';
import { reservationCommandTypes } from '../reservation/reservation';
import { reservationEventWriters } from '../reservation/events';
import { streamingCommandTypes } from '../streaming/streaming';
import { streamingEventWriters } from '../streaming/events';
import { ticketCommandTypes } from '../ticket/ticket';
import { ticketEventWriters } from '../ticket/events';
import { trustEventWriters } from '../ticket/trust-events';
import { ticketPrintWriters } from '../ticket/print-events';
import { gateEventWriters } from '../ticket/gate-events';
import { roles, usersEventWriters } from './events';
import { usersCommandTypes } from './users';
import {
  authorityActions,
  authorize,
  may,
  permissions,
  PermissionDenied,
  rolesThatMay,
  viewerActions,
} from './permissions';

/** Every command type of every context: each context's list, which the type checker keeps complete. */
const commandTypes: readonly string[] = [
  ...cartCommandTypes,
  ...concertCommandTypes,
  ...reservationCommandTypes,
  ...orderCommandTypes,
  ...paymentCommandTypes,
  ...financeCommandTypes,
  ...ticketCommandTypes,
  ...deliveryCommandTypes,
  ...usersCommandTypes,
  ...notificationsCommandTypes,
  ...streamingCommandTypes,
];

const written = (writers: Record<string, 'device' | 'authority'>, by: 'device' | 'authority') =>
  Object.entries(writers)
    .filter(([, writer]) => writer === by)
    .map(([type]) => type);
const eventWriters = [
  allotmentEventWriters,
  cartEventWriters,
  reservationEventWriters,
  orderEventWriters,
  paymentEventWriters,
  financeEventWriters,
  ticketEventWriters,
  ticketPrintWriters,
  trustEventWriters,
  gateEventWriters,
  deliveryEventWriters,
  usersEventWriters,
  notificationsEventWriters,
  streamingEventWriters,
];
/** Every device fact: the concert's and the inventory's, and each context's events written at a device. */
const deviceFacts: readonly string[] = [
  ...Object.keys(concertFactSchemas),
  ...Object.keys(inventoryFactSchemas),
  ...eventWriters.flatMap((writers) => written(writers, 'device')),
];
const authorityEvents = eventWriters.flatMap((writers) => written(writers, 'authority'));

const granted = roles.flatMap((role) => [...permissions[role]] as string[]);
const named: readonly string[] = [...granted, ...authorityActions, ...viewerActions];
const placed = (action: string) =>
  [
    rolesThatMay(action).length > 0,
    (authorityActions as readonly string[]).includes(action),
    (viewerActions as readonly string[]).includes(action),
  ].filter(Boolean).length;

const factTypes = Object.entries(eventCatalogue)
  .filter(([, entry]) => entry.kind === 'fact')
  .map(([type]) => type);

describe('the names in the rule set', () => {
  it('are each a command or a device fact that some context defines', () => {
    const known = new Set([...commandTypes, ...deviceFacts]);
    expect(named.filter((name) => !known.has(name))).toEqual([]);
  });

  it('give the server and viewers commands only, never an event to write', () => {
    const commands = new Set(commandTypes);
    expect([...authorityActions, ...viewerActions].filter((name) => !commands.has(name))).toEqual([]);
  });

  it('grant no role an event the server decides', () => {
    expect(granted.filter((name) => authorityEvents.includes(name))).toEqual([]);
  });

  it('place every command of every context exactly once: with a role, the server or a viewer', () => {
    for (const command of commandTypes)
      expect({ command, placed: placed(command) }).toEqual({ command, placed: 1 });
  });

  it('let some role write every device fact, so the database can accept it', () => {
    for (const fact of deviceFacts)
      expect({ fact, roles: rolesThatMay(fact).length > 0 }).toEqual({ fact, roles: true });
  });

  it('come from contexts that list each command type once', () => {
    expect(new Set(commandTypes).size).toBe(commandTypes.length);
  });
});

describe('the rule set', () => {
  it('lets only admins manage users', () => {
    for (const command of usersCommandTypes) expect(rolesThatMay(command)).toEqual(['admin']);
  });

  it('lets admins and organizers manage concerts and their livestreams', () => {
    for (const command of [
      ...concertCommandTypes,
      'ScheduleLivestream',
      'StartLivestream',
      'EndLivestream',
      'CancelLivestream',
    ])
      expect(rolesThatMay(command)).toEqual(['admin', 'organizer']);
  });

  it('lets the desk sell, refund, print and open and close its shift', () => {
    for (const action of [
      ...cartCommandTypes,
      'SaleRecorded',
      'InitiatePayment',
      'RefundPayment',
      'PaymentRefundRequested',
      'SaleRefundRequested',
      'CancelOrder',
      'PrintTicket',
      'TicketPrinted',
      'TicketsPrinted',
      'OpenShift',
      'CloseShift',
      'RecordCashSale',
    ])
      expect(rolesThatMay(action)).toEqual(['desk']);
  });

  it('leaves what the server does to the server: holds, captures, tickets, mail, couriers, invoices', () => {
    for (const action of [
      'ReserveSeats',
      'CapturePayment',
      'IssueTickets',
      'ChooseDeliveryMethod',
      'EmailTicket',
      'ShipTicket',
      'CancelDelivery',
      'CreateInvoice',
    ])
      expect({ action, server: (authorityActions as readonly string[]).includes(action) }).toEqual({
        action,
        server: true,
      });
  });

  it('lets the scanner scan and annul its own scan, and no one else', () => {
    for (const action of ['ScanTicket', 'TicketScanned', 'TicketScanAnnulled'])
      expect(rolesThatMay(action)).toEqual(['scanner']);
  });

  it('grants the manager no command yet: the manager reads, and neither sells nor refunds', () => {
    expect(permissions.manager).toEqual([]);
    expect(may('manager', 'SaleRecorded')).toBe(false);
    expect(may('manager', 'RefundPayment')).toBe(false);
  });

  it('lets a desk or an admin retry a failed notification', () => {
    expect(rolesThatMay('RetryNotification')).toEqual(['admin', 'desk']);
  });

  it('keeps the admin out of the till: no selling, refunding or scanning', () => {
    for (const action of ['OpenCart', 'SaleRecorded', 'InitiatePayment', 'RefundPayment', 'ScanTicket'])
      expect(may('admin', action)).toBe(false);
  });

  it('grants nothing to an unknown role or for an unknown action', () => {
    expect(may('fan', 'ScanTicket')).toBe(false);
    expect(may('admin', 'DropDatabase')).toBe(false);
    expect(may('constructor', 'toString')).toBe(false);
    expect(rolesThatMay('DropDatabase')).toEqual([]);
  });

  it('grants what the server or a viewer does to no role', () => {
    for (const action of [...authorityActions, ...viewerActions]) expect(rolesThatMay(action)).toEqual([]);
  });

  it('lists each action once per role', () => {
    for (const role of roles) expect(new Set(permissions[role]).size).toBe(permissions[role].length);
  });

  it('agrees with the event catalogue on who may write each device fact', () => {
    for (const type of factTypes) {
      const writers = [...eventCatalogue[type as keyof typeof eventCatalogue].writers].sort();
      expect({ type, roles: [...rolesThatMay(type)].sort() }).toEqual({ type, roles: writers });
    }
  });
});

describe('the guard', () => {
  const actor = (role: Role, active = true) => ({ userId: 'u1', role, active });

  const refusal = (run: () => unknown): PermissionDenied => {
    try {
      run();
    } catch (error) {
      expect(error).toBeInstanceOf(PermissionDenied);
      expect(error).toBeInstanceOf(DomainError);
      expect((error as Error).message).toMatch(/^[A-Z"].*[.!?]$/);
      return error as PermissionDenied;
    }
    throw new Error('expected a refusal');
  };

  it('returns the actor who may act', () => {
    expect(authorize(actor('organizer'), 'PublishConcert')).toEqual(actor('organizer'));
  });

  it('refuses no one signed in', () => {
    expect(refusal(() => authorize(undefined, 'PublishConcert')).code).toBe('unknown_actor');
  });

  it('refuses a deactivated user, whatever their role', () => {
    expect(refusal(() => authorize(actor('admin', false), 'RegisterUser')).code).toBe('actor_deactivated');
  });

  it('refuses a role without the permission, naming the roles that have it', () => {
    const error = refusal(() => authorize(actor('desk'), 'CancelConcert'));
    expect(error.code).toBe('not_permitted');
    expect(error.message).toBe(
      'The desk role may not do "CancelConcert": ask a user with the admin or organizer role.',
    );
    expect(refusal(() => authorize(actor('organizer'), 'OpenShift')).message).toContain('the desk role');
    expect(refusal(() => authorize(actor('scanner'), 'RetryNotification')).message).toContain(
      'the admin or desk role',
    );
  });

  it('says when only the server or a viewer does it', () => {
    expect(refusal(() => authorize(actor('admin'), 'IssueTickets')).message).toContain(
      'done by the box office server itself',
    );
    expect(refusal(() => authorize(actor('admin'), 'StartViewerSession')).message).toContain(
      "done by a viewer's player",
    );
    expect(refusal(() => authorize(actor('admin'), 'DropDatabase')).message).toBe(
      'No role may do "DropDatabase": it is not an action of this box office.',
    );
  });
});
