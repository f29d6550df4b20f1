// The built npm package (pkg/) in Node.js, through its JavaScript surface:
// what a front-end developer's code can throw at it, the README's one-liner
// run against the packed tarball, and the TypeScript declarations under
// `tsc --strict`. Run by `make test` (node --test).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
const pkg = join(repo, 'pkg');
const www = join(repo, 'www');

const { default: init, CodeBook } = await import(join(pkg, 'index.js'));
await init();
const book = new CodeBook({ today: '2026-11-27' });

/** Calls `fn`, which must throw a chartcode Error mentioning `part`, and
 *  checks that the book still answers afterwards. */
function throwsClearly(fn, part) {
  assert.throws(fn, (e) => {
    assert.ok(e instanceof Error, `not an Error: ${e}`);
    assert.match(e.message, /^chartcode: /);
    assert.ok(e.message.includes(part), `"${e.message}" lacks "${part}"`);
    return true;
  });
  assert.equal(book.search('chf', { limit: 1 })[0].code, 'I50.9', 'the book still answers');
}

test('init() is idempotent and the books are there', async () => {
  const again = init();
  assert.equal(again, init(), 'the same promise');
  await again;
  assert.deepEqual(
    book.systems().map((s) => s.id),
    ['icd10cm', 'icd10pcs', 'hcpcs', 'icd9cm', 'icd9proc'],
  );
  // Read on 2026-11-27: ICD-10-CM FY2027 is in force.
  assert.equal(book.systems()[0].counts.billable, 74879);
});

test('answers are plain JSON-like objects with FHIR codings', () => {
  const [hit] = book.search('type 2 diabetes without complications', { systems: 'icd10cm', limit: 1 });
  assert.deepEqual(hit.coding, {
    system: 'http://hl7.org/fhir/sid/icd-10-cm',
    code: 'E11.9',
    display: 'Type 2 diabetes mellitus without complications',
  });
  assert.equal(Object.getPrototypeOf(hit), Object.prototype);
  assert.ok(Array.isArray(hit.highlights) && Array.isArray(hit.highlights[0]));
  assert.deepEqual(JSON.parse(JSON.stringify(hit)), hit);
  const record = book.lookup('S72.001');
  assert.equal(record.seventhCharacters.length, 16);
  assert.equal(record.parent, 'S72.00');
  assert.equal(book.lookup('Q99.99'), null);
  assert.equal(book.lookup('250.00').crosswalk.targets[0].code, 'E11.9');
  assert.equal(book.validate('A4397', 'hcpcs').valid, false);
  assert.deepEqual(
    book.children('0DTJ', 'icd10pcs').map((c) => c.code),
    ['0DTJ0', '0DTJ4', '0DTJ7', '0DTJ8'],
  );
});

test('a setting chooses the coder\'s default 7th character', () => {
  const first = (setting) =>
    book.search('nasal fracture', { systems: 'icd10cm', billableOnly: true, limit: 1, setting })[0].code;
  assert.equal(first(undefined), 'S02.2XXA', 'initial encounter by default');
  assert.equal(first('outpatient'), 'S02.2XXA');
  assert.equal(first('snf'), 'S02.2XXD', 'subsequent encounter in a skilled nursing facility');
  throwsClearly(() => first('nursing home'), 'options.setting "nursing home" is not a setting');
  throwsClearly(() => first(3), 'options.setting must be one of outpatient, inpatient, snf, dental');
});

test('wrong types, unknown options and systems throw clear errors', () => {
  throwsClearly(() => book.search(), 'query must be a string, got undefined');
  throwsClearly(() => book.search(Symbol('chf')), 'query must be a string');
  throwsClearly(() => book.search(10n), 'query must be a string');
  throwsClearly(() => book.search(() => 'chf'), 'query must be a string, got a function');
  throwsClearly(() => book.search(new String('chf')), 'query must be a string, got an object');
  throwsClearly(() => book.search('chf', { limit: -1 }), 'options.limit must be a whole number');
  throwsClearly(() => book.search('chf', { limit: '5' }), 'options.limit must be a number');
  throwsClearly(() => book.search('chf', { limit: Infinity }), 'options.limit');
  throwsClearly(() => book.search('chf', { billable: true }), 'unknown option "billable"');
  throwsClearly(() => book.search('chf', { systems: ['icd10cm', 7] }), 'options.systems[1] must be a string');
  throwsClearly(() => book.search('chf', { systems: 'snomed' }), 'unknown code system "snomed"');
  throwsClearly(() => book.search('chf', []), 'options must be an object, got an array');
  throwsClearly(() => book.lookup(undefined), 'code must be a string');
  throwsClearly(() => book.lookup('E11.9', 42), 'system must be a string');
  throwsClearly(() => book.validate('E11.9'), 'system must be a string');
  throwsClearly(() => book.map('250.00', 'icd11'), 'unknown code system "icd11"');
  throwsClearly(() => book.setToday('next week'), 'YYYY-MM-DD');
  assert.throws(() => new CodeBook(42), /^Error: chartcode: new CodeBook\(\): options must be an object/);
  assert.throws(() => new CodeBook({ packs: [new Uint8Array(100)] }), /options\.packs\[0\]/);
});

