// The picker's loading, failure and event paths, for the "while the code
// books load" tests in www/tests/e2e/picker.spec.js. The page counts the
// searches the pickers make (by wrapping CodeBook.prototype.search of the
// package's module, which only the tests do), records every chartcode event
// that reaches the document and every unhandled promise rejection, and puts
// one picker inside a shadow root.
import { CodeBook } from '/pkg/chartcode_core.js';
import { loadCodeBook, useCodeBook } from '/pkg/chartcode-picker.js';

window.searches = [];
const search = CodeBook.prototype.search;
CodeBook.prototype.search = function (query, options) {
  window.searches.push(query);
  return search.call(this, query, options);
};

window.events = [];
for (const type of ['chartcode-select', 'chartcode-clear', 'chartcode-results']) {
  // composedPath()[0]: the picker itself, also from inside a shadow root.
  document.addEventListener(type, (e) => window.events.push({ type, target: e.composedPath()[0].id, detail: e.detail }));
}
window.unhandled = [];
window.addEventListener('unhandledrejection', (e) => window.unhandled.push(String(e.reason)));

window.loadCodeBook = () => loadCodeBook().then(() => 'loaded');
window.useCodeBook = useCodeBook;

const shadow = document.getElementById('deep').attachShadow({ mode: 'open' });
const label = document.createElement('label');
label.textContent = 'In a shadow root';
label.htmlFor = 'inner';
const inner = document.createElement('chartcode-picker');
inner.id = 'inner';
inner.setAttribute('systems', 'icd10cm');
shadow.append(label, inner);
