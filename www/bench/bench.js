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

status.textContent = 'ready';
