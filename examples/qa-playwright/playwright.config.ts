import { defineConfig } from '@playwright/test';

/**
 * Playwright drives the system's Chromium (Debian's `chromium` package): test tools may not
 * download browsers here. Elsewhere, set CHROMIUM or drop `executablePath` after
 * `npx playwright install chromium`.
 */
export default defineConfig({
  testDir: './tests',
  globalSetup: './global-setup.ts',
  timeout: 30_000,
  reporter: 'list',
  workers: 1,
  use: {
    browserName: 'chromium',
    launchOptions: {
      executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu'],
    },
  },
});
