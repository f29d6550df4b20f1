// Keystroke → rendered results, in the page: for each prefix of the typing
// session, the time from the input event to the picker's options being in
// the DOM, styled and laid out (a forced layout). www/bench/run.mjs drives it.
import { loadCodeBook } from '/pkg/chartcode-picker.js';

const picker = document.getElementById('picker');
await loadCodeBook();
const input = picker.shadowRoot.querySelector('input');
const listbox = picker.shadowRoot.querySelector('[role="listbox"]');
input.focus();

window.typeIntoPicker = (queries, rounds) => {
  const times = Object.fromEntries(queries.map((q) => [q, []]));
  for (let r = 0; r < rounds; r++) {
    for (const q of queries) {
      for (let n = 1; n <= q.length; n++) {
        const t0 = performance.now();
        input.value = q.slice(0, n);
        input.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
        listbox.getBoundingClientRect();
        times[q].push(performance.now() - t0);
      }
      input.value = '';
      input.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
    }
  }
  return times;
};
document.getElementById('status').textContent = 'ready';
