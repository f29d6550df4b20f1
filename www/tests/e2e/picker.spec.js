// <chartcode-picker> and the demo EHR page in real Chromium (Playwright,
// Debian's /usr/bin/chromium), served under the strict CSP by serve.mjs.
import { test, expect } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';

const repo = fileURLToPath(new URL('../../../', import.meta.url));

/** The inner parts of a picker (Playwright pierces open shadow roots). */
function parts(page, id) {
  const host = page.locator(`#${id}`);
  return {
    host,
    input: host.locator('input[role="combobox"]'),
    listbox: host.locator('[role="listbox"]'),
    options: host.locator('[role="option"]'),
    active: host.locator('[role="option"][aria-selected="true"]'),
    status: host.locator('[role="status"]'),
    empty: host.locator('.empty'),
    detail: host.locator('.detail'),
    chips: host.locator('.chip'),
  };
}

async function codes(options, n) {
  const all = await options.locator('.code').allTextContents();
  return n ? all.slice(0, n) : all;
}

/** Collects requests, console errors and CSP violations of a page. */
function watch(page) {
  const seen = { requests: [], errors: [] };
  page.on('request', (r) => seen.requests.push(r.url()));
  page.on('console', (m) => m.type() === 'error' && seen.errors.push(m.text()));
  page.on('pageerror', (e) => seen.errors.push(String(e)));
  return seen;
}

