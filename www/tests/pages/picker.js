// The picker test page: records every chartcode event and every CSP
// violation for www/tests/e2e/picker.spec.js, and shows what the form
// would submit.
import '/pkg/chartcode-picker.js';

window.events = [];
window.checks = [];
document.addEventListener('chartcode-check', (e) => window.checks.push({ target: e.target.id, detail: e.detail }));
window.violations = [];
for (const type of ['chartcode-select', 'chartcode-clear']) {
  document.addEventListener(type, (e) => window.events.push({ type, target: e.target.id, detail: e.detail }));
}
document.addEventListener('securitypolicyviolation', (e) => window.violations.push(`${e.violatedDirective} ${e.blockedURI}`));

const form = document.getElementById('form');
form.addEventListener('submit', (e) => {
  e.preventDefault();
  window.submittedData = [...new FormData(form)];
  document.getElementById('submitted').textContent = JSON.stringify(window.submittedData);
});
