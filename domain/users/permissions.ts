// Who may issue which command or write which device fact: one rule set, as data, read by the UI (what to show),
// the API (what to accept) and the database's validation (what a device may write). The sync server itself acts with
// authority and is not a role: what only it does is listed in `authorityActions`, so no person is ever granted it.
import { DomainError } from '../shared/decider';
import type { Role } from '../events/catalogue';
import { roles } from './events';

// Names are strings on purpose: every context's commands and device facts meet here, and a name that is renamed in its
// context must be renamed here too. The spec checks every name against the contexts' own lists (`<context>CommandTypes`,
// which the compiler keeps complete, and the device facts of their event writers), so a guessed or stale name fails.
//
// Where a command goes: in a role when a person issues it (from a screen, or as the device fact their device writes),
// even if the sync server decides it (CreateConcert, CancelOrder, RefundPayment); in `authorityActions` when only the
// server's own processes issue it: the order's policy, the clock's sweeps, the mailer, the courier, the card gateway.
// Device facts are listed with the role whose device writes them, for the database's validation.

const usersAdministration = [
  'RegisterUser',
  'ChangeUserRole',
  'DeactivateUser',
  'ReactivateUser',
  'ResetUserCredential',
] as const;

const concertManagement = [
  'CreateConcert',
  'UpdateConcertDetails',
  'UpdateTicketLevels',
  'PublishConcert',
  'UnpublishConcert',
  'CancelConcert',
  // the same requests, as the device facts an organizer's desktop writes
  'ConcertCreationRequested',
  'ConcertDetailsChangeRequested',
  'TicketLevelsChangeRequested',
  'ConcertPublicationRequested',
  'ConcertUnpublicationRequested',
  'ConcertCancellationRequested',
  // desks' blocks of seats for selling offline (the authority grants them from free seats)
  'AllotmentGrantRequested',
  'AllotmentPolicySet',
  // withdrawing a desk's ticket-signing certificate (a lost or stolen desk)
  'DeskCertificateRevocationRequested',
  // the concert's livestream
  'ScheduleLivestream',
  'StartLivestream',
  'EndLivestream',
  'CancelLivestream',
] as const;

/** The desk's sale: a cart handed over to an order the server runs, and the money the order asks for. */
const selling = [
  'OpenCart',
  'AddCartItem',
  'ChangeCartItemQuantity',
  'RemoveCartItem',
  'ChooseDelivery',
  'ClearCart',
  'ConfirmCart',
  'CartOpened',
  'CartItemAdded',
  'CartItemQuantityChanged',
  'CartItemRemoved',
  'CartDeliveryChosen',
  'CartCleared',
  'CartConfirmed',
  // a single sale against the concert's capacity, decided by the authority
  'SaleRecorded',
  // making good a sale the authority rejected (cash back or an exchange)
  'SaleSettlementRecorded',
  // giving back seats of this desk's own block
  'AllotmentReturnRequested',
  // asking to give back a hold or to cancel an unpaid order: the server decides
  'CancelReservation',
  'ReservationCancellationRequested',
  'CancelOrder',
  'OrderCancellationRequested',
  // cash or card, as the order asks (RequestPayment); capture and failure are the server's
  'InitiatePayment',
  'PaymentInitiated',
] as const;

/** Printing at the desk; emailing and shipping are the server's. */
const delivering = [
  'PrintTicket',
  'RecordPrintFailure',
  'TicketPrinted',
  'TicketPrintFailed',
  // a sale's tickets printed (or reprinted) with their signed codes
  'TicketsPrinted',
  // the desk's ticket-signing key, certified by the authority for the concerts it sells
  'DeskKeyCertificationRequested',
] as const;

const refunding = [
  'RefundPayment',
  'PaymentRefundRequested',
  // a confirmed sale's tickets refunded at the desk: the authority voids them and frees their seats
  'SaleRefundRequested',
  // tickets of a paid order refunded, some or all, in cash or back to the card: the authority prices and decides
  'TicketsRefundRequested',
] as const;

const cashDrawer = [
  'OpenShift',
  'CloseShift',
  'PayCashIn',
  'PayCashOut',
  'RecordCashSale',
  'RecordCashRefund',
  'DrawerShiftOpened',
  'DrawerShiftClosed',
  'DrawerCashPaidIn',
  'DrawerCashPaidOut',
  'DrawerCashSaleRecorded',
  'DrawerCashRefundRecorded',
] as const;

/** A fan at the desk who never got their email: the desk (or an admin) may retry a notification that failed. */
const resending = ['RetryNotification'] as const;

/** The gate: a scan, as a command and as the device fact the scanner writes; entry and exit are what the scan decides. */
const scanning = [
  'ScanTicket',
  'TicketScanned',
  // the scanner's own mistaken scan, within two minutes
  'TicketScanAnnulled',
] as const;