test.describe('the picker', () => {
  test.beforeEach(async ({ page }) => {
    await page.goto('/tests/pages/picker.html');
  });

  test('typing chf lists I50 codes first, with the ARIA combobox wiring', async ({ page }) => {
    const p = parts(page, 'plain');
    await expect(p.input).toHaveAttribute('aria-expanded', 'false');
    await p.input.click();
    await page.keyboard.type('chf');
    await expect(p.options.first().locator('.code')).toHaveText(/^I50/);
    expect((await codes(p.options, 5)).every((c) => c.startsWith('I50')), (await codes(p.options, 5)).join()).toBe(true);
    await expect(p.input).toHaveAttribute('aria-expanded', 'true');
    const listboxId = await p.listbox.getAttribute('id');
    await expect(p.input).toHaveAttribute('aria-controls', listboxId);
    await expect(p.input).toHaveAttribute('aria-autocomplete', 'list');
    await expect(p.input).not.toHaveAttribute('aria-activedescendant', /.+/);
    // The matched words are highlighted, the system and billable status shown.
    await expect(p.options.first().locator('mark').first()).toHaveText(/heart/i);
    await expect(p.options.first()).toContainText('ICD-10-CM');
    await expect(p.options.first()).toContainText('billable');
    // The live status announces the count.
    await expect(p.status).toHaveText(/\d+ codes/);
    // Down moves the active option; the input keeps DOM focus.
    await page.keyboard.press('ArrowDown');
    const first = await p.options.first().getAttribute('id');
    await expect(p.input).toHaveAttribute('aria-activedescendant', first);
    await expect(p.options.first()).toHaveAttribute('aria-selected', 'true');
    await expect(p.input).toBeFocused();
    // The detail view shows the notes of the active code.
    await expect(p.detail).toBeVisible();
    await expect(p.detail).toContainText('I50.9');
    await expect(p.detail).toContainText(/Excludes|Code first|Inclusion|Includes/);
  });

  test('Down, Up, Home, End, PageDown and PageUp move through the options', async ({ page }) => {
    const p = parts(page, 'plain');
    await p.input.click();
    await page.keyboard.type('fracture femur');
    await expect(p.options).toHaveCount(20);
    const id = (i) => p.options.nth(i).getAttribute('id');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await expect(p.input).toHaveAttribute('aria-activedescendant', await id(1));
    await page.keyboard.press('ArrowUp');
    await expect(p.input).toHaveAttribute('aria-activedescendant', await id(0));
    await page.keyboard.press('End');
    await expect(p.input).toHaveAttribute('aria-activedescendant', await id(19));
    await page.keyboard.press('Home');
    await expect(p.input).toHaveAttribute('aria-activedescendant', await id(0));
    await page.keyboard.press('PageDown');
    await expect(p.input).toHaveAttribute('aria-activedescendant', await id(10));
    await page.keyboard.press('PageUp');
    await expect(p.input).toHaveAttribute('aria-activedescendant', await id(0));
    await expect(p.active).toHaveCount(1);
  });

  test('keyboard-only selection fires chartcode-select with the FHIR coding', async ({ page }) => {
    const p = parts(page, 'required');
    await page.locator('#plain').focus();
    await page.keyboard.press('Tab');
    await expect(p.input).toBeFocused();
    await page.keyboard.type('type 2 diabetes without complications');
    await expect(p.options.first()).toContainText('E11.9');
    await page.keyboard.press('ArrowDown');
    await expect(p.options.first()).toHaveAttribute('aria-selected', 'true');
    await page.keyboard.press('Enter');
    await expect(p.chips).toHaveCount(1);
    await expect.poll(() => page.evaluate(() => window.events)).toHaveLength(1);
    const events = await page.evaluate(() => window.events);
    expect(events[0]).toEqual({
      type: 'chartcode-select',
      target: 'required',
      detail: {
        system: 'icd10cm',
        code: 'E11.9',
        display: 'Type 2 diabetes mellitus without complications',
        billable: true,
        coding: {
          system: 'http://hl7.org/fhir/sid/icd-10-cm',
          code: 'E11.9',
          display: 'Type 2 diabetes mellitus without complications',
        },
      },
    });
    await expect(p.input).toHaveAttribute('aria-expanded', 'false');
    await expect(p.chips).toHaveCount(1);
    await expect(p.chips.first()).toContainText('E11.9');
    await expect(p.host).toHaveJSProperty('value', 'E11.9');
    await expect(p.status).toHaveText(/E11\.9 .* selected/);
  });

  test('a header opens into its children instead of being chosen; Left goes back', async ({ page }) => {
    const p = parts(page, 'plain');
    await p.input.click();
    await page.keyboard.type('S72.001');
    await expect(p.options.first()).toContainText('S72.001');
    await expect(p.options.first()).toContainText('not billable');
    await page.keyboard.press('ArrowDown');
    await expect(p.options.first()).toHaveAttribute('aria-selected', 'true');
    await page.keyboard.press('Enter'); // opens the 7th characters, selects nothing
    const crumb = p.host.locator('.crumb');
    await expect(crumb).toContainText('S72.001');
    await expect(p.options.first()).toContainText('S72.001A');
    await expect(p.options).toHaveCount(16);
    expect(await page.evaluate(() => window.events)).toEqual([]);
    await page.keyboard.press('ArrowLeft');
    await expect(crumb).toBeHidden();
    await expect(p.options.first()).toContainText('S72.001');
    // Right arrow on a category opens it too.
    await page.keyboard.press('Control+A');
    await page.keyboard.type('E11');
    await expect(p.options.first().locator('.code')).toHaveText('E11');
    await page.keyboard.press('ArrowDown');
    await expect(p.options.first()).toHaveAttribute('aria-selected', 'true');
    const header = (await codes(p.options, 1))[0];
    await page.keyboard.press('ArrowRight');
    await expect(crumb).toContainText(header);
    const children = await codes(p.options);
    expect(children.length).toBeGreaterThan(0);
    expect(children.every((c) => c.startsWith(header)), `${header}: ${children}`).toBe(true);
    // Pointer: the chevron of a header opens it.
    await page.keyboard.press('ArrowLeft');
    await expect(crumb).toBeHidden();
    await p.options.first().locator('.chevron').click();
    await expect(crumb).toContainText(header);
    expect((await codes(p.options)).every((c) => c.startsWith(header))).toBe(true);
  });

  test('Escape closes the popup, a second Escape clears the text', async ({ page }) => {
    const p = parts(page, 'plain');
    await p.input.click();
    await page.keyboard.type('asthma');
    await expect(p.options.first()).toBeVisible();
    await page.keyboard.press('ArrowDown');
    await expect(p.options.first()).toHaveAttribute('aria-selected', 'true');
    await page.keyboard.press('Escape');
    await expect(p.host.locator('.popup')).toBeHidden();
    await expect(p.input).toHaveAttribute('aria-expanded', 'false');
    await expect(p.input).not.toHaveAttribute('aria-activedescendant', /.+/);
    await expect(p.input).toHaveValue('asthma');
    await page.keyboard.press('Escape');
    await expect(p.input).toHaveValue('');
  });

  test('Tab reaches the scrollable notes, Escape there returns to the box, leaving closes', async ({ page }) => {
    const p = parts(page, 'plain');
    await p.input.click();
    await page.keyboard.type('copd');
    await expect(p.options.first()).toBeVisible();
    await page.keyboard.press('ArrowDown');
    await expect(p.detail).toBeVisible();
    await page.keyboard.press('Tab');
    await expect(p.detail).toBeFocused();
    await expect(p.input).toHaveAttribute('aria-expanded', 'true');
    await page.keyboard.press('Escape');
    await expect(p.input).toBeFocused();
    await expect(p.input).toHaveAttribute('aria-expanded', 'false');
    await page.keyboard.press('ArrowDown');
    await expect(p.detail).toBeVisible();
    await page.keyboard.press('Tab');
    await expect(p.detail).toBeFocused();
    await page.keyboard.press('Tab');
    await expect(p.host.locator('.popup')).toBeHidden();
    await expect(parts(page, 'required').input).toBeFocused();
  });

  test('an empty result says so, politely', async ({ page }) => {
    const p = parts(page, 'plain');
    await p.input.click();
    await page.keyboard.type('zzqxv');
    await expect(p.empty).toHaveText('No codes match “zzqxv”');
    await expect(p.status).toHaveText('No codes match “zzqxv”');
    await expect(p.input).toHaveAttribute('aria-expanded', 'false');
  });

  test('mouse and touch choose an option', async ({ page, browser }) => {
    const p = parts(page, 'multi');
    await p.input.click();
    await page.keyboard.type('walker');
    await expect(p.options.first()).toBeVisible();
    const code = (await codes(p.options, 1))[0];
    await p.options.first().click();
    await expect(p.chips).toHaveCount(1);
    await expect(p.chips.first()).toContainText(code);

    const touch = await browser.newContext({ hasTouch: true, viewport: { width: 390, height: 844 } });
    const phone = await touch.newPage();
    await phone.goto('/tests/pages/picker.html');
    const q = parts(phone, 'multi');
    await q.input.tap();
    await phone.keyboard.type('wheelchair');
    await expect(q.options.first()).toBeVisible();
    const box = await q.options.first().boundingBox();
    expect(box.height).toBeGreaterThanOrEqual(44); // touch-sized target
    await q.options.first().tap();
    await expect(q.chips).toHaveCount(1);
    await touch.close();
  });

  test('the form submits the value, requires one, and resets', async ({ page }) => {
    const required = parts(page, 'required');
    const multi = parts(page, 'multi');
    expect(await required.host.evaluate((el) => el.checkValidity())).toBe(false);
    expect(await required.host.evaluate((el) => el.validity.valueMissing)).toBe(true);
    await page.locator('button[type="submit"]').click();
    expect(await page.evaluate(() => window.submittedData)).toBeUndefined(); // blocked by validation
    await required.input.click();
    await page.keyboard.type('essential hypertension');
    await expect(required.options.first()).toContainText('I10');
    await page.keyboard.press('ArrowDown');
    await expect(required.options.first()).toHaveAttribute('aria-selected', 'true');
    await page.keyboard.press('Enter');
    await expect(required.chips).toHaveCount(1);
    for (const [n, word] of ['oxygen', 'walker'].entries()) {
      await multi.input.click();
      await page.keyboard.type(word);
      await expect(multi.options.first()).toBeVisible();
      await page.keyboard.press('ArrowDown');
      await expect(multi.options.first()).toHaveAttribute('aria-selected', 'true');
      await page.keyboard.press('Enter');
      await expect(multi.chips).toHaveCount(n + 1);
    }
    const supplies = (await multi.host.evaluate((el) => el.value)).split(' ');
    await page.locator('button[type="submit"]').click();
    await expect(page.locator('#submitted')).not.toBeEmpty();
    const submitted = await page.evaluate(() => window.submittedData);
    expect(submitted).toContainEqual(['dx', 'I10']);
    expect(submitted).toContainEqual(['preset', 'I10']);
    expect(submitted.filter(([name]) => name === 'supply').map(([, v]) => v)).toEqual(supplies);
    // Removing a chip fires chartcode-clear.
    await multi.chips.first().locator('button').click();
    await expect(multi.chips).toHaveCount(1);
    await expect.poll(() => page.evaluate(() => window.events.at(-1))).toMatchObject({
      type: 'chartcode-clear',
      detail: { removed: { code: supplies[0] } },
    });
    // Reset restores the attributes' values.
    await page.locator('button[type="reset"]').click();
    await expect(required.chips).toHaveCount(0);
    await expect(multi.chips).toHaveCount(0);
    await expect(parts(page, 'preset').host).toHaveJSProperty('value', 'I10');
  });

  test('value, clear(), focus() and disabled', async ({ page }) => {
    const preset = parts(page, 'preset');
    await expect(preset.chips.first()).toContainText('Essential (primary) hypertension');
    expect(await preset.host.evaluate((el) => el.selected[0].coding.code)).toBe('I10');
    await preset.host.evaluate((el) => el.clear());
    await expect(preset.chips).toHaveCount(0);
    await expect.poll(() => page.evaluate(() => window.events.at(-1))).toMatchObject({ type: 'chartcode-clear', target: 'preset' });
    await preset.host.evaluate((el) => {
      el.value = 'e119';
    });
    await expect(preset.chips.first()).toContainText('E11.9');
    await preset.host.evaluate((el) => el.focus());
    await expect(preset.input).toBeFocused();
    await expect(parts(page, 'off').input).toBeDisabled();
  });
});

