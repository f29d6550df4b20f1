// Loads the built package under the server's strict CSP (connect-src
// 'none'), searches, and reports what happened in the page for the browser
// test (www/tests/e2e/wasm.spec.js) to read. ?build=icd10cm loads the
// ICD-10-CM-only build; ?bundle=1 the esbuild bundle of the package.
const violations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  violations.push(`${e.violatedDirective} ${e.blockedURI}`);
  document.getElementById('violations').textContent = violations.join('\n');
});

const params = new URLSearchParams(location.search);
const build = params.get('build') === 'icd10cm' ? '/pkg/icd10cm/index.js' : '/pkg/index.js';
const entry = params.get('bundle') ? '/tests/dist/bundle.js' : build;
const status = document.getElementById('status');

try {
  const t0 = performance.now();
  const { default: init, CodeBook } = await import(entry);
  await init();
  const book = new CodeBook({ today: '2026-11-27' });
  const hits = book.search('chf', { limit: 5 });
  const elapsed = performance.now() - t0;
  for (const hit of hits) {
    const li = document.createElement('li');
    li.textContent = `${hit.code} ${hit.title} ${hit.coding.system}`;
    document.getElementById('hits').append(li);
  }
  window.chartcodeResult = {
    systems: book.systems().map((s) => s.id),
    hits: hits.map((h) => ({ code: h.code, coding: h.coding })),
    lookup: book.lookup('E11.9')?.title ?? null,
    elapsed,
    violations,
  };
  status.textContent = 'ready';
} catch (e) {
  window.chartcodeResult = { error: String(e), violations };
  status.textContent = `failed: ${e}`;
}