/**
 * The rule set. Least privilege, one role per person: an admin runs the system (people, concerts) but does not sell or
 * scan. The manager reads the money (revenue, variance, attendance): reads are not commands, and no command of the
 * domain is a manager's yet, so the manager is granted none — in particular, not selling or refunding.
 */
export const permissions = {
  admin: [...usersAdministration, ...concertManagement, ...resending],
  organizer: [...concertManagement],
  desk: [...selling, ...delivering, ...refunding, ...cashDrawer, ...resending],
  scanner: [...scanning],
  manager: [],
} as const satisfies Record<Role, readonly string[]>;

/** Done by the sync server alone (decisions, policies, the mailer, the stream origin): never granted to a person. */
export const authorityActions = [
  // the order process: placed from a confirmed cart or recorded from a cash sale, told of every outcome, timed out by the clock
  'PlaceOrder',
  'RecordSale',
  'RecordSeatsHeld',
  'RecordReservationRefused',
  'RecordSeatsConfirmed',
  'RecordReservationEnded',
  'RecordPaymentCaptured',
  'RecordPaymentFailed',
  'RecordTicketsIssued',
  'RecordInvoiceCreated',
  'RecordConfirmationSent',
  'TimeOutOrder',
  // seats held, kept and given back for orders, and lapsed by the clock
  'ReserveSeats',
  'ConfirmReservation',
  'ExpireReservation',
  'ReleaseReservation',
  // a cash payment captured once it is in the drawer, a card's outcome from the gateway
  'CapturePayment',
  'FailPayment',
  // tickets issued for paid orders, voided by refunds and cancelled concerts
  'IssueTickets',
  'VoidTicket',
  'VoidConcertTickets',
  // each ticket's delivery as chosen at the desk; the mailer and the courier
  'ChooseDeliveryMethod',
  'EmailTicket',
  'RecordEmailFailure',
  'ShipTicket',
  'RecordShipmentFailure',
  'CancelDelivery',
  // the books: invoices, their numbers, credit notes, customers' financial records
  'CreateInvoice',
  'RecordInvoicePayment',
  'CancelInvoice',
  'IssueCreditNote',
  'AssignInvoiceNumber',
  'OpenFinancialRecord',
  'RecordCustomerPayment',
  'CompleteCustomerPayment',
  'FailCustomerPayment',
  'RecordCustomerRefund',
  // the mailer
  'RequestNotification',
  'RecordNotificationSent',
  'RecordNotificationFailure',
  // viewer access follows tickets; the sweep ends silent sessions
  'GrantViewerAccess',
  'RevokeViewerAccess',
  'ExpireViewerSessions',
] as const;

/** Done by a fan's player: authorised by the viewer access of the ticket it presents, not by a staff role. */
export const viewerActions = ['StartViewerSession', 'HeartbeatViewerSession', 'EndViewerSession'] as const;

export type RoleAction = (typeof permissions)[Role][number];
export type Action = RoleAction | (typeof authorityActions)[number] | (typeof viewerActions)[number];

const granted: ReadonlyMap<string, ReadonlySet<string>> = new Map(
  roles.map((role) => [role, new Set<string>(permissions[role])]),
);

/** May a person with this role issue this command or write this fact? Unknown roles and actions may nothing. */
export function may(role: string, action: string): boolean {
  return granted.get(role)?.has(action) ?? false;
}

/** The roles that may issue this action, in the order of `roles` (for messages and for the database's checks). */
export function rolesThatMay(action: string): Role[] {
  return roles.filter((role) => may(role, action));
}

/** The person behind a command, as the directory knows them. */
export type Actor = { userId: string; role: Role; active: boolean };

export const permissionCodes = ['unknown_actor', 'actor_deactivated', 'not_permitted'] as const;
export type PermissionCode = (typeof permissionCodes)[number];

export class PermissionDenied extends DomainError<PermissionCode> {}

/** The guard a decider calls first: returns the actor when they may act, else throws PermissionDenied. */
export function authorize(actor: Actor | undefined, action: string): Actor {
  if (!actor)
    throw new PermissionDenied('unknown_actor', 'Sign in with a user of this box office to do this.');
  if (!actor.active)
    throw new PermissionDenied(
      'actor_deactivated',
      'This user is deactivated: ask an admin to reactivate it.',
    );
  if (may(actor.role, action)) return actor;
  throw new PermissionDenied('not_permitted', refusal(actor.role, action));
}

function refusal(role: Role, action: string): string {
  const who = rolesThatMay(action);
  const what = `"${action}"`;
  if ((viewerActions as readonly string[]).includes(action))
    return `${what} is done by a viewer's player with a ticket, not by a staff role.`;
  if ((authorityActions as readonly string[]).includes(action))
    return `${what} is done by the box office server itself, not by a person.`;
  if (who.length === 0) return `No role may do ${what}: it is not an action of this box office.`;
  return `The ${role} role may not do ${what}: ask a user with the ${orList(who)} role.`;
}

function orList(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}
