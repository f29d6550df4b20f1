// Random arguments for every CodeBook method of the built package (pkg/):
// whatever a page passes, each call returns or throws an Error whose message
// starts with "chartcode:", and the book keeps answering lookup('E11.9').
//
// Deterministic: the values come from a seeded generator. The seed is
// printed with any failure, with the failing call written out as
// JavaScript; run again with it (or another) by
//
//   CHARTCODE_ARGS_SEED=12345 node --test tests/node/arguments.test.mjs
//
// Hostile values (a Proxy whose traps throw, a revoked Proxy, a Date whose
// own methods throw) run the caller's code inside a call; that exception
// must come back as a "chartcode:" Error too, with the book unharmed
// (src/wasm/args.rs reads every argument through catching calls).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
const pkgIndex = join(repo, 'pkg', 'index.js');
const { default: init, CodeBook } = await import(pkgIndex);
await init();

const SEED = Number(process.env.CHARTCODE_ARGS_SEED ?? 20261127) >>> 0;
const CALLS = 4000;
const E119 = 'Type 2 diabetes mellitus without complications';
const TRAP = 'arguments.test: trap'; // what every hostile trap here throws

/** mulberry32: small, fast, and the same sequence for the same seed. */
function generator(seed) {
  let a = seed;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n) => Math.floor(next() * n);
  const pick = (list) => list[int(list.length)];
  return { next, int, pick, chance: (p) => next() < p };
}

// A generated argument: its value, the JavaScript that makes it (for the
// failure message), and whether it is hostile (throws from inside a call).
const arg = (value, src, hostile = false) => ({ value, src, hostile });

const throwing = () => {
  throw new Error(TRAP);
};
const throwingHandler = new Proxy({}, { get: () => throwing });

const STRINGS = [
  '', ' ', 'E11.9', 'e119', 'E11', 'E11.', 'I10', 'S72.001', 'S72.001A', 'S72.001Z', '0DTJ', '0DTJ0ZZ', '250.00', '428.0',
  'A4397', 'J1940', 'Q99.99', 'chf', 'heart failure', 'dm2 ckd', 'diabetes e11', 'icd10cm', 'icd10pcs', 'hcpcs', 'icd9cm',
  'icd9proc', 'cpt', 'cdt', 'ICD-10-CM', 'icd10cm hcpcs', 'icd10cm,hcpcs', 'snomed', 'E08-E13', 'A00-B99', '2026-11-27',
  '2021-06-01', '2026-02-30', '0000-00-00', '9999-12-31', '2026-13-01', '\u0000', '😀', 'שלום', '\u202Echf', 'ｃｈｆ', '%',
  '__proto__', 'constructor', 'toString', 'limit', '-', '.', '*', '\\', '"', '\n\t', 'E11.9 ', ' E11.9',
];
const LONE = ['\uD800', '\uDFFF', 'chf\uD83D', '\uDE00chf', 'E11.9\uDBFF', 'a\uD800b'];
const NUMBERS = [0, -0, 1, -1, 0.5, 2, 20, 200, 1000, 1001, 2 ** 31, 2 ** 32, 2 ** 53, -(2 ** 53), Number.MAX_VALUE, Number.MIN_VALUE, NaN, Infinity, -Infinity, Number.EPSILON];
// Made once: copying megabytes thousands of times would only slow the run.
const HUGE = {
  "'x'.repeat(201)": 'x'.repeat(201),
  "'e'.repeat(10_000)": 'e'.repeat(10_000),
  "'heart '.repeat(1667)": 'heart '.repeat(1667),
  "'chf '.repeat(250_000)": 'chf '.repeat(250_000),
  "'\\uD800'.repeat(20_000)": '\uD800'.repeat(20_000),
};

