// Page model of signing in on a device: online with a password (then a new or the cached PIN), offline with a PIN.
import { expect } from '@playwright/test';
import type { Locator, Page } from '@playwright/test';

export type Credentials = { name: string; password: string; pin: string };

export class SignInPage {
  constructor(readonly page: Page) {}

  private async fill(how: 'Password (online)' | 'PIN (offline)', name: string, secret: string) {
    await this.page.getByRole('radio', { name: how }).check();
    await this.page.getByLabel('Name', { exact: true }).fill(name);
    await this.page.getByLabel(how === 'PIN (offline)' ? 'PIN' : 'Password', { exact: true }).fill(secret);
    await this.page.getByRole('button', { name: 'Sign in' }).click();
  }

  /** Name and password, then the PIN: chosen (twice) the first time on this device, confirmed after. */
  async signInOnline(person: Credentials): Promise<void> {
    await this.fill('Password (online)', person.name, person.password);
    const again = this.page.getByLabel('PIN again');
    const heading = this.page.getByRole('heading', { level: 1, name: /^(Choose a PIN|Your PIN)/ });
    await expect(heading).toBeVisible();
    if ((await heading.textContent())?.startsWith('Choose')) {
      await this.page.getByLabel('New PIN').fill(person.pin);
      await again.fill(person.pin);
    } else await this.page.getByLabel('PIN', { exact: true }).fill(person.pin);
    await this.page.getByRole('button', { name: 'Continue' }).click();
    await this.expectSignedIn(person.name);
  }

  async signInWithPin(name: string, pin: string): Promise<void> {
    await this.fill('PIN (offline)', name, pin);
  }

  async expectSignedIn(name: string): Promise<void> {
    await expect(this.page.getByTestId('signed-in')).toContainText(name);
  }

  refusal(): Locator {
    return this.page.getByRole('alert');
  }

  async signOut(): Promise<void> {
    await this.page.getByRole('button', { name: 'Sign out' }).click();
    await expect(this.page.getByRole('heading', { name: 'Sign in', level: 1 })).toBeVisible();
  }
}
