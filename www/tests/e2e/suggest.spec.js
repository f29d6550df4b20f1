// <chartcode-suggest> in real Chromium (Playwright, Debian's
// /usr/bin/chromium), served under the strict CSP by serve.mjs. Every test
// waits for the state it asserts: a reading of the note ends with the
// list rendered (or a message), never "after some time".
import { test, expect } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('../../../', import.meta.url));

/** The inner parts of a <chartcode-suggest> (Playwright pierces open shadow roots). */
function parts(page, id) {
  const host = page.locator(`#${id}`);
  return {
    host,
    suggested: host.locator('ul').first().locator('li'),
    notCoded: host.locator('ul').nth(1).locator('li'),
    // By code (the key), not by text: a why names other codes.
    suggestedCode: (prefix) => host.locator('ul').first().locator(`li[data-key*="|${prefix}"]`),
    notCodedCode: (prefix) => host.locator('ul').nth(1).locator(`li[data-key*="|${prefix}"]`),
    item: (code) => host.locator(`li[data-key$="|${code}"]`),
    accept: (code) => host.locator(`li[data-key$="|${code}"] .accept`),
    mirror: host.locator('.mirror'),
    marks: host.locator('.mirror mark'),
    message: host.locator('.message'),
    status: host.locator('[role="status"]'),
  };
}

/** The key (`system|code`) of the suggestion that has focus. */
function focusedKey(page) {
  return page.evaluate(() => document.activeElement?.shadowRoot?.activeElement?.closest('li')?.dataset.key ?? null);
}

/** Moves focus with the keyboard (Home, then Down) to suggestion `key`. */
async function arrowTo(page, key) {
  await page.keyboard.press('Home');
  for (let i = 0; i < 20 && (await focusedKey(page)) !== key; i++) await page.keyboard.press('ArrowDown');
  expect(await focusedKey(page)).toBe(key);
}

/** Types `text` into the note and waits for the reading it starts. */
async function typeNote(page, text) {
  const before = await page.evaluate(() => window.readings);
  await page.locator('#note').click();
  await page.keyboard.type(text);
  await page.waitForFunction((n) => window.readings > n, before);
}

