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

test.describe('the picker, more', () => {
  test.beforeEach(async ({ page }) => {
    await page.goto('/tests/pages/picker.html');
  });

  test('Up in an emptied box opens the top of the books at its last option, never an option of a closed list', async ({ page }) => {
    const p = parts(page, 'plain');
    await p.input.click();
    await page.keyboard.type('asthma');
    await expect(p.options.first()).toBeVisible();
    await page.keyboard.press('Escape'); // closes
    await expect(p.input).toHaveAttribute('aria-expanded', 'false');
    await page.keyboard.press('Escape'); // empties the box
    await expect(p.input).toHaveValue('');
    await page.keyboard.press('ArrowUp');
    await expect(p.input).toHaveAttribute('aria-expanded', 'true');
    await expect(p.options.last()).toHaveAttribute('aria-selected', 'true');
    await expect(p.options.last().locator('.code')).toHaveText(/^[A-Z]\d\d-[A-Z]\d\d$/); // a chapter (ICD-10-CM's last: U00-U85)
    const active = await p.input.getAttribute('aria-activedescendant');
    await expect(p.host.locator(`[id="${active}"]`)).toBeVisible();
    await expect(p.options.filter({ hasText: 'asthma' })).toHaveCount(0);
  });

  test('a long pasted text is cut between two characters, never inside one', async ({ page }) => {
    const p = parts(page, 'plain');
    // 1000 UTF-16 units are searched: here they end in the first half of 😀.
    const text = `chf${' '.repeat(996)}😀 and more`;
    expect(text.charCodeAt(999)).toBe(0xd83d);
    await p.input.fill(text);
    await expect(p.options.first().locator('.code')).toHaveText(/^I50/);
    await expect(p.empty).toBeHidden();
  });

  test('a corrected word says so: showing results for the corrected query', async ({ page }) => {
    const p = parts(page, 'plain');
    const via = p.host.locator('.via');
    await p.input.click();
    await page.keyboard.type('hypertnsion');
    await expect(p.options.first().locator('.code')).toHaveText('I10');
    await expect(via).toHaveText('Showing results for “hypertension”');
    await expect(p.status).toContainText('Showing results for hypertension');
    // Spelled right, no note.
    await p.input.fill('');
    await page.keyboard.type('hypertension');
    await expect(p.options.first().locator('.code')).toHaveText('I10');
    await expect(via).toBeHidden();
  });

  test('a hit through a lay term, an abbreviation or the index says so beside it', async ({ page }) => {
    const p = parts(page, 'plain');
    await p.input.click();
    await page.keyboard.type('heart attack');
    const first = p.options.first();
    await expect(first.locator('.code')).toHaveText('I21.9');
    await expect(first.locator('.hit-via')).toHaveText('via lay term: heart attack → myocardial infarction');
    await p.input.fill('');
    await page.keyboard.type('abdominalgia');
    await expect(p.options.first().locator('.code')).toHaveText('R10.9');
    await expect(p.options.first().locator('.hit-via')).toHaveText('via index: abdominalgia');
    // The title's own words: nothing beside it.
    await p.input.fill('');
    await page.keyboard.type('essential hypertension');
    await expect(p.options.first().locator('.code')).toHaveText('I10');
    await expect(p.options.first().locator('.hit-via')).toHaveCount(0);
  });

  test('setting="snf" lists an injury\'s subsequent encounter first, and a bad setting says why', async ({ page }) => {
    const p = parts(page, 'plain');
    await p.host.evaluate((el) => { el.billableOnly = true; });
    await p.input.click();
    await page.keyboard.type('nasal fracture');
    await expect(p.options.first().locator('.code')).toHaveText('S02.2XXA');
    await p.host.evaluate((el) => { el.setting = 'snf'; });
    await expect(p.host).toHaveAttribute('setting', 'snf');
    await p.input.fill('');
    await page.keyboard.type('nasal fracture');
    await expect(p.options.first().locator('.code')).toHaveText('S02.2XXD');
    await p.host.evaluate((el) => el.setAttribute('setting', 'nursing home'));
    await p.input.fill('');
    await page.keyboard.type('nasal fracture');
    await expect(p.empty).toContainText('not a setting');
    await expect(p.options).toHaveCount(0);
  });

  test('options and chips carry the flags the setting pays by, and chips mark the check findings', async ({ page }) => {
    const p = parts(page, 'checked');
    await p.input.click();
    await page.keyboard.type('chronic systolic heart failure');
    const option = p.options.filter({ hasText: 'I50.22' }).first();
    await expect(option.locator('.flag')).toHaveText(['HCC 226', 'CC']);
    // A nursing home shows PDPM comorbidities, not CC/MCC.
    await p.host.evaluate((el) => { el.setting = 'snf'; });
    await p.input.fill('');
    await page.keyboard.type('acute respiratory failure with hypoxia');
    await expect(p.options.filter({ hasText: 'J96.01' }).first().locator('.flag')).toHaveText(['HCC 213', 'NTA']);
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');
    await p.host.evaluate((el) => { el.setting = 'inpatient'; });

    // An Excludes1 pair: both chips carry the error mark, its message on focus.
    await p.host.evaluate((el) => { el.value = 'E11.9 E10.9'; });
    await expect(p.chips).toHaveCount(2);
    await expect(p.chips.nth(0)).toHaveAttribute('data-finding', 'error');
    await expect(p.chips.nth(1)).toHaveAttribute('data-finding', 'error');
    const mark = p.chips.nth(1).locator('.chip-mark');
    const tip = p.chips.nth(1).locator('[role="tooltip"]');
    await expect(tip).toBeHidden();
    await mark.focus();
    await expect(tip).toBeVisible();
    await expect(tip).toContainText('never coded together');
    await expect(mark).toHaveAttribute('aria-describedby', await tip.getAttribute('id'));
    await expect(p.chips.nth(0).locator('.flag')).toHaveText(['HCC 38']);
    // The page hears the report.
    await page.waitForFunction(() => window.checks.some((c) => c.target === 'checked' && c.detail?.findings.some((f) => f.rule === 'excludes1')));

    // The patient is 70: a newborn code is an age conflict; removing the pair's half clears its marks.
    await p.host.evaluate((el) => { el.value = 'E11.9 A33'; });
    await expect(p.chips.nth(1)).toHaveAttribute('data-finding', 'error');
    await p.chips.nth(1).locator('.chip-mark').focus();
    await expect(p.chips.nth(1).locator('[role="tooltip"]')).toContainText('newborn');
    await p.host.evaluate((el) => { el.patientAge = '0'; });
    await expect(p.chips.nth(1)).not.toHaveAttribute('data-finding', 'error');
    await p.host.evaluate((el) => { el.value = 'E11.9'; });
    await expect(p.chips).toHaveCount(1);
    // Alone, E11.9 asks for its "use additional code" partner: a warning, not an error.
    await expect(p.chips.first()).toHaveAttribute('data-finding', 'warning');
    await expect(p.chips.first().locator('.chip-mark')).toHaveText('?');
    // With its partner and an outpatient setting (no admission to question), nothing to mark.
    await p.host.evaluate((el) => { el.setting = 'outpatient'; el.value = 'E11.9 Z79.84'; });
    await expect(p.chips).toHaveCount(2);
    await expect(p.chips.first().locator('.chip-mark')).toHaveCount(0);
    // A bad age is said to the page, not thrown.
    await p.host.evaluate((el) => { el.patientAge = '300'; });
    await page.waitForFunction(() => window.checks.at(-1)?.detail?.error?.includes('0 to 124'));
  });

  test('date-of-service chooses the release, per picker, and a bad date says why', async ({ page }) => {
    const p = parts(page, 'plain');
    const other = parts(page, 'required'); // no date: today, FY2027
    // S23.420A is an FY2026 code that FY2027 deleted.
    await p.host.evaluate((el) => el.setAttribute('date-of-service', '2026-09-30'));
    await expect(p.host).toHaveJSProperty('dateOfService', '2026-09-30');
    await p.input.click();
    await page.keyboard.type('S23.420A');
    await expect(p.options.first().locator('.code')).toHaveText('S23.420A');
    await page.keyboard.press('Escape'); // its popup would cover the next picker
    await expect(p.input).toHaveAttribute('aria-expanded', 'false');
    await other.input.focus();
    await page.keyboard.type('S23.420A');
    await expect(other.empty).toHaveText('No codes match “S23.420A”');
    // The same picker on 2026-10-01.
    await p.host.evaluate((el) => { el.dateOfService = '2026-10-01'; });
    await page.keyboard.press('Escape');
    await p.input.fill('');
    await p.input.focus();
    await page.keyboard.type('S23.420A');
    await expect(p.empty).toHaveText('No codes match “S23.420A”');
    await p.input.fill('');
    await page.keyboard.type('glanzmann');
    await expect(p.options.first().locator('.code')).toHaveText('D69.11');
    // Not a date: nothing listed, and the reason.
    await p.host.evaluate((el) => el.setAttribute('date-of-service', 'next week'));
    await p.input.fill('');
    await page.keyboard.type('chf');
    await expect(p.empty).toContainText('YYYY-MM-DD');
    await expect(p.options).toHaveCount(0);
  });
});

