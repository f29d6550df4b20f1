// The browser bench (`make bench-wasm`): the sizes of both wasm builds and,
// in Debian's Chromium, init-to-first-result, per-keystroke search
// latency over the typing session of benches/typing-session.txt, and
// suggestion from the notes of benches/notes/. Prints a
// markdown table for docs/PERFORMANCE.md. A benchmark, not a test: nothing
// here fails on a slow number.
import { chromium } from '@playwright/test';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';
import { startServer } from '../serve.mjs';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const COLD_LOADS = 10;
const ROUNDS = 50;
const LIMIT = 20;

// The synthetic notes of benches/notes/, shortest first.
const notes = readdirSync(join(repo, 'benches/notes'))
  .filter((f) => f.endsWith('.txt'))
  .map((f) => [f, readFileSync(join(repo, 'benches/notes', f), 'utf8')])
  .sort((a, b) => a[1].length - b[1].length);
const SUGGEST_FIRST_READS = 5;
const SUGGEST_ROUNDS = 50;
const MEMORY_CALLS = 2_000;

// The 30-code inpatient claim of benches/common.rs, for check().
const CHECK_SET = readFileSync(join(repo, 'benches/common.rs'), 'utf8')
  .match(/CHECK_SET: \[&str; 30\] = \[([^\]]*)\]/)[1]
  .match(/"[^"]+"/g)
  .map((c) => c.slice(1, -1));
const CHECK_ROUNDS = 200;
let checked = null;

const queries = readFileSync(join(repo, 'benches/typing-session.txt'), 'utf8')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith('#'));

const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
const median = (xs) => quantile([...xs].sort((a, b) => a - b), 0.5);
const ms = (x) => x.toFixed(x < 1 ? 3 : 1);
const kb = (n) => n.toLocaleString('en-US');

function sizes(file) {
  const bytes = readFileSync(file);
  const gzip = gzipSync(bytes, { level: 9 }).length;
  const brotli = brotliCompressSync(bytes, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_LGWIN]: 24 },
  }).length;
  return { raw: bytes.length, gzip, brotli };
}

const BUILDS = [
  { name: 'all public books', query: 'all', dir: 'pkg' },
  { name: 'ICD-10-CM only', query: 'icd10cm', dir: 'pkg/icd10cm' },
];

console.log('## Size of the wasm builds\n');
console.log('| build | file | raw bytes | gzip -9 | brotli 11 |');
console.log('|---|---|---:|---:|---:|');
for (const b of BUILDS) {
  for (const [file, what] of [
    ['chartcode_core_bg.wasm', '`.wasm` (after wasm-opt)'],
    ['chartcode_wasm.js', 'delivered: the `.wasm` inlined (gzip + base64)'],
    ['chartcode_core.js', 'JS glue (wasm-bindgen)'],
  ]) {
    const s = sizes(join(repo, b.dir, file));
    console.log(`| ${b.name} | ${what} | ${kb(s.raw)} | ${kb(s.gzip)} | ${kb(s.brotli)} |`);
  }
}

const server = await startServer({ port: 0, quiet: true });
const base = `http://127.0.0.1:${server.address().port}`;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
    '--disable-component-update', '--no-first-run', '--disable-sync'],
});
const version = browser.version();

