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

await import('/pkg/chartcode-picker.js');
await import('/pkg/chartcode-suggest.js');
