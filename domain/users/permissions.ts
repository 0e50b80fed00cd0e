// Who may issue which command or write which device fact: one rule set, as data, read by the UI (what to show),
// the API (what to accept) and the database's validation (what a device may write). The sync server itself acts with
// authority and is not a role: what only it does is listed in `authorityActions`, so no person is ever granted it.
import { DomainError } from '../shared/decider';
import type { Role } from '../events/catalogue';
import { roles } from './events';

// Names are strings on purpose: every context's commands and fact types meet here, and a name that is renamed in its
// context must be renamed here too. The specs check it against the event catalogue's device facts and the commands of
// the users, concert, notification and streaming contexts; the other contexts' names are taken from their drafts.

const usersAdministration = [
  'RegisterUser',
  'ChangeUserRole',
  'DeactivateUser',
  'ReactivateUser',
  'ResetUserCredential',
] as const;

const devicesAdministration = ['EnrolDevice', 'RevokeDevice', 'ReviewQuarantine'] as const;

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
  // offline allotments handed to desks before they go offline
  'GrantAllotment',
  'ReleaseAllotment',
  // the concert's livestream
  'ScheduleLivestream',
  'StartLivestream',
  'EndLivestream',
  'CancelLivestream',
] as const;

// The desk's work. Names as the cart, reservation, order, payment, finance and delivery contexts draft them.
const selling = [
  'OpenCart',
  'AddCartItem',
  'ChangeCartItemQuantity',
  'RemoveCartItem',
  'ClearCart',
  'ChooseDelivery',
  'ConfirmCart',
  'SaleRecorded',
  'ReserveSeats',
  'CancelReservation',
  'CancelOrder',
  'InitiatePayment',
  // a cash payment is captured (or fails) at the desk; a card's outcome comes from the gateway through the server
  'CapturePayment',
  'FailPayment',
] as const;

const delivering = [
  'ChooseDeliveryMethod',
  'PrintTicket',
  'RecordPrintFailure',
  'EmailTicket',
  'ShipTicket',
  'CancelDelivery',
] as const;

const refunding = ['RefundPayment'] as const;

const cashDrawer = [
  'OpenShift',
  'CloseShift',
  'PayCashIn',
  'PayCashOut',
  'RecordCashSale',
  'RecordCashRefund',
] as const;

/** A fan at the desk who never got their email: the desk (or an admin) may retry a notification that failed. */
const resending = ['RetryNotification'] as const;

/** The gate: a scan, as a command and as the device fact the scanner writes; entry and exit are what the scan decides. */
const scanning = ['ScanTicket', 'TicketScanned'] as const;

const financeReading = ['ViewFinanceReports', 'ExportFinanceReports', 'ViewShiftReports'] as const;

const attendanceReading = ['ViewAttendance'] as const;

/**
 * The rule set. Least privilege, one role per person: an admin runs the system (people, devices, concerts) but does
 * not sell, scan or read the money; a manager reads the money and approves refunds but does not sell.
 */
export const permissions = {
  admin: [...usersAdministration, ...devicesAdministration, ...concertManagement, ...resending],
  organizer: [...concertManagement, ...attendanceReading],
  desk: [...selling, ...delivering, ...refunding, ...cashDrawer, ...resending],
  scanner: [...scanning],
  manager: [...financeReading, ...attendanceReading, 'ApproveRefund'],
} as const satisfies Record<Role, readonly string[]>;

/** Done by the sync server alone (decisions, policies, the mailer, the stream origin): never granted to a person. */
export const authorityActions = [
  // notifications and streaming (this folder's neighbours: complete)
  'RequestNotification',
  'RecordNotificationSent',
  'RecordNotificationFailure',
  'GrantViewerAccess',
  'RevokeViewerAccess',
  'ExpireViewerSessions',
  // the other contexts' process and policy steps, as drafted
  'ConfirmReservation',
  'ExpireReservation',
  'ReleaseReservation',
  'PlaceOrder',
  'TimeOutOrder',
  'IssueTickets',
  'VoidTicket',
  'VoidConcertTickets',
  'CreateInvoice',
  'AssignInvoiceNumber',
  'RecordInvoicePayment',
  'IssueCreditNote',
  'CancelInvoice',
  'OpenFinancialRecord',
  'RecordCustomerPayment',
  'CompleteCustomerPayment',
  'FailCustomerPayment',
  'RecordCustomerRefund',
  'RecordEmailFailure',
  'RecordShipmentFailure',
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
