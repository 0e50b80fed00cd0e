// End-to-end tests: the built desk app in Debian's Chromium, against the real sync server and store, which the
// global setup starts once for the run. Two workers: the scenarios share that server, and each makes its own devices,
// people and concerts, so two run side by side (most of a scenario's time is waiting for the authority's answers).
import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions } from './test/support/chromium';

export default defineConfig({
  testDir: 'test/e2e',
  testMatch: '**/*.e2e.spec.ts',
  globalSetup: './test/e2e/global-setup.ts',
  workers: 2,
  fullyParallel: false,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? 'line' : 'list',
  use: {
    viewport: { width: 1366, height: 768 },
    trace: 'retain-on-failure',
    launchOptions: chromiumLaunchOptions,
  },
});