function values(r) {
  /** A string: known codes and words, random text, lone surrogates, huge. */
  function string() {
    const roll = r.next();
    if (roll < 0.65) {
      const s = r.pick(STRINGS);
      return arg(s, JSON.stringify(s));
    }
    if (roll < 0.88) {
      // Whole characters only (lone surrogates come from LONE).
      const alphabet = [...'abcdefghijklmnopqrstuvwxyzE0123456789.- ,\u00e9\u4e2d😀\u{10000}'];
      let s = '';
      for (let n = r.int(40); n > 0; n--) s += alphabet[r.int(alphabet.length)];
      return arg(s, JSON.stringify(s));
    }
    if (roll < 0.95) {
      const s = r.pick(LONE);
      return arg(s, JSON.stringify(s));
    }
    const src = r.pick(Object.keys(HUGE));
    return arg(HUGE[src], src);
  }

  function number() {
    if (r.chance(0.7)) {
      const n = r.pick(NUMBERS);
      return arg(n, Object.is(n, -0) ? '-0' : String(n));
    }
    const n = r.int(3000) - 500;
    return arg(n, String(n));
  }

  /** Plain data of any JS type, objects and arrays `depth` deep. */
  function any(depth = 2) {
    const roll = r.int(depth > 0 ? 21 : 14);
    switch (roll) {
      case 0: return arg(undefined, 'undefined');
      case 1: return arg(null, 'null');
      case 2: return r.chance(0.5) ? arg(true, 'true') : arg(false, 'false');
      case 3: case 4: return number();
      case 5: case 6: case 7: return string();
      case 8: return r.chance(0.5) ? arg(Symbol('chf'), "Symbol('chf')") : arg(Symbol.iterator, 'Symbol.iterator');
      case 9: return r.pick([arg(0n, '0n'), arg(10n, '10n'), arg(-(2n ** 64n), '-(2n ** 64n)')]);
      case 10: return r.pick([arg(() => 'chf', "() => 'chf'"), arg(class {}, 'class {}'), arg(Math.max, 'Math.max')]);
      case 11: return r.pick([
        arg(new Date('2026-11-27T12:00:00Z'), "new Date('2026-11-27T12:00:00Z')"),
        arg(new Date(NaN), 'new Date(NaN)'),
        arg(new Date(8.64e15), 'new Date(8.64e15)'),
        arg(new Date(-8.64e15), 'new Date(-8.64e15)'),
      ]);
      case 12: {
        const bytes = Uint8Array.from({ length: r.int(64) }, () => r.int(256));
        return arg(bytes, `Uint8Array.from(${JSON.stringify([...bytes])})`);
      }
      case 13: return r.pick([
        arg(new String('chf'), "new String('chf')"),
        arg(new Number(5), 'new Number(5)'),
        arg(Object.create(null), 'Object.create(null)'),
        arg({ toString: () => 'E11.9', valueOf: throwing }, "{ toString: () => 'E11.9', valueOf: throwing }"),
        arg({ [Symbol.toPrimitive]: throwing }, '{ [Symbol.toPrimitive]: throwing }'),
        arg(new ArrayBuffer(8), 'new ArrayBuffer(8)'),
        arg(new Map([['limit', 1]]), "new Map([['limit', 1]])"),
      ]);
      case 14: case 15: case 16: {
        const items = Array.from({ length: r.int(4) }, () => any(depth - 1));
        return arg(items.map((i) => i.value), `[${items.map((i) => i.src).join(', ')}]`, items.some((i) => i.hostile));
      }
      case 17: return r.pick([
        arg(new Array(5), 'new Array(5)'),
        arg(Array.from({ length: 65 }, () => 'icd10cm'), "Array.from({ length: 65 }, () => 'icd10cm')"),
        arg(Object.defineProperty(['icd10cm'], 1, { get: () => 'hcpcs', enumerable: true }), "Object.defineProperty(['icd10cm'], 1, { get: () => 'hcpcs', enumerable: true })"),
      ]);
      case 18: case 19: return object(depth - 1, r.pick([SEARCH_KEYS, BOOK_KEYS, ['x', 'billable', '']]));
      default: return proxy(depth - 1);
    }
  }

  /** An object with some of `keys` (and now and then an unknown one). */
  function object(depth, keys) {
    const out = {};
    const src = [];
    let bad = false;
    for (const key of keys) {
      if (!r.chance(0.4)) continue;
      if (r.chance(0.1)) {
        // A getter that throws reads as missing (Reflect.get is caught).
        Object.defineProperty(out, key, { get: throwing, enumerable: true });
        src.push(`get ${key}() { throwing(); }`);
        continue;
      }
      const v = optionValue(key, depth);
      out[key] = v.value;
      src.push(`${key}: ${v.src}`);
      bad ||= v.hostile;
    }
    if (r.chance(0.05) && !Object.hasOwn(out, 'billable')) {
      out.billable = true;
      src.push('billable: true');
    }
    return arg(out, `{ ${src.join(', ')} }`, bad);
  }

  /** A value for an option: mostly of the right type, sometimes anything. */
  function optionValue(key, depth) {
    if (r.chance(0.15)) return any(depth);
    switch (key) {
      case 'limit': return number();
      case 'billableOnly': return r.chance(0.5) ? arg(true, 'true') : arg(false, 'false');
      case 'systems': case 'within': return r.chance(0.5) ? string() : any(depth);
      case 'today': return r.chance(0.5) ? string() : any(0);
      case 'packs': return arg([new Uint8Array(r.int(16))], 'new Uint8Array(n)');
      default: return any(depth);
    }
  }

  /** A Proxy that behaves: it forwards to a plain object. */
  function proxy(depth) {
    const inner = object(depth, r.pick([SEARCH_KEYS, BOOK_KEYS]));
    return arg(new Proxy(inner.value, {}), `new Proxy(${inner.src}, {})`, inner.hostile);
  }

  /** A value that runs the caller's code, throwing, from inside a call. */
  function hostile() {
    const { proxy: revoked, revoke } = Proxy.revocable({}, {});
    revoke();
    const brokenDate = new Date('2026-11-27');
    Object.defineProperty(brokenDate, 'getTime', { value: throwing });
    // A view whose own `length` lies or throws: its bytes are read through
    // a copy, never through it.
    const lyingPack = new Uint8Array(8);
    Object.defineProperty(lyingPack, 'length', { get: throwing });
    const hugePack = new Uint8Array(8);
    Object.defineProperty(hugePack, 'length', { get: () => 2 ** 31 });
    return r.pick([
      arg({ packs: [lyingPack] }, "{ packs: [Object.defineProperty(new Uint8Array(8), 'length', { get: throwing })] }", true),
      arg({ packs: [hugePack] }, "{ packs: [Object.defineProperty(new Uint8Array(8), 'length', { get: () => 2 ** 31 })] }", true),
      arg(new Proxy({}, throwingHandler), 'new Proxy({}, throwingHandler)', true),
      arg(new Proxy({ limit: 1 }, { ownKeys: throwing }), 'new Proxy({ limit: 1 }, { ownKeys: throwing })', true),
      arg(new Proxy(['icd10cm'], { get: throwing }), "new Proxy(['icd10cm'], { get: throwing })", true),
      arg(revoked, '(() => { const { proxy, revoke } = Proxy.revocable({}, {}); revoke(); return proxy; })()', true),
      arg(new Proxy(new Date(), {}), 'new Proxy(new Date(), {})', true),
      arg(brokenDate, "Object.defineProperty(new Date('2026-11-27'), 'getTime', { value: throwing })", true),
      arg({ systems: new Proxy(['icd10cm'], { get: throwing }) }, "{ systems: new Proxy(['icd10cm'], { get: throwing }) }", true),
      arg({ today: new Proxy(new Date(), {}) }, '{ today: new Proxy(new Date(), {}) }', true),
    ]);
  }

  return { any, string, number, object, hostile };
}