test('hostile objects and huge strings do not break the module', () => {
  const throwingGetter = Object.defineProperty({}, 'limit', {
    enumerable: true,
    get() {
      throw new Error('boom');
    },
  });
  // A getter that throws reads as missing: the default limit applies.
  assert.equal(book.search('chf', throwingGetter).length, 20);
  const proxy = new Proxy({}, { ownKeys: () => ['systems'], getOwnPropertyDescriptor: () => ({ enumerable: true, configurable: true, value: 'icd10cm' }), get: (_, key) => (key === 'systems' ? 'icd10cm' : undefined) });
  assert.ok(book.search('chf', proxy).every((h) => h.system === 'icd10cm'));
  const huge = 'heart failure '.repeat(400_000); // 5.6 million characters
  throwsClearly(() => book.search(huge), 'at most 10000 are accepted');
  throwsClearly(() => book.lookup(huge), 'at most 200 are accepted');
  throwsClearly(() => book.search('\uD800chf'), 'lone UTF-16 surrogate');
  for (const odd of ['', ' ', '\u0000', '😀', 'שלום', '\u202Echf', 'ｃｈｆ', '%'.repeat(10_000)]) {
    assert.ok(Array.isArray(book.search(odd)), JSON.stringify(odd));
  }
});

test('a freed book throws instead of trapping, and other books go on', () => {
  const doomed = new CodeBook();
  doomed.free();
  assert.throws(() => doomed.search('chf'), Error);
  assert.equal(book.search('htn', { limit: 1 })[0].code, 'I10');
  const second = new CodeBook({ today: '2021-06-01' });
  assert.equal(second.lookup('A4397').billable, true, 'judged on its own day');
  assert.equal(book.lookup('A4397').billable, false);
  second.free();
});

test('the date of service chooses the ICD-10-CM release', () => {
  const september = new CodeBook({ today: '2026-09-30' });
  const october = new CodeBook({ today: new Date(2026, 9, 1) });
  try {
    const before = september.lookup('S23.420A');
    assert.equal(before.found, true);
    assert.equal(before.billable, true);
    assert.equal(before.release, 'FY2026 (April 1, 2026 update)');
    assert.equal(october.lookup('S23.420A'), null);
    const after = october.validate('S23.420A', 'icd10cm');
    assert.equal(after.valid, false);
    assert.match(after.reason, /deleted in FY2027/);
    assert.equal(september.validate('S23.420A', 'icd10cm').valid, true);
    assert.equal(october.lookup('I42.00').notesFrom, 'ancestors');
    const cm = october.systems().find((s) => s.id === 'icd10cm');
    assert.deepEqual(cm.releases.map((r) => [r.label, r.inForce]), [['FY2026 (April 1, 2026 update)', false], ['FY2027 (derived)', true]]);
  } finally {
    september.free();
    october.free();
  }
});

test('the README one-liner runs against the packed package', () => {
  const readme = readFileSync(join(repo, 'README.md'), 'utf8');
  const line = readme.split('\n').find((l) => l.startsWith('node --input-type=module -e "import init'));
  assert.ok(line, 'README.md has the node one-liner');
  const dir = mkdtempSync(join(tmpdir(), 'chartcode-npm-'));
  try {
    const tarball = execFileSync('npm', ['pack', pkg, '--silent', '--pack-destination', dir], { encoding: 'utf8' }).trim().split('\n').pop();
    writeFileSync(join(dir, 'package.json'), '{ "name": "app", "private": true }\n');
    execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund', '--silent', join(dir, tarball)], { cwd: dir });
    const out = execFileSync('bash', ['-c', line], { cwd: dir, encoding: 'utf8' });
    assert.match(out, /^I50\.9 Heart failure, unspecified \{"system":"http:\/\/hl7\.org\/fhir\/sid\/icd-10-cm","code":"I50\.9"/);
    assert.equal(out.trim().split('\n').length, 3);
    // Only what "files" lists went in: no raw .wasm, no build leftovers.
    const listed = execFileSync('tar', ['-tzf', join(dir, tarball)], { encoding: 'utf8' });
    assert.ok(!listed.includes('.wasm'), listed);
    assert.ok(listed.includes('package/icd10cm/chartcode_wasm.js'), listed);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the TypeScript declarations pass tsc --strict', () => {
  execFileSync(join(www, 'node_modules/.bin/tsc'), ['-p', join(www, 'tests/types/tsconfig.json')], { encoding: 'utf8' });
});
