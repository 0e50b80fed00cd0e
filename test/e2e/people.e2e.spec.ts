// Issue 8 on the device: people sign in online once and then offline with a PIN (locked after five wrong ones, across
// a reload), a deactivated person is refused once the device has synced, each role sees only its screens, and an
// admin manages people and devices from the office's screens.
import { adminApi, expect, test } from './fixtures';
import { SignInPage } from './pages/sign-in-page';

test('offline PIN sign-in works after one online sign-in, and is locked after five wrong PINs', async ({
  openDesk,
}) => {
  const person = await adminApi.createPerson('desk');
  const desk = await openDesk('Desk PIN', { person });
  const signIn = new SignInPage(desk.page);
  await signIn.signOut();

  await desk.page.context().setOffline(true);
  await signIn.signInWithPin(person.name, person.pin);
  await signIn.expectSignedIn(person.name);
  await signIn.signOut();

  const wrong = person.pin === '99999999' ? '88888888' : '99999999';
  for (let attempt = 1; attempt < 5; attempt++) {
    await signIn.signInWithPin(person.name, wrong);
    await expect(signIn.refusal()).toContainText('The name or the PIN is wrong');
  }
  await signIn.signInWithPin(person.name, wrong);
  await expect(signIn.refusal()).toContainText(/locked on this device until \d/);
  // The right PIN now is refused too, also after a reload.
  await signIn.signInWithPin(person.name, person.pin);
  await expect(signIn.refusal()).toContainText('locked on this device until');
  await desk.page.reload();
  await signIn.signInWithPin(person.name, person.pin);
  await expect(signIn.refusal()).toContainText('locked on this device until');
});

test('a deactivated person is signed out and refused once the device has synced', async ({ openDesk }) => {
  const person = await adminApi.createPerson('desk');
  const desk = await openDesk('Desk Roster', { person });
  const signIn = new SignInPage(desk.page);
  await adminApi.deactivate(person.userId);
  // The device reads its roster at each contact: the person is signed out…
  await expect(desk.page.getByRole('heading', { name: 'Sign in', level: 1 })).toBeVisible({
    timeout: 30_000,
  });
  // …and their PIN no longer works offline.
  await desk.page.context().setOffline(true);
  await signIn.signInWithPin(person.name, person.pin);
  await expect(signIn.refusal()).toContainText('This account is deactivated: ask an admin.');
});

test('a revoked device says so instead of syncing on', async ({ openDesk }) => {
  const desk = await openDesk('Desk Lost');
  await adminApi.revoke(await desk.deviceId());
  await expect(desk.page.getByRole('alert')).toContainText('This device was revoked: ask an admin.', {
    timeout: 30_000,
  });
});

test('a desk person sees no admin screens, and their address says not allowed', async ({ openDesk }) => {
  const desk = await openDesk('Desk Roles');
  const nav = desk.page.getByRole('navigation', { name: 'Screens' });
  await expect(nav.getByRole('link', { name: 'Sell' })).toBeVisible();
  for (const hidden of ['People', 'Devices', 'Audit', 'Concerts', 'Scan', 'Finance'])
    await expect(nav.getByRole('link', { name: hidden })).toHaveCount(0);
  await desk.page.goto('/#/people');
  await expect(desk.page.getByRole('alert')).toContainText('The People screen is not allowed for a desk.');
});

test('an admin manages people and devices on the office, and reads the audit', async ({ openDesk }) => {
  const admin = await adminApi.createPerson('admin');
  const office = await openDesk('Admin office', { device: 'manager', person: admin });
  const page = office.page;
  const nav = page.getByRole('navigation', { name: 'Screens' });
  await expect(nav.getByRole('link', { name: 'Sell' })).toHaveCount(0);

  await nav.getByRole('link', { name: 'People' }).click();
  await expect(page.getByRole('heading', { name: 'People', level: 2 })).toBeVisible();
  const name = `Newcomer ${Date.now()}`;
  const form = page.getByRole('form', { name: 'Add a person' });
  await form.getByLabel('Name').fill(name);
  await form.getByLabel('Role').selectOption('scanner');
  await form.getByLabel('First password').fill('newcomer-password-1');
  await form.getByRole('button', { name: 'Add person' }).click();
  const row = page.locator(`[data-testid="person"][data-name="${name}"]`);
  await expect(row).toContainText('Active');
  await row.getByRole('button', { name: 'Deactivate' }).click();
  await expect(row).toContainText('Deactivated');

  await nav.getByRole('link', { name: 'Devices' }).click();
  const code = page.getByRole('form', { name: 'Enrol a device' });
  await code.getByLabel('Device name').fill('Gate West');
  await code.getByLabel('Device role').selectOption('scanner');
  await code.getByRole('button', { name: 'Make an enrolment code' }).click();
  await expect(page.getByTestId('enrolment-code')).toContainText(
    /Enrolment code [0-9A-Z]{5}-[0-9A-Z]{5} for "Gate West"/,
  );
  await expect(page.locator('[data-testid="device"][data-name="Admin office"]')).toBeVisible();

  await nav.getByRole('link', { name: 'Audit' }).click();
  await expect(page.getByRole('heading', { name: 'Audit', level: 2 })).toBeVisible();
});