const SEARCH_KEYS = ['systems', 'limit', 'billableOnly', 'within'];
const BOOK_KEYS = ['today', 'packs'];

/** What each method is called with: its parameters' likely shapes. */
function callsFor(v, r) {
  const code = () => (r.chance(0.8) ? v.string() : v.any());
  const SYSTEMS = [undefined, 'icd10cm', 'icd10pcs', 'hcpcs', 'icd9cm', 'icd9proc', 'ICD-10-CM'];
  const system = () => {
    if (r.chance(0.5)) {
      const s = r.pick(SYSTEMS);
      return arg(s, JSON.stringify(s) ?? 'undefined');
    }
    return r.chance(0.6) ? v.string() : v.any();
  };
  const DATES = ['2026-11-27', '2021-06-01', '2015-10-01', '1999-01-01'];
  const options = (keys) => (r.chance(0.7) ? v.object(2, keys) : v.any());
  return {
    search: () => [r.chance(0.8) ? v.string() : v.any(), options(SEARCH_KEYS)],
    lookup: () => [code(), system()],
    children: () => [code(), system()],
    validate: () => [code(), system()],
    map: () => [code(), system()],
    systems: () => [],
    setToday: () => [r.chance(0.4) ? ((d) => arg(d, JSON.stringify(d)))(r.pick(DATES)) : r.chance(0.5) ? v.string() : v.any(1)],
    constructor: () => [options(BOOK_KEYS)],
  };
}

/** How a thrown value reads in a failure message. */
function thrownText(e) {
  return e instanceof Error ? `${e.constructor.name}: ${e.message.slice(0, 300)}` : `a non-Error ${typeof e}: ${String(e).slice(0, 300)}`;
}

