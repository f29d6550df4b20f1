// Measures <chartcode-suggest> in the page (www/bench/run.mjs drives it):
// what a clinician waits for after a pause in typing, and after a paste.
// Each reading reports what it cost the page's thread (engine, then the
// list) in the chartcode-suggestions event.
import { loadCodeBook } from '/pkg/icd10cm/chartcode-picker.js';
import '/pkg/icd10cm/chartcode-suggest.js';

const note = document.getElementById('note');
const suggest = document.getElementById('s');
let last = null;
// The page's thread held longer than 50 ms (Long Tasks API), during a reading.
let longest = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) longest = Math.max(longest, entry.duration);
}).observe({ type: 'longtask', buffered: false });
suggest.addEventListener('chartcode-suggestions', (e) => (last = e.detail));
await loadCodeBook();

/** One reading of `text`, as after the pause: { totalMs, engineMs, renderMs }. */
async function reading(text) {
  note.value = text;
  last = null;
  longest = 0;
  const t0 = performance.now();
  await suggest.refresh();
  const totalMs = performance.now() - t0;
  // Long tasks are reported after they end: let the observer run.
  await new Promise((resolve) => setTimeout(resolve, 0));
  return { totalMs, engineMs: last?.engineMs ?? NaN, renderMs: last?.renderMs ?? NaN, blockedMs: longest };
}

/** A note typed on: `keystrokes` letters appended one at a time, each read
 *  (the reading after the pause); then a paste of `paste` into an empty
 *  note, `rounds` times. */
window.benchSuggest = async (text, keystrokes, paste, rounds) => {
  const typing = [];
  await reading(text);
  let typed = text;
  for (let i = 0; i < keystrokes; i++) {
    typed += ' fever cough'[i % 12];
    typing.push(await reading(typed));
  }
  const pastes = [];
  for (let i = 0; i < rounds; i++) {
    await reading('');
    pastes.push(await reading(paste));
  }
  return { typing, pastes };
};

/** One reading of `text` (the first of a note on this page reads it cold). */
window.benchOnce = (text) => reading(text);

document.getElementById('status').textContent = 'ready';