test.describe('the demo EHR page', () => {
  test('works, stays on its origin, has no accessibility violations, and is photographed', async ({ page, baseURL }) => {
    const seen = watch(page);
    await page.setViewportSize({ width: 1200, height: 1000 });
    await page.goto('/');
    const origin = new URL(baseURL).origin;
    // The legacy field shows the ICD-10-CM crosswalk of its preset 428.0.
    await expect(page.locator('#crosswalk')).toContainText('I50.9');
    const problems = parts(page, 'problems');
    await problems.input.click();
    await page.keyboard.type('chf');
    await expect(problems.options.first()).toContainText('I50');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await expect(problems.chips).toHaveCount(1);
    await page.keyboard.type('dm2 ckd');
    await expect(problems.options.nth(1)).toBeVisible();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await expect(problems.options.nth(1)).toHaveAttribute('aria-selected', 'true');
    await expect(problems.detail).toBeVisible();

    // Accessibility, with the popup open and the detail view showing.
    const axe = await new AxeBuilder({ page }).analyze();
    expect(axe.violations.map((v) => `${v.id}: ${v.help} ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);

    const shot = process.env.CHARTCODE_SCREENSHOT ? `${repo}docs/demo.png` : test.info().outputPath('demo.png');
    await page.screenshot({ path: shot });

    await page.keyboard.press('Enter');
    await expect(problems.chips).toHaveCount(2);
    const supplies = parts(page, 'supplies');
    await supplies.input.click();
    await page.keyboard.type('walker');
    await expect(supplies.options.first()).toBeVisible();
    await page.keyboard.press('ArrowDown');
    await expect(supplies.options.first()).toHaveAttribute('aria-selected', 'true');
    await page.keyboard.press('Enter');
    await expect(supplies.chips).toHaveCount(1);
    await page.locator('button[type="submit"]').click();
    await expect(page.locator('#submitted')).toContainText('problems = I50.9');
    await expect(page.locator('#submitted')).toContainText('http://hl7.org/fhir/sid/icd-10-cm');

    // No request left the page's origin; no CSP violation, no error.
    for (const url of seen.requests) expect(new URL(url).origin, url).toBe(origin);
    expect(seen.errors).toEqual([]);
  });
});

test('the component renders code-book text with textContent, never HTML', () => {
  const source = readFileSync(`${repo}www/chartcode-picker.js`, 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/^\s*\/\/.*$/gm, '');
  expect(source).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|\.setAttribute\(['"]style/);
});
