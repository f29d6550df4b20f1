// The wasm module in real Chromium, on a page served with
// `default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'none'`:
// it loads, answers, and makes no request beyond the page's own files.
import { test, expect } from '@playwright/test';
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';

const www = fileURLToPath(new URL('../..', import.meta.url));

/** Loads a page, recording every request and every console error. */
async function load(page, path) {
  const requests = [];
  const errors = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(String(e)));
  const response = await page.goto(path);
  await expect(page.locator('#status')).not.toHaveText('loading', { timeout: 30_000 });
  const result = await page.evaluate(() => window.chartcodeResult);
  return { response, requests, errors, result };
}

function pathsOf(requests, origin) {
  return requests.map((u) => {
    const url = new URL(u);
    expect(url.origin, `request to another origin: ${u}`).toBe(origin);
    return url.pathname;
  });
}

test('the module loads and answers under connect-src none, requesting only its own files', async ({ page, baseURL }) => {
  const { response, requests, errors, result } = await load(page, '/tests/pages/wasm.html');
  expect(response.headers()['content-security-policy']).toContain("connect-src 'none'");
  expect(result.error, result.error).toBeUndefined();
  expect(result.violations).toEqual([]);
  expect(errors).toEqual([]);
  expect(result.systems).toEqual(['icd10cm', 'icd10pcs', 'hcpcs', 'icd9cm', 'icd9proc']);
  expect(result.hits[0].code).toBe('I50.9');
  expect(result.hits[0].coding).toEqual({
    system: 'http://hl7.org/fhir/sid/icd-10-cm',
    code: 'I50.9',
    display: 'Heart failure, unspecified',
  });
  expect(result.lookup).toBe('Type 2 diabetes mellitus without complications');
  // Once the network is idle (no late fetch, beacon or worker pending): the
  // page, its script and icon, and the package's three modules, nothing else.
  await page.waitForLoadState('networkidle');
  const paths = pathsOf(requests, new URL(baseURL).origin).filter((p) => p !== '/favicon.svg');
  expect(paths.sort()).toEqual(
    [
      '/tests/pages/wasm.html',
      '/tests/pages/wasm.js',
      '/pkg/index.js',
      '/pkg/chartcode_core.js',
      '/pkg/chartcode_wasm.js',
    ].sort(),
  );
});

test('the ICD-10-CM-only build carries one book', async ({ page, baseURL }) => {
  const { requests, errors, result } = await load(page, '/tests/pages/wasm.html?build=icd10cm');
  expect(result.error, result.error).toBeUndefined();
  expect(errors).toEqual([]);
  expect(result.systems).toEqual(['icd10cm']);
  expect(result.hits[0].code).toBe('I50.9');
  for (const path of pathsOf(requests, new URL(baseURL).origin)) {
    expect(path.startsWith('/pkg/icd10cm/') || path.startsWith('/tests/pages/') || path === '/favicon.svg', path).toBe(true);
  }
});

test('the package works through a bundler (esbuild, no plugin)', async ({ page }) => {
  await build({
    entryPoints: [resolve(www, 'tests/pages/bundle-entry.js')],
    bundle: true,
    format: 'esm',
    outfile: resolve(www, 'tests/dist/bundle.js'),
    alias: { chartcode: resolve(www, '..', 'pkg') },
    logLevel: 'error',
  });
  const { requests, errors, result } = await load(page, '/tests/pages/wasm.html?bundle=1');
  expect(result.error, result.error).toBeUndefined();
  expect(errors).toEqual([]);
  expect(result.violations).toEqual([]);
  expect(result.hits[0].code).toBe('I50.9');
  expect(requests.filter((u) => new URL(u).pathname.startsWith('/pkg/'))).toEqual([]);
});
