// Each device is a browser context of its own (its own IndexedDB, localStorage and network switch), set up like a
// real one: an admin makes an enrolment code for its role (here through the API, with the first admin's password the
// global setup chose), the device exchanges it on the set-up screen, and a person of a fitting role signs in online
// and chooses a PIN. Every secret a test uses is noted for the secrets check at the end of the run (global-setup.ts).
import { appendFileSync } from 'node:fs';
import { randomBytes, randomInt } from 'node:crypto';
import { test as base } from '@playwright/test';
import type { BrowserContext } from '@playwright/test';
import type { Role } from '../../domain/events/catalogue';
import type { DeviceRole } from '../../domain/users/devices';
import { DeskPage } from './pages/desk-page';
import { setUpDevice } from './pages/device-setup';

export { expect } from '@playwright/test';

export const serverUrlVariable = 'STAGEDOOR_E2E_URL';
/** The first admin's password, chosen by the global setup for this run. */
export const adminPasswordVariable = 'STAGEDOOR_E2E_ADMIN_PASSWORD';
/** A file outside every data folder where the run's secrets are noted, one a line, for the check at the end. */
export const secretsFileVariable = 'STAGEDOOR_E2E_SECRETS';

const required = (variable: string): string => {
  const value = process.env[variable];
  if (!value) throw new Error(`${variable} is not set: the global setup did not run`);
  return value;
};

/** Notes a secret for the check after the run (outside the e2e run, e.g. in a benchmark, there is none). */
export const noteSecret = (secret: string): void => {
  const file = process.env[secretsFileVariable];
  if (secret && file) appendFileSync(file, `${secret}\n`);
};

export type Person = { userId: string; name: string; role: Role; password: string; pin: string };

/** The admin's side, through the sync server's API: people and enrolment codes. */
export const adminApi = (() => {
  let token: Promise<string> | undefined;
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    token ??= fetch(`${required(serverUrlVariable)}/api/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'admin', password: required(adminPasswordVariable) }),
    }).then(async (response) => ((await response.json()) as { token: string }).token);
    const response = await fetch(`${required(serverUrlVariable)}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${await token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    const text = await response.text();
    return (text ? JSON.parse(text) : undefined) as T;
  };
  return {
    /** A new person of this role with a password and a PIN of their own (the PIN is chosen at first sign-in). */
    async createPerson(role: Role, name = `${role} ${randomBytes(4).toString('hex')}`): Promise<Person> {
      const password = `pw-${randomBytes(12).toString('base64url')}`;
      // Eight digits, never starting with 0: a string unlikely to occur by chance in the data the check greps.
      const pin = String(randomInt(10_000_000, 100_000_000));
      noteSecret(password);
      noteSecret(pin);
      const { userId } = await call<{ userId: string }>('POST', '/api/users', { name, role, password });
      return { userId, name, role, password, pin };
    },
    async enrolmentCode(role: DeviceRole, name: string): Promise<string> {
      return (await call<{ code: string }>('POST', '/api/devices/codes', { role, name })).code;
    },
    deactivate: (userId: string) => call('POST', `/api/users/${userId}/deactivate`, { reason: 'left' }),
    revoke: (deviceId: string) => call('POST', `/api/devices/${deviceId}/revoke`, {}),
  };
})();

/** Who signs in on each kind of device unless a test says otherwise. */
const personFor = { desk: 'desk', scanner: 'scanner', manager: 'organizer' } as const satisfies Record<
  DeviceRole,
  Role
>;

export type OpenOptions = { device?: DeviceRole; person?: Person };

/** One person per role signs in on the devices a test does not name someone for (a person may use many devices). */
const regulars = new Map<Role, Promise<Person>>();
const regular = (role: Role): Promise<Person> => {
  const known = regulars.get(role) ?? adminApi.createPerson(role);
  regulars.set(role, known);
  return known;
};

/** What enrolling a device and signing a person in adds to a test (scrypt on the server, PBKDF2 in the page). */
const setUpMs = 15_000;

export type OpenDesk = (name: string, options?: OpenOptions) => Promise<DeskPage>;

export const test = base.extend<{ openDesk: OpenDesk }>({
  openDesk: async ({ browser }, use, testInfo) => {
    const contexts: BrowserContext[] = [];
    await use(async (name, options = {}) => {
      const context = await browser.newContext({ baseURL: required(serverUrlVariable) });
      contexts.push(context);
      const page = await context.newPage();
      const device = options.device ?? 'desk';
      testInfo.setTimeout(testInfo.timeout + setUpMs);
      const person = options.person ?? (await regular(personFor[device]));
      await setUpDevice(page, name, {
        device,
        person,
        enrolmentCode: (role, deviceName) => adminApi.enrolmentCode(role, deviceName),
        noteSecret,
      });
      return new DeskPage(page);
    });
    for (const context of contexts) await context.close();
  },
});
