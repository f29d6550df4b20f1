// Browser tests: Debian's Chromium (never a downloaded browser), headless,
// against www/serve.mjs, which serves www/ and pkg/ under the strict CSP.
import { defineConfig } from '@playwright/test';

const PORT = Number(process.env.CHARTCODE_TEST_PORT ?? 8766);

export default defineConfig({
  testDir: './tests/e2e',
  timeout: 60_000,
  workers: 1,
  reporter: 'list',
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    browserName: 'chromium',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
        '--disable-sync',
      ],
    },
  },
  webServer: {
    command: `node serve.mjs --port ${PORT} --quiet`,
    url: `http://127.0.0.1:${PORT}/tests/pages/wasm.html`,
    reuseExistingServer: false,
    timeout: 20_000,
  },
});
