// The suggestion test page: records every chartcode event, every CSP
// violation and the window listeners the elements add and remove, for
// www/tests/e2e/suggest.spec.js.
window.listeners = { added: 0, removed: 0 };
const add = window.addEventListener.bind(window);
const remove = window.removeEventListener.bind(window);
window.addEventListener = (type, ...rest) => {
  if (type === 'scroll' || type === 'resize') window.listeners.added++;
  return add(type, ...rest);
};
window.removeEventListener = (type, ...rest) => {
  if (type === 'scroll' || type === 'resize') window.listeners.removed++;
  return remove(type, ...rest);
};

window.events = [];
window.readings = 0;
window.violations = [];
for (const type of ['chartcode-select', 'chartcode-dismiss']) {
  document.addEventListener(type, (e) => window.events.push({ type, target: e.target.id, detail: e.detail }));
}
document.addEventListener('chartcode-suggestions', () => window.readings++);
document.addEventListener('securitypolicyviolation', (e) => window.violations.push(`${e.violatedDirective} ${e.blockedURI}`));

const picker = await import('/pkg/chartcode-picker.js');
// ?own-book: the page hands its own CodeBook over, as a page with licensed
// packs does; the suggestions must then be read with it, not in a worker.
if (new URLSearchParams(location.search).has('own-book')) {
  const module = await import('/pkg/index.js');
  await module.default();
  picker.useCodeBook(new module.CodeBook());
}
await import('/pkg/chartcode-suggest.js');
