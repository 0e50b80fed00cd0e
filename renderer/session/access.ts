// Which screens each role sees: one table, from the domain's permissions where a screen is a role's commands, so
// the nav, the address bar and the screens agree. The store and the sync server enforce the same rules; this is
// what a person is shown.
import type { Role } from '../../domain/events/catalogue';
import { roles } from '../../domain/users/events';
import { rolesThatMay } from '../../domain/users/permissions';

const union = (...lists: readonly Role[][]): Role[] =>
  roles.filter((role) => lists.some((l) => l.includes(role)));

export const screenRoles = {
  sell: rolesThatMay('SaleRecorded'),
  orders: rolesThatMay('ConfirmCart'),
  concerts: rolesThatMay('CreateConcert'),
  // organizers grant desks' blocks; a desk gives back seats of its own
  allotments: union(rolesThatMay('AllotmentGrantRequested'), rolesThatMay('AllotmentReturnRequested')),
  // what the box office decided differently: the desk makes good its rejected sales; the office reads them all
  conflicts: union(rolesThatMay('SaleSettlementRecorded'), rolesThatMay('CreateConcert'), ['manager']),
  scan: rolesThatMay('ScanTicket'),
  drawer: rolesThatMay('OpenShift'),
  // the money: read by the manager, and by whoever runs the box office
  finance: union(['manager'], rolesThatMay('RegisterUser')),
  people: rolesThatMay('RegisterUser'),
  // devices are enrolled and revoked by whoever runs the directory
  devices: rolesThatMay('RegisterUser'),
  // reading who did what: no command, a read for those who answer for the box office
  audit: union(rolesThatMay('RegisterUser'), ['manager']),
} as const satisfies Record<string, readonly Role[]>;

export type ScreenName = keyof typeof screenRoles;

export const screenNames = Object.keys(screenRoles) as ScreenName[];

export const mayOpen = (role: Role, screen: ScreenName): boolean =>
  (screenRoles[screen] as readonly Role[]).includes(role);

/** Where a person of this role starts: their first screen. */
export const homeScreen = (role: Role): ScreenName => screenNames.find((s) => mayOpen(role, s)) ?? 'sell';
