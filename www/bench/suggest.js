// Measures <chartcode-suggest> in the page (www/bench/run.mjs drives it):
// what a clinician waits for after a pause in typing, and after a paste.
// Each reading reports what it cost the page's thread (engine, then the
// list) in the chartcode-suggestions event.
import { loadCodeBook } from '/pkg/icd10cm/chartcode-picker.js';
import '/pkg/icd10cm/chartcode-suggest.js';

const note = document.getElementById('note');
const suggest = document.getElementById('s');
let last = null;
suggest.addEventListener('chartcode-suggestions', (e) => (last = e.detail));
await loadCodeBook();

/** One reading of `text`, as after the pause: { totalMs, engineMs, renderMs }. */
async function reading(text) {
  note.value = text;
  last = null;
  const t0 = performance.now();
  await suggest.refresh();
  const totalMs = performance.now() - t0;
  return { totalMs, engineMs: last?.engineMs ?? NaN, renderMs: last?.renderMs ?? NaN };
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
