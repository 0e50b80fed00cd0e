// Each device is a browser context of its own (its own IndexedDB, localStorage and network switch), set up through
// the first-start screen like a real desk.
import { test as base } from '@playwright/test';
import type { BrowserContext } from '@playwright/test';
import { DeskPage } from './pages/desk-page';
import { SetupPage } from './pages/setup-page';

export { expect } from '@playwright/test';

export const serverUrlVariable = 'STAGEDOOR_E2E_URL';

export const test = base.extend<{ openDesk: (name: string) => Promise<DeskPage> }>({
  openDesk: async ({ browser }, use) => {
    const contexts: BrowserContext[] = [];
    await use(async (name) => {
      const baseURL = process.env[serverUrlVariable];
      if (!baseURL) throw new Error(`${serverUrlVariable} is not set: the global setup did not run`);
      const context = await browser.newContext({ baseURL });
      contexts.push(context);
      const page = await context.newPage();
      await new SetupPage(page).setUp(name);
      return new DeskPage(page);
    });
    for (const context of contexts) await context.close();
  },
});
