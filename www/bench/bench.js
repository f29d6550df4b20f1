// Measures, in the page, what a clinician waits for: the time from init()
// to the first search result on a fresh page, and the time of each
// keystroke's search over a scripted typing session. www/bench/run.mjs
// loads this page in Chromium and collects the numbers.
const params = new URLSearchParams(location.search);
const build = params.get('build') === 'icd10cm' ? '/pkg/icd10cm/index.js' : '/pkg/index.js';
const status = document.getElementById('status');

const tImport = performance.now();
const { default: init, CodeBook } = await import(build);
const tInit = performance.now();
await init();
const tOpen = performance.now();
const book = new CodeBook();
const tSearch = performance.now();
const first = book.search('chf', { limit: 20 });
const tFirst = performance.now();
// Another query right after: what the first search paid once (the
// browser compiling the search code on first call, the pack's tables read
// on first use) is what the two differ by.
book.search('fracture of femur', { limit: 20 });
const tSecond = performance.now();

window.benchStartup = {
  crossOriginIsolated: window.crossOriginIsolated,
  importMs: tInit - tImport,
  initMs: tOpen - tInit,
  openMs: tSearch - tOpen,
  firstSearchMs: tFirst - tSearch,
  secondSearchMs: tSecond - tFirst,
  initToFirstResultMs: tFirst - tInit,
  firstHit: first[0]?.code ?? null,
};

/** Types each query letter by letter, `rounds` times; returns the
 *  milliseconds of every keystroke's search, per query. */
window.typingSession = (queries, rounds, limit) => {
  const times = Object.fromEntries(queries.map((q) => [q, []]));
  for (let r = 0; r < rounds; r++) {
    for (const q of queries) {
      for (let n = 1; n <= q.length; n++) {
        const prefix = q.slice(0, n);
        const t0 = performance.now();
        book.search(prefix, { limit });
        times[q].push(performance.now() - t0);
      }
    }
  }
  return times;
};

// The module's exports (wasm-bindgen's init returns them once the module
// is instantiated), for the size of its memory.
const core = await import(build.replace('index.js', 'chartcode_core.js'));
const exports = await core.default();
const wasmMemoryBytes = () => exports.memory.buffer.byteLength;

/** Suggests codes for each note: the first read on a fresh code book
 *  (`firstReads` books), then `rounds` reads again on one book; returns
 *  milliseconds per note, and the module's memory before and after. */
window.suggestNotes = (notes, firstReads, rounds) => {
  const out = {};
  for (const [name, text] of notes) {
    const first = [];
    for (let i = 0; i < firstReads; i++) {
      const fresh = new CodeBook();
      const t0 = performance.now();
      fresh.suggest(text);
      first.push(performance.now() - t0);
      fresh.free();
    }
    const again = [];
    let found = 0;
    for (let i = 0; i < rounds; i++) {
      const t0 = performance.now();
      found = book.suggest(text).length;
      again.push(performance.now() - t0);
    }
    out[name] = { chars: text.length, found, first, again };
  }
  return out;
};

/** Suggests `calls` times for one note; the wasm memory's size before and
 *  after (it grows, never shrinks: flat means nothing kept per call). */
window.suggestMemory = (text, calls) => {
  for (let i = 0; i < 50; i++) book.suggest(text);
  const before = wasmMemoryBytes();
  for (let i = 0; i < calls; i++) book.suggest(text);
  return { before, after: wasmMemoryBytes() };
};

status.textContent = 'ready';

/** Checks a code set `rounds` times (all public books); returns the
 *  milliseconds of the first check (it decodes the edit tables) and of
 *  each one after. */
window.checkSet = (codes, options, rounds) => {
  const fresh = new CodeBook();
  const t0 = performance.now();
  const report = fresh.check(codes, options);
  const first = performance.now() - t0;
  const again = [];
  for (let r = 0; r < rounds; r++) {
    const t = performance.now();
    fresh.check(codes, options);
    again.push(performance.now() - t);
  }
  return { first, again, findings: report.findings.length };
};
