// Page model of the first-start device setup.
import { expect } from '@playwright/test';
import type { Page } from '@playwright/test';

export class SetupPage {
  constructor(readonly page: Page) {}

  async setUp(deskName: string, server?: string): Promise<void> {
    await this.page.goto('/');
    await this.page.getByLabel('Desk name').fill(deskName);
    if (server) await this.page.getByLabel('Sync server address').fill(server);
    await this.page.getByRole('button', { name: 'Start selling' }).click();
    await expect(this.page.getByRole('navigation', { name: 'Screens' })).toBeVisible();
  }
}