test.describe('<chartcode-suggest>', () => {
  test.beforeEach(async ({ page }) => {
    await page.goto('/tests/pages/suggest.html');
  });

  test('a condition is suggested with its words lit; a negated one is only under Not coded', async ({ page }) => {
    const s = parts(page, 's');
    await typeNote(page, 'Type 2 diabetes. No chest pain. Mother had breast cancer.');
    await expect(s.item('E11.9')).toBeVisible();
    await expect(s.suggestedCode('E11.9')).toHaveCount(1);
    // The denied chest pain: only under Not coded, saying why.
    await expect(s.notCodedCode('R07.9')).toContainText('negated');
    await expect(s.suggestedCode('R07.9')).toHaveCount(0);
    // The mother's cancer: the family-history code, not the cancer.
    await expect(s.suggestedCode('Z80.3')).toHaveCount(1);
    await expect(s.suggestedCode('C50.')).toHaveCount(0);

    // Focusing it lights its words in the note; the note is untouched.
    const note = page.locator('#note');
    const text = await note.inputValue();
    await note.evaluate((n) => n.setSelectionRange(5, 5));
    await s.accept('E11.9').focus();
    await expect(s.mirror).toBeVisible();
    await expect(s.marks).toHaveText(['Type 2 diabetes']);
    await expect(s.item('E11.9').locator('.why')).toBeVisible();
    expect(await note.inputValue()).toBe(text);
    expect(await note.evaluate((n) => [n.selectionStart, n.selectionEnd])).toEqual([5, 5]);
    // The mirror lies over the textarea.
    const [a, b] = await Promise.all([note.boundingBox(), s.mirror.boundingBox()]);
    expect(Math.abs(a.x - b.x) + Math.abs(a.y - b.y)).toBeLessThan(2);
    expect(Math.abs(a.width - b.width) + Math.abs(a.height - b.height)).toBeLessThan(2);
  });

  test('keyboard only: Tab in, Enter accepts into the problem list once, Delete dismisses for good', async ({ page }) => {
    const s = parts(page, 's');
    await typeNote(page, 'Hypertension. Gout. Walker for home use.');
    await expect(s.item('I10')).toBeVisible();
    await expect(s.item('M10.9')).toBeVisible();
    await page.keyboard.press('Tab');
    expect(await focusedKey(page)).toMatch(/\|/);
    await arrowTo(page, 'icd10cm|M10.9');
    await page.keyboard.press('Enter');
    await expect(page.locator('#problems .chip')).toHaveCount(1);
    await expect(page.locator('#problems .chip')).toContainText('M10.9');
    await expect(s.item('M10.9')).toHaveCount(0);
    const selects = await page.evaluate(() => window.events.filter((e) => e.type === 'chartcode-select'));
    expect(selects).toHaveLength(1);
    expect(selects[0].detail.coding).toEqual({ system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'M10.9', display: 'Gout, unspecified' });
    // Focus stayed in the list. Delete dismisses.
    expect(await focusedKey(page)).toBeTruthy();
    await arrowTo(page, 'icd10cm|I10');
    await page.keyboard.press('Delete');
    await expect(s.item('I10')).toHaveCount(0);
    expect(await page.evaluate(() => window.events.filter((e) => e.type === 'chartcode-dismiss').length)).toBe(1);
    // Escape returns to the note, Tab comes back to the list.
    await page.keyboard.press('Escape');
    await expect(page.locator('#note')).toBeFocused();
    await page.keyboard.press('Tab');
    // The walker goes to the HCPCS list.
    await arrowTo(page, 'hcpcs|E0130');
    await page.keyboard.press(' ');
    await expect(page.locator('#supplies .chip')).toContainText('E0130');
    expect(await page.evaluate(() => window.events.filter((e) => e.type === 'chartcode-select').length)).toBe(2);
    // Editing the note elsewhere brings back neither the accepted nor the
    // dismissed code.
    await page.locator('#note').focus();
    await page.keyboard.press('Control+End');
    const before = await page.evaluate(() => window.readings);
    await page.keyboard.type(' Fatigue.');
    await page.waitForFunction((n) => window.readings > n, before);
    await expect(s.item('R53.83')).toBeVisible();
    await expect(s.item('M10.9')).toHaveCount(0);
    await expect(s.item('I10')).toHaveCount(0);
    // A new suggestion is announced.
    await expect(s.status).toHaveText(/1 new suggestion/);
  });

  test('the setting moves "likely CHF" between Not coded and Suggested', async ({ page }) => {
    const s = parts(page, 's');
    await typeNote(page, 'Likely CHF exacerbation.');
    await expect(s.notCodedCode('I50.9')).toContainText('uncertain');
    const before = await page.evaluate(() => window.readings);
    await page.locator('#s').evaluate((el) => (el.setting = 'inpatient'));
    await page.waitForFunction((n) => window.readings > n, before);
    await expect(s.suggestedCode('I50.9')).toHaveCount(1);
    await expect(s.notCodedCode('I50.9')).toHaveCount(0);
  });

  test('hostile text renders as text; a paste over the cap says so, and typing after it is handled', async ({ page }) => {
    const s = parts(page, 's');
    await typeNote(page, '<img src=x onerror="window.pwned=1"> hypertension <b>bold</b>');
    await expect(s.item('I10')).toBeVisible();
    await s.accept('I10').focus();
    await expect(s.marks).toHaveText(['hypertension']);
    expect(await page.locator('#s').evaluate((el) => el.shadowRoot.querySelectorAll('img, b').length)).toBe(0);
    expect(await page.evaluate(() => window.pwned)).toBeUndefined();

    // A paste of more than the engine reads: a clear message, no list.
    const before = await page.evaluate(() => window.readings);
    await page.locator('#note').evaluate((n) => {
      n.value = 'fever '.repeat(17_000);
      n.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertFromPaste' }));
    });
    await expect(s.message).toContainText('102,000 characters');
    expect(await page.evaluate(() => window.readings)).toBeGreaterThan(before);
    await expect(s.suggested).toHaveCount(0);
    // The next keystrokes are read: select all, type a short note.
    await page.locator('#note').click();
    await page.keyboard.press('Control+A');
    const again = await page.evaluate(() => window.readings);
    await page.keyboard.type('Fever.');
    await page.waitForFunction((n) => window.readings > n, again);
    await expect(s.message).toBeHidden();
    await expect(s.item('R50.9')).toBeVisible();
  });

  test('a contenteditable note is lit with the Custom Highlight API, its DOM untouched', async ({ page }) => {
    const r = parts(page, 'r');
    await expect(r.item('I10')).toBeVisible();
    const html = await page.locator('#rich').innerHTML();
    await r.accept('E11.9').focus();
    await page.waitForFunction(() => CSS.highlights.has('chartcode-evidence'));
    const lit = await page.evaluate(() => [...CSS.highlights.get('chartcode-evidence')].map((range) => range.toString()));
    expect(lit).toEqual(['type 2 diabetes']);
    expect(await page.locator('#rich').innerHTML()).toBe(html);
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => !CSS.highlights.has('chartcode-evidence'));
    // Lines written as blocks are lines: the negation stays on its own.
    const before = await page.evaluate(() => window.readings);
    await page.locator('#rich').evaluate((n) => {
      n.innerHTML = '<div>Denies chest pain</div><div>Asthma</div>';
      n.dispatchEvent(new InputEvent('input', { bubbles: true }));
    });
    await page.waitForFunction((n) => window.readings > n, before);
    await expect(r.suggestedCode('J45.909')).toHaveCount(1);
    await expect(r.notCodedCode('R07.9')).toContainText('negated');
    await r.accept('J45.909').focus();
    await page.waitForFunction(() => CSS.highlights.has('chartcode-evidence'));
    expect(await page.evaluate(() => [...CSS.highlights.get('chartcode-evidence')].map((range) => range.toString()))).toEqual(['Asthma']);
  });

  test('no request leaves the origin, no CSP violation, no axe violation, no listener left behind', async ({ page, baseURL }) => {
    const requests = [];
    page.on('request', (req) => requests.push(req.url()));
    const workers = [];
    page.on('worker', (w) => workers.push(w.url()));
    const s = parts(page, 's');
    await typeNote(page, 'Type 2 diabetes. No chest pain. Likely pneumonia.');
    await expect(s.item('E11.9')).toBeVisible();
    await s.accept('E11.9').focus();
    await expect(s.mirror).toBeVisible();
    const axe = await new AxeBuilder({ page }).analyze();
    expect(axe.violations.map((v) => `${v.id}: ${v.help} ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
    // Touch targets: 44 px at least.
    const box = await s.accept('E11.9').boundingBox();
    expect(box.height).toBeGreaterThanOrEqual(44);
    const origin = new URL(baseURL).origin;
    expect(requests.filter((u) => new URL(u).origin !== origin)).toEqual([]);
    // The note was read off the page's thread, in the one worker (the rich
    // note's element reads with the page's book: `main-thread`).
    expect(workers).toEqual([`${origin}/pkg/chartcode-suggest-worker.js`]);
    expect(await page.evaluate(() => window.violations)).toEqual([]);
    // Removed while lighting: every window listener it added is gone.
    await page.locator('#s').evaluate((el) => el.remove());
    const { added, removed } = await page.evaluate(() => window.listeners);
    expect(added).toBeGreaterThan(0);
    expect(removed).toBe(added);
  });
});

test('a page that handed its own CodeBook over reads notes with it, not in a worker', async ({ page }) => {
  const workers = [];
  page.on('worker', (w) => workers.push(w.url()));
  await page.goto('/tests/pages/suggest.html?own-book');
  const s = parts(page, 's');
  await typeNote(page, 'Hypertension.');
  await expect(s.item('I10')).toBeVisible();
  expect(workers).toEqual([]);
});

test.describe('the demo EHR page with suggestions', () => {
  test('the note suggests, the setting switch codes "likely CHF", accepted codes go to their lists', async ({ page }) => {
    await page.goto('/');
    const s = parts(page, 'suggestions');
    await expect(s.suggestedCode('E11.9')).toHaveCount(1);
    await expect(s.suggestedCode('I10')).toHaveCount(1);
    await expect(s.notCodedCode('I50.9')).toContainText('uncertain');
    // The README's picture: a suggestion focused, its words lit in the note.
    await page.setViewportSize({ width: 1200, height: 1000 });
    await s.accept('I10').focus();
    await expect(s.marks).toHaveText(['hypertension']);
    const shot = process.env.CHARTCODE_SCREENSHOT ? `${repo}docs/demo-suggest.png` : test.info().outputPath('demo-suggest.png');
    await page.locator('section[aria-labelledby="note-heading"]').screenshot({ path: shot });
    // Inpatient: the likely CHF is coded, with hypertension as I11.0.
    await page.getByRole('radio', { name: 'Inpatient' }).check();
    await expect(s.suggestedCode('I11.0')).toHaveCount(1);
    await expect(s.suggestedCode('I50.9')).toHaveCount(1);
    await expect(s.suggestedCode('I10')).toHaveCount(0);
    // Accepted codes land in the problem list and the supplies.
    await s.accept('E11.9').click();
    await expect(page.locator('#problems .chip')).toContainText('E11.9');
    await s.accept('E0130').click();
    await expect(page.locator('#supplies .chip')).toContainText('E0130');
    // The dental sample: its own setting and codes.
    await page.getByLabel('Sample note').selectOption('dental');
    await expect(page.getByRole('radio', { name: 'Dental' })).toBeChecked();
    await expect(s.suggestedCode('K0')).not.toHaveCount(0);
    await expect(s.suggestedCode('Z88.0')).toHaveCount(1);
  });
});