/** The checks on what a method returned. */
const RETURNS = {
  search: (x) => Array.isArray(x) && x.every((h) => typeof h.code === 'string' && typeof h.score === 'number'),
  lookup: (x) => x === null || (typeof x.code === 'string' && x.found === true),
  children: (x) => x === null || (Array.isArray(x) && x.every((e) => typeof e.code === 'string')),
  validate: (x) => typeof x?.valid === 'boolean',
  map: (x) => x === null || Array.isArray(x?.targets),
  systems: (x) => Array.isArray(x) && x.length === 5,
  setToday: (x) => x === undefined,
  constructor: (x) => x instanceof CodeBook,
};

test(`${CALLS} calls with random arguments return, or throw a "chartcode:" Error (seed ${SEED})`, (t) => {
  const r = generator(SEED);
  const v = values(r);
  const calls = callsFor(v, r);
  // systems() takes some 20 ms (it counts every book) and a constructor
  // opens every pack: fewer of those, so that the run stays short.
  const methods = Object.keys(calls).flatMap((m) => Array((m === 'systems' ? 1 : m === 'constructor' ? 3 : 10)).fill(m));
  const book = new CodeBook({ today: '2026-11-27' });
  // setToday() changes the day of its book, and a hostile call poisons the
  // book it hits (the known bug): setToday() gets a book of its own.
  let scratch = new CodeBook();
  const counts = { returned: 0, threw: 0, hostile: 0 };

  for (let i = 0; i < CALLS; i++) {
    const method = r.pick(methods);
    const made = calls[method]();
    // Now and then one argument more, or one less, than declared.
    if (r.chance(0.05)) made.push(v.any(1));
    else if (made.length && r.chance(0.05)) made.pop();
    // Hostile values (see the top of the file).
    if (made.length && r.chance(0.05)) made[r.int(made.length)] = v.hostile();
    const args = made.map((a) => a.value);
    const hostile = made.some((a) => a.hostile);
    const target = method === 'setToday' ? 'scratch' : 'book';
    const call = method === 'constructor' ? `new CodeBook(${made.map((a) => a.src).join(', ')})` : `${target}.${method}(${made.map((a) => a.src).join(', ')})`;
    const where = `seed ${SEED}, call ${i}: ${call.length > 600 ? `${call.slice(0, 600)}…` : call}`;

    let result;
    try {
      if (method === 'constructor') result = new CodeBook(...args);
      else result = (method === 'setToday' ? scratch : book)[method](...args);
    } catch (e) {
      counts.threw++;
      const contract = e instanceof Error && e.message.startsWith('chartcode: ');
      assert.ok(contract, `${where}\n  threw ${thrownText(e)}; expected an Error starting with "chartcode: "`);
      if (hostile) counts.hostile++;
      let after;
      try {
        after = book.lookup('E11.9');
      } catch (e2) {
        assert.fail(`${where}\n  after it threw ${thrownText(e)}, lookup('E11.9') threw ${thrownText(e2)}`);
      }
      assert.equal(after?.code, 'E11.9', `${where}\n  after it threw, lookup('E11.9') answered ${JSON.stringify(after)?.slice(0, 200)}`);
      assert.equal(after.title, E119, where);
      continue;
    }
    counts.returned++;
    assert.ok(RETURNS[method](result), `${where}\n  returned ${JSON.stringify(result)?.slice(0, 300)}`);
    if (method === 'constructor') result.free();
  }
  assert.equal(book.lookup('E11.9').title, E119);
  assert.ok(counts.returned > CALLS / 10 && counts.threw > CALLS / 10, `both paths exercised: ${JSON.stringify(counts)}`);
  assert.ok(counts.hostile > 0, `hostile values exercised: ${JSON.stringify(counts)}`);
  t.diagnostic(`seed ${SEED}: ${JSON.stringify(counts)}`);
  book.free();
  scratch.free();
});

// A thousand exceptions thrown inside calls, in a child process (before
// the fix, the escapes leaked the module's stack until it trapped).
const REPRO = `
import init, { CodeBook } from ${JSON.stringify(pkgIndex)};
await init();
const book = new CodeBook();
const options = new Proxy({}, { ownKeys() { throw new Error('trap'); } });
let first;
try { book.search('chf', options); } catch (e) { first = e; }
if (!String(first?.message).startsWith('chartcode: ')) throw new Error('escaped as is: ' + first);
book.setToday('2026-01-01');
for (let i = 0; i < 5000; i++) try { book.search('chf', options); } catch {}
if (book.lookup('E11.9')?.code !== 'E11.9') throw new Error('lookup broken');
book.free();
`;

test('an exception thrown inside a call, 5000 times, comes back as a chartcode: Error and leaves the book usable', () => {
  execFileSync(process.execPath, ['--input-type=module', '-e', REPRO], { encoding: 'utf8', stdio: 'pipe' });
});
