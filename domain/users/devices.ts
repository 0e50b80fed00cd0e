// Devices: a desk, a gate scanner or a back-office desktop, each enrolled for one role. The store knows the device,
// not the person at it: the database lets a device write the facts that a person who may sign in on it may write, and
// nothing else (a scanner no sale, a desk no decision or allotment grant). Who of them may issue which command is the
// person's role (permissions.ts), checked by the device's screens and by the sync server's API.
import { eventCatalogue } from '../events/catalogue';
import type { FactType, Role } from '../events/catalogue';
import { may } from './permissions';

export const deviceRoles = ['desk', 'scanner', 'manager'] as const;
export type DeviceRole = (typeof deviceRoles)[number];

/** Who may sign in on a device of each role: box-office staff at a desk, gate staff at a scanner, the office at a desktop. */
export const peopleOnDevice = {
  desk: ['desk'],
  scanner: ['scanner'],
  manager: ['admin', 'organizer', 'manager'],
} as const satisfies Record<DeviceRole, readonly Role[]>;

export const isDeviceRole = (role: string): role is DeviceRole =>
  (deviceRoles as readonly string[]).includes(role);

const factTypes = (Object.keys(eventCatalogue) as (keyof typeof eventCatalogue)[]).filter(
  (type): type is FactType => eventCatalogue[type].kind === 'fact',
);

/** The device facts a device of this role may write: those some person who may use it may write. */
export function factTypesFor(role: DeviceRole): FactType[] {
  const people: readonly Role[] = peopleOnDevice[role];
  return factTypes.filter((type) => people.some((person) => may(person, type)));
}

/** Every device role's writable fact types, as the database's validation embeds them. */
export const writableByDevice = (): Record<DeviceRole, FactType[]> => ({
  desk: factTypesFor('desk'),
  scanner: factTypesFor('scanner'),
  manager: factTypesFor('manager'),
});