test.describe('the picker while the code books load', () => {
  /** Holds the request for the module's bytes until `release()` is called. */
  async function holdModule(page) {
    let release;
    const held = new Promise((resolve) => (release = resolve));
    await page.route('**/pkg/chartcode_wasm.js', async (route) => {
      await held;
      await route.continue();
    });
    return release;
  }

  test('keys pressed while it loads are kept: one search for the text, Down on its first option', async ({ page }) => {
    const seen = watch(page);
    const release = await holdModule(page);
    await page.goto('/tests/pages/picker-load.html');
    const p = parts(page, 'late');
    await p.input.click();
    await page.keyboard.type('chf');
    await page.keyboard.press('ArrowDown');
    await expect(p.input).toHaveValue('chf');
    expect(await page.evaluate(() => window.searches)).toEqual([]);

    release();
    await expect(p.options.first()).toHaveAttribute('aria-selected', 'true');
    await expect(p.options.first().locator('.code')).toHaveText(/^I50/);
    await expect(p.input).toHaveAttribute('aria-activedescendant', await p.options.first().getAttribute('id'));
    await expect(p.detail).toBeVisible();
    expect(await page.evaluate(() => window.searches)).toEqual(['chf']);
    // Once loaded, one key is one search.
    await page.keyboard.type(' acute');
    await expect(p.options.first()).toContainText(/acute/i);
    expect(await page.evaluate(() => window.searches)).toEqual(['chf', 'chf ', 'chf a', 'chf ac', 'chf acu', 'chf acut', 'chf acute']);
    expect(seen.errors).toEqual([]);
  });

  test('while it loads the popup says so, visibly; Escape closes it for good', async ({ page }) => {
    const release = await holdModule(page);
    await page.goto('/tests/pages/picker-load.html');
    const p = parts(page, 'late');
    const loading = p.host.locator('.loading');
    await p.input.click();
    await page.keyboard.type('chf');
    await expect(loading).toBeVisible();
    await expect(loading).toHaveText('Loading code books…');
    await expect(p.status).toHaveText('Loading code books…');
    await expect(p.input).toHaveAttribute('aria-expanded', 'false'); // no listbox yet
    await expect(p.options).toHaveCount(0);
    await page.keyboard.press('Escape');
    await expect(p.host.locator('.popup')).toBeHidden();
    release();
    await expect.poll(() => page.evaluate(() => window.loadCodeBook())).toBe('loaded');
    // The user closed it: nothing opens, nothing is searched, until the next key.
    await expect(p.host.locator('.popup')).toBeHidden();
    expect(await page.evaluate(() => window.searches)).toEqual([]);
    await page.keyboard.press('ArrowDown');
    await expect(p.options.first()).toHaveAttribute('aria-selected', 'true');
    expect(await page.evaluate(() => window.searches)).toEqual(['chf']);
  });

  test('Down in an empty box while it loads opens the top of the books', async ({ page }) => {
    const release = await holdModule(page);
    await page.goto('/tests/pages/picker-load.html');
    const p = parts(page, 'late');
    await p.input.click();
    await page.keyboard.press('ArrowDown');
    await expect(p.host.locator('.loading')).toBeVisible();
    release();
    await expect(p.options.first()).toHaveAttribute('aria-selected', 'true');
    await expect(p.options.first().locator('.code')).toHaveText('A00-B99');
    expect(await page.evaluate(() => window.searches)).toEqual([]);
  });

  test('a load that fails while the user waits says so in the popup and to the page', async ({ page }) => {
    const seen = watch(page);
    await page.goto('/tests/pages/picker-load.html');
    // A book handed over by the page that fails while the user waits.
    await page.evaluate(() => {
      window.useCodeBook(new Promise((resolve, reject) => (window.failLoad = () => reject(new Error('the packs are offline')))));
    });
    const p = parts(page, 'late');
    const loading = p.host.locator('.loading');
    await p.input.click();
    await page.keyboard.type('chf');
    await expect(loading).toBeVisible();
    await page.evaluate(() => window.failLoad());
    await expect(loading).toHaveText('The code books could not be loaded: the packs are offline');
    await expect(loading).toBeVisible();
    await expect(p.status).toHaveText('The code books could not be loaded.');
    await expect.poll(() => page.evaluate(() => window.events.at(-1))).toEqual({
      type: 'chartcode-results',
      target: 'late',
      detail: { query: 'chf', count: 0, error: 'The code books could not be loaded: the packs are offline' },
    });
    expect(await page.evaluate(() => window.unhandled)).toEqual([]);
    expect(seen.errors).toEqual([]);
  });

  test('a failed load is not kept: the next focus loads the module, and no rejection goes unhandled', async ({ page }) => {
    const seen = watch(page);
    await page.goto('/tests/pages/picker-load.html');
    await page.evaluate(() => {
      window.useCodeBook(new Promise((resolve, reject) => (window.failLoad = () => reject(new Error('the packs are offline')))));
    });
    const p = parts(page, 'late');
    await p.input.focus(); // starts the load; nobody waits for it (nothing typed)
    await page.evaluate(() => window.failLoad());
    await expect(p.host.locator('.loading')).toHaveText('The code books could not be loaded: the packs are offline');
    await expect(p.host.locator('.popup')).toBeHidden(); // fails quietly
    await p.input.blur();
    const moduleRequested = page.waitForRequest('**/pkg/chartcode_wasm.js', { timeout: 10_000 });
    await p.input.focus(); // tries again: the module's own books
    await moduleRequested;
    await page.keyboard.type('chf');
    await page.keyboard.press('ArrowDown');
    await expect(p.options.first()).toHaveAttribute('aria-selected', 'true');
    await expect(p.options.first().locator('.code')).toHaveText(/^I50/);
    expect(await page.evaluate(() => window.unhandled)).toEqual([]);
    expect(seen.errors).toEqual([]);
  });

  test('browsing a book the module lacks says so, not "Type one more letter"', async ({ page }) => {
    await page.goto('/tests/pages/picker-load.html');
    await expect.poll(() => page.evaluate(() => window.loadCodeBook())).toBe('loaded');
    const p = parts(page, 'unknown');
    await p.input.focus();
    await page.keyboard.press('ArrowDown');
    await expect(p.empty).toBeVisible();
    await expect(p.empty).toContainText('unknown code system "snomed"');
    await expect(p.input).not.toHaveAttribute('aria-activedescendant', /.+/);
  });

  test('a picker in a disabled fieldset stays disabled when its attributes change', async ({ page }) => {
    await page.goto('/tests/pages/picker-load.html');
    const p = parts(page, 'fenced');
    const fieldset = page.locator('#fieldset');
    await expect(p.input).toBeDisabled();
    await p.host.evaluate((el) => el.setAttribute('placeholder', 'A procedure'));
    await expect(p.input).toHaveAttribute('placeholder', 'A procedure');
    await expect(p.input).toBeDisabled();
    await fieldset.evaluate((f) => (f.disabled = false));
    await expect(p.input).toBeEnabled();
    // Its own attribute and the fieldset each disable it.
    await p.host.evaluate((el) => (el.disabled = true));
    await fieldset.evaluate((f) => (f.disabled = true));
    await p.host.evaluate((el) => (el.disabled = false));
    await expect(p.input).toBeDisabled();
    await fieldset.evaluate((f) => (f.disabled = false));
    await expect(p.input).toBeEnabled();
  });

  test('chartcode-results leaves a shadow root, and comes for results, errors and an emptied box', async ({ page }) => {
    await page.goto('/tests/pages/picker-load.html');
    await expect.poll(() => page.evaluate(() => window.loadCodeBook())).toBe('loaded');
    const inner = page.locator('#deep chartcode-picker');
    const input = inner.locator('input[role="combobox"]');
    const results = () => page.evaluate(() => window.events.filter((e) => e.type === 'chartcode-results').map((e) => ({ target: e.target, ...e.detail })));
    await input.focus();
    await page.keyboard.type('chf');
    await expect(inner.locator('[role="option"]').first()).toBeVisible();
    await expect.poll(async () => (await results()).at(-1)).toEqual({ target: 'inner', query: 'chf', count: 20 });
    // An error: the search refuses the attribute's book.
    await inner.evaluate((el) => (el.systems = 'snomed'));
    await page.keyboard.type('x');
    await expect(inner.locator('.empty')).toContainText('snomed');
    await expect.poll(async () => (await results()).at(-1)).toMatchObject({ target: 'inner', query: 'chfx', count: 0, error: expect.stringContaining('unknown code system "snomed"') });
    // Emptied by the user: count 0 for the empty text.
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Backspace');
    await expect.poll(async () => (await results()).at(-1)).toEqual({ target: 'inner', query: '', count: 0 });
    // Escape twice empties it too, and so does choosing a code.
    await inner.evaluate((el) => (el.systems = 'icd10cm'));
    await page.keyboard.type('asthma');
    await expect.poll(async () => (await results()).at(-1)).toMatchObject({ query: 'asthma' });
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');
    await expect(input).toHaveValue('');
    await expect.poll(async () => (await results()).at(-1)).toEqual({ target: 'inner', query: '', count: 0 });
    await page.keyboard.type('essential hypertension');
    await expect(inner.locator('[role="option"]').first()).toContainText('I10');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await expect(input).toHaveValue('');
    await expect.poll(() => page.evaluate(() => window.events.slice(-2).map((e) => [e.type, e.detail.query ?? e.detail.code]))).toEqual([
      ['chartcode-results', ''],
      ['chartcode-select', 'I10'],
    ]);
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
    // The checks panel: HCCs of the list; a newborn code conflicts with the banner's age (69).
    await expect(page.locator('#findings')).toContainText('HCC');
    await problems.host.evaluate((el) => el.add({ system: 'icd10cm', code: 'A33', display: 'Tetanus neonatorum' }));
    await expect(page.locator('#findings .finding.error[data-rule="age-conflict"]')).toContainText('the patient is 69');
    await expect(page.locator('#findings .finding.error[data-rule="age-conflict"] .source')).toHaveText(/^MCE v4.* age edit \(newborn 0\)$/);
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
    await expect(page.locator('#submitted')).toContainText(/dateOfService = \d{4}-\d\d-\d\d/);

    // The visit's date of service reaches every picker: S23.420A is billable
    // on 2026-09-30 (FY2026), gone on 2026-10-01 (FY2027).
    await page.locator('#date-of-service').fill('2026-09-30');
    await expect(problems.host).toHaveJSProperty('dateOfService', '2026-09-30');
    await problems.input.click();
    await page.keyboard.type('S23.420A');
    await expect(problems.options.first().locator('.code')).toHaveText('S23.420A');
    await page.locator('#date-of-service').fill('2026-10-01');
    await expect(problems.host).toHaveJSProperty('dateOfService', '2026-10-01');
    await problems.input.fill('');
    await problems.input.click();
    await page.keyboard.type('S23.420A');
    await expect(problems.empty).toHaveText('No codes match “S23.420A”');

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
