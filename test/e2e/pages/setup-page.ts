// Page model of the first-start device set-up: the sync server's address and a one-time enrolment code.
import { expect } from '@playwright/test';
import type { Page } from '@playwright/test';

export class SetupPage {
  constructor(readonly page: Page) {}

  /** Enrols the device with an admin's code; the sign-in screen follows. */
  async enrol(code: string, server?: string): Promise<void> {
    await this.page.goto('/');
    if (server) await this.page.getByLabel('Sync server address').fill(server);
    await this.page.getByLabel('Enrolment code').fill(code);
    await this.page.getByRole('button', { name: 'Enrol this device' }).click();
    await expect(this.page.getByRole('heading', { name: 'Sign in', level: 1 })).toBeVisible();
  }

  /** The device's own store secret, as it keeps it (for the secrets check after the run). */
  async deviceSecret(): Promise<string> {
    return this.page.evaluate(
      () =>
        (JSON.parse(localStorage.getItem('stagedoor.device') ?? '{}') as { secret?: string }).secret ?? '',
    );
  }
}