const startup = [];
const typing = [];
let suggested = null;
let memory = null;
const PICKER_ROUNDS = 20;
for (const b of BUILDS) {
  const loads = [];
  for (let i = 0; i < COLD_LOADS; i++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${base}/bench/index.html?build=${b.query}`);
    await page.waitForFunction(() => window.benchStartup, null, { timeout: 60_000 });
    loads.push(await page.evaluate(() => window.benchStartup));
    if (i === COLD_LOADS - 1) {
      const times = await page.evaluate(([q, r, l]) => window.typingSession(q, r, l), [queries, ROUNDS, LIMIT]);
      typing.push({ build: b, times });
      if (b.query === 'all') {
        const options = { age: 72, sex: 'F', setting: 'inpatient', today: '2026-11-27' };
        checked = await page.evaluate(([c, o, r]) => window.checkSet(c, o, r), [CHECK_SET, options, CHECK_ROUNDS]);
      }
      if (b.query === 'icd10cm') {
        suggested = await page.evaluate(([n, f, r]) => window.suggestNotes(n, f, r), [notes, SUGGEST_FIRST_READS, SUGGEST_ROUNDS]);
        const shortest = notes[0][1];
        memory = await page.evaluate(([t, c]) => window.suggestMemory(t, c), [shortest, MEMORY_CALLS]);
      }
    }
    await context.close();
  }
  if (!loads[0].crossOriginIsolated) console.error('warning: page not cross-origin isolated; timer resolution is 100 µs');
  startup.push({ build: b, loads });
}
// The picker: keystroke to rendered results (all public books, no filter).
const pickerPage = await (await browser.newContext({ viewport: { width: 1200, height: 900 } })).newPage();
await pickerPage.goto(`${base}/bench/picker.html`);
await pickerPage.waitForFunction(() => window.typeIntoPicker, null, { timeout: 60_000 });
const rendered = await pickerPage.evaluate(([q, r]) => window.typeIntoPicker(q, r), [queries, PICKER_ROUNDS]);
// <chartcode-suggest>: a long note's first reading (what blocks the page's
// thread), a 2,000-character paste, and a note typed on, each read as after
// the pause (ICD-10-CM only build).
const suggestPage = await (await browser.newContext({ viewport: { width: 1200, height: 900 } })).newPage();
await suggestPage.goto(`${base}/bench/suggest.html`);
await suggestPage.waitForFunction(() => window.benchSuggest, null, { timeout: 60_000 });
const byName = Object.fromEntries(notes);
const longNote = byName['discharge-summary.txt'];
const clinicNote = byName['clinic-visit.txt'];
const element = {
  longFirst: await suggestPage.evaluate((t) => window.benchOnce(t), longNote),
  longAgain: await suggestPage.evaluate((t) => window.benchOnce(t), longNote),
  pasteFirst: await suggestPage.evaluate((t) => window.benchOnce(t), clinicNote),
  ...(await suggestPage.evaluate(([t, k, p, r]) => window.benchSuggest(t, k, p, r), [clinicNote, 40, clinicNote, 20])),
};
await browser.close();
server.close();

console.log(`\n## Start-up in Chromium (median of ${COLD_LOADS} fresh pages)\n`);
console.log('| build | import the modules | `init()` | `new CodeBook()` | first search | **`init()` → first result** | then another search |');
console.log('|---|---:|---:|---:|---:|---:|---:|');
for (const { build, loads } of startup) {
  const m = (k) => ms(median(loads.map((l) => l[k])));
  console.log(`| ${build.name} | ${m('importMs')} ms | ${m('initMs')} ms | ${m('openMs')} ms | ${m('firstSearchMs')} ms | **${m('initToFirstResultMs')} ms** | ${m('secondSearchMs')} ms |`);
}

/** A markdown table of per-keystroke times: per query and over all. */
function latencyTable(times) {
  console.log('| query | keystrokes | p50 ms | p99 ms | max ms |');
  console.log('|---|---:|---:|---:|---:|');
  const all = [];
  for (const q of queries) {
    const t = [...times[q]].sort((a, b) => a - b);
    all.push(...t);
    console.log(`| \`${q}\` | ${q.length} | ${ms(quantile(t, 0.5))} | ${ms(quantile(t, 0.99))} | ${ms(t[t.length - 1])} |`);
  }
  all.sort((a, b) => a - b);
  const keystrokes = queries.reduce((n, q) => n + q.length, 0);
  console.log(`| **all keystrokes** | ${keystrokes} | **${ms(quantile(all, 0.5))}** | **${ms(quantile(all, 0.99))}** | ${ms(all[all.length - 1])} |`);
}

for (const { build, times } of typing) {
  console.log(`\n## Search per keystroke in Chromium, ${build.name} (${ROUNDS} rounds, limit ${LIMIT})\n`);
  latencyTable(times);
}
console.log(`\n## \`<chartcode-picker>\`: keystroke to rendered results in Chromium (all public books, ${PICKER_ROUNDS} rounds)\n`);
console.log('From the input event to the options in the DOM, styled and laid out (search, 20 options built with');
console.log('their highlights, the detail view cleared, a forced layout); painting follows in the same frame.\n');
latencyTable(rendered);
if (checked) {
  console.log(`\n## \`check()\` in Chromium, all public books (${CHECK_ROUNDS} rounds)\n`);
  console.log('| code set | findings | first check ms | again p50 ms | again p99 ms |');
  console.log('|---|---:|---:|---:|---:|');
  const again = [...checked.again].sort((a, b) => a - b);
  console.log(`| ${CHECK_SET.length} codes, inpatient, age and sex | ${checked.findings} | ${ms(checked.first)} | ${ms(quantile(again, 0.5))} | ${ms(quantile(again, 0.99))} |`);
}
if (suggested) {
  console.log(`\n## Suggestion from a note in Chromium, ICD-10-CM only\n`);
  console.log(`First read: a fresh \`CodeBook\`'s first suggestion for the note (median of ${SUGGEST_FIRST_READS}). Again: the same note`);
  console.log(`once more on one book (${SUGGEST_ROUNDS} rounds), as when the clinician types on. Timer resolution: see above.\n`);
  console.log('| note | characters | suggestions | first read p50 ms | again p50 ms | again p99 ms |');
  console.log('|---|---:|---:|---:|---:|---:|');
  for (const [name, r] of Object.entries(suggested)) {
    const again = [...r.again].sort((a, b) => a - b);
    console.log(`| \`${name}\` | ${r.chars} | ${r.found} | ${ms(median(r.first))} | ${ms(quantile(again, 0.5))} | ${ms(quantile(again, 0.99))} |`);
  }
  console.log(`\nThe module's memory across ${MEMORY_CALLS} suggestions of \`${notes[0][0]}\`: ${kb(memory.before)} bytes before, ${kb(memory.after)} after.`);
}
console.log('\n## `<chartcode-suggest>` in Chromium, ICD-10-CM only\n');
console.log('From the reading after the pause to the list updated: the engine (in the worker), then the list (on the');
console.log('page\'s thread); "held" is the longest task over 50 ms on the page\'s thread during the reading (0: none).\n');
console.log('| what | readings | total p50 ms | total p99 ms | engine p50 ms | list p50 ms | list p99 ms | held max ms |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
const row = (what, rs) => {
  const q = (k, p) => ms(quantile(rs.map((r) => r[k]).sort((a, b) => a - b), p));
  const held = ms(Math.max(...rs.map((r) => r.blockedMs)));
  console.log(`| ${what} | ${rs.length} | ${q('totalMs', 0.5)} | ${q('totalMs', 0.99)} | ${q('engineMs', 0.5)} | ${q('renderMs', 0.5)} | ${q('renderMs', 0.99)} | ${held} |`);
};
row('10,000-character note, first reading', [element.longFirst]);
row('10,000-character note, read again', [element.longAgain]);
row('2,000-character paste, first reading', [element.pasteFirst]);
row('2,000-character paste, again (emptied, pasted)', element.pastes);
row('a keystroke on a 2,000-character note', element.typing);
console.log(`\nChromium ${version}, headless; ${new Date().toISOString().slice(0, 10)}.`);
