// <chartcode-picker>: a code picker for a chart entry.
//
// A framework-agnostic custom element that follows the WAI-ARIA 1.2
// combobox pattern with a listbox popup: focus stays in the text box,
// `aria-activedescendant` names the active option, the popup's state is in
// `aria-expanded`, and an `aria-live` status announces the results. It
// searches the chartcode code books in the page (no request is made), lets
// a header open into its children instead of being chosen, shows the notes
// of the active code, and hands the page a FHIR Coding.
//
// Every text from the code books is rendered with textContent; the element
// needs no inline script or style (its stylesheet is a constructed
// CSSStyleSheet), so it runs under a strict Content Security Policy.
//
//   <chartcode-picker name="problem" systems="icd10cm" billable-only multiple></chartcode-picker>
//   picker.addEventListener('chartcode-select', (e) => save(e.detail.coding));
//
// Installed next to the package's index.js: it loads that module (once per
// page, shared by every picker) on first focus, or at once with `preload`.

const PAGE_STEP = 10;
const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 200;
// Longest text searched, in UTF-16 units (the module refuses 10 000).
const MAX_QUERY = 1000;
const LOADING = 'Loading code books…';

let sharedBook = null;

/** Forgets `promise` when it rejects, so that the next load tries again
 *  (unless another book was handed over meanwhile). */
function retryAfterFailure(promise) {
  promise.catch(() => {
    if (sharedBook === promise) sharedBook = null;
  });
  return promise;
}

/**
 * The CodeBook every picker on the page shares, loading the module the
 * first time. Pass a CodeBook (or a promise of one) to `useCodeBook` before
 * the first load to share your own, e.g. one opened with licensed packs.
 * A load that fails is not kept: the next call tries again.
 * @returns {Promise<import('./index.js').CodeBook>}
 */
export function loadCodeBook() {
  if (sharedBook === null) {
    // A literal specifier, so that bundlers follow it (as a lazy chunk).
    sharedBook = retryAfterFailure(
      import('./index.js').then(async (module) => {
        await module.default();
        return new module.CodeBook();
      }),
    );
  }
  return sharedBook;
}

/** Makes every picker use `book` (a CodeBook or a promise of one). If the
 *  promise rejects, the next load falls back to the module's own books. */
export function useCodeBook(book) {
  sharedBook = retryAfterFailure(Promise.resolve(book));
  pageBookGiven = true;
}

let pageBookGiven = false;

/** Whether the page handed its own CodeBook over (`useCodeBook`), e.g. one
 *  opened with licensed packs: what reads notes must then use it. */
export function pageBookInUse() {
  return pageBookGiven;
}

const STYLE = `
:host {
  --chartcode-font: inherit;
  --chartcode-fg: #1b1f24;
  --chartcode-muted: #57606a;
  --chartcode-bg: #ffffff;
  --chartcode-border: #8c959f;
  --chartcode-accent: #0b5cad;
  --chartcode-active-bg: #ddeeff;
  --chartcode-mark-bg: #fff1a8;
  --chartcode-mark-fg: inherit;
  --chartcode-chip-bg: #eef2f6;
  --chartcode-danger: #a40e26;
  --chartcode-warning: #8a5300;
  --chartcode-radius: 6px;
  --chartcode-popup-height: 24rem;
  --chartcode-target: 2rem;
  display: block;
  position: relative;
  font: var(--chartcode-font);
  color: var(--chartcode-fg);
}
@media (prefers-color-scheme: dark) {
  :host {
    --chartcode-fg: #e6edf3;
    --chartcode-muted: #9da7b3;
    --chartcode-bg: #161b22;
    --chartcode-border: #6e7681;
    --chartcode-accent: #58a6ff;
    --chartcode-active-bg: #1f3a5f;
    --chartcode-mark-bg: #6b5a00;
    --chartcode-chip-bg: #262c36;
    --chartcode-danger: #ff7b8a;
  }
}
@media (pointer: coarse) {
  :host { --chartcode-target: 2.75rem; }
}
:host([hidden]) { display: none; }
* { box-sizing: border-box; }
.field {
  display: flex; flex-wrap: wrap; align-items: center; gap: 0.25rem;
  min-height: var(--chartcode-target);
  padding: 0.2rem 0.35rem;
  border: 1px solid var(--chartcode-border); border-radius: var(--chartcode-radius);
  background: var(--chartcode-bg);
}
.field:focus-within { outline: 2px solid var(--chartcode-accent); outline-offset: 1px; }
:host([disabled]) .field { opacity: 0.6; }
input {
  flex: 1 1 12rem; min-width: 8rem; min-height: calc(var(--chartcode-target) - 0.4rem);
  border: 0; outline: 0; padding: 0 0.25rem;
  font: inherit; color: inherit; background: transparent;
}
input::placeholder { color: var(--chartcode-muted); }
.chips { display: contents; }
.chip { position: relative; }
.chip {
  display: inline-flex; align-items: center; gap: 0.35rem; max-width: 100%;
  padding: 0.1rem 0.15rem 0.1rem 0.5rem;
  border-radius: 999px; background: var(--chartcode-chip-bg);
}
.chip-code { font-weight: 600; font-variant-numeric: tabular-nums; }
.chip-title { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; max-width: 22rem; }
.chip button {
  min-width: var(--chartcode-target); min-height: calc(var(--chartcode-target) - 0.4rem);
  border: 0; border-radius: 999px; background: transparent; color: inherit; font: inherit; cursor: pointer;
}
.chip button:hover, .chip button:focus-visible { background: var(--chartcode-active-bg); }
.popup {
  position: absolute; z-index: 10; left: 0; right: 0; top: calc(100% + 2px);
  display: flex; gap: 0; max-height: var(--chartcode-popup-height);
  border: 1px solid var(--chartcode-border); border-radius: var(--chartcode-radius);
  background: var(--chartcode-bg); box-shadow: 0 6px 20px rgb(0 0 0 / 0.18);
  overflow: hidden;
}
.popup[hidden] { display: none; }
.results { flex: 3 1 0; display: flex; flex-direction: column; min-width: 0; }
.crumb {
  display: flex; align-items: center; gap: 0.5rem; padding: 0.35rem 0.6rem;
  border-bottom: 1px solid var(--chartcode-border); color: var(--chartcode-muted);
}
.crumb[hidden] { display: none; }
.crumb button {
  min-height: var(--chartcode-target); border: 1px solid var(--chartcode-border); border-radius: var(--chartcode-radius);
  background: transparent; color: inherit; font: inherit; cursor: pointer; padding: 0 0.6rem;
}
[role="listbox"] { margin: 0; padding: 0.25rem 0; list-style: none; overflow-y: auto; flex: 1 1 auto; }
[role="option"] {
  display: grid; grid-template-columns: 6.5rem 1fr auto; gap: 0.15rem 0.6rem; align-items: baseline;
  min-height: var(--chartcode-target); padding: 0.35rem 0.6rem; cursor: pointer;
}
[role="option"][aria-selected="true"] { background: var(--chartcode-active-bg); box-shadow: inset 3px 0 0 var(--chartcode-accent); }
[role="option"][aria-disabled="true"] { cursor: default; color: var(--chartcode-muted); }
.code { font-weight: 600; font-variant-numeric: tabular-nums; }
.title { min-width: 0; }
.meta { display: flex; gap: 0.35rem; align-items: center; justify-self: end; white-space: nowrap; font-size: 0.85em; color: var(--chartcode-muted); }
.badge { border: 1px solid currentColor; border-radius: 999px; padding: 0 0.4rem; }
.badge.billable { color: var(--chartcode-accent); }
.badge.not-billable, .badge.terminated { color: var(--chartcode-danger); }
.flag { border: 1px solid currentColor; border-radius: 3px; padding: 0 0.3rem; font-size: 0.85em; font-variant-numeric: tabular-nums; }
.chip .flag { font-size: 0.75em; color: var(--chartcode-muted); }
.chip[data-finding="error"] { box-shadow: inset 0 0 0 2px var(--chartcode-danger); }
.chip[data-finding="warning"] { box-shadow: inset 0 0 0 2px var(--chartcode-warning); }
.chip .chip-mark { font-weight: 700; color: var(--chartcode-danger); }
.chip[data-finding="warning"] .chip-mark { color: var(--chartcode-warning); }
.chip-tip {
  display: none; position: absolute; z-index: 3; top: calc(100% + 0.25rem); left: 0;
  width: max-content; max-width: min(28rem, 90vw); padding: 0.35rem 0.55rem; white-space: normal;
  background: var(--chartcode-bg); color: var(--chartcode-fg); border: 1px solid var(--chartcode-border);
  border-radius: var(--chartcode-radius); font-size: 0.85em; box-shadow: 0 4px 12px rgb(0 0 0 / 0.15);
}
.chip-mark:focus-visible + .chip-tip, .chip-mark:hover + .chip-tip { display: block; }
.chevron { display: inline-grid; place-items: center; min-width: var(--chartcode-target); min-height: var(--chartcode-target); margin: -0.35rem -0.6rem -0.35rem 0; font-size: 1.2em; color: var(--chartcode-accent); }
mark { background: var(--chartcode-mark-bg); color: var(--chartcode-mark-fg); border-radius: 2px; }
.empty, .loading { padding: 0.75rem; color: var(--chartcode-muted); }
.via { padding: 0.4rem 0.75rem; color: var(--chartcode-muted); font-size: 0.9em; }
.title-cell { min-width: 0; }
.hit-via { display: block; color: var(--chartcode-muted); font-size: 0.85em; }
.empty[hidden], .loading[hidden] { display: none; }
.detail {
  flex: 2 1 0; min-width: 0; overflow-y: auto; padding: 0.6rem 0.75rem;
  border-left: 1px solid var(--chartcode-border); font-size: 0.9em;
}
.detail[hidden] { display: none; }
.detail:focus-visible { outline: 2px solid var(--chartcode-accent); outline-offset: -2px; }
.detail h2 { font-size: 1em; margin: 0 0 0.4rem; }
.detail h3 { font-size: 0.85em; margin: 0.6rem 0 0.2rem; text-transform: uppercase; letter-spacing: 0.03em; color: var(--chartcode-muted); }
.detail ul { margin: 0; padding-left: 1.1rem; }
.detail p { margin: 0.3rem 0; }
.visually-hidden { position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
@media (max-width: 40rem) {
  .popup { flex-direction: column; max-height: none; }
  .detail { border-left: 0; border-top: 1px solid var(--chartcode-border); max-height: 12rem; }
  [role="listbox"] { max-height: 16rem; }
  [role="option"] { grid-template-columns: 5.5rem 1fr; }
  .meta { grid-column: 2; justify-self: start; }
}
@media (prefers-reduced-motion: no-preference) {
  [role="option"] { transition: background-color 80ms linear; }
}
@media (forced-colors: active) {
  .field, .popup, .chip { border: 1px solid CanvasText; }
  [role="option"][aria-selected="true"] { background: Highlight; color: HighlightText; forced-color-adjust: none; }
  mark { background: Mark; color: MarkText; forced-color-adjust: none; }
  .badge { border-color: CanvasText; }
}
`;

let sheet = null;
function styleSheet() {
  if (sheet === null) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(STYLE);
  }
  return sheet;
}

const NOTE_HEADINGS = [
  ['includes', 'Includes'],
  ['inclusion_term', 'Inclusion terms'],
  ['excludes1', 'Excludes1 (never coded together)'],
  ['excludes2', 'Excludes2 (not included here)'],
  ['code_first', 'Code first'],
  ['use_additional_code', 'Use additional code'],
  ['code_also', 'Code also'],
  ['note', 'Note'],
  ['seven_chr_note', '7th character'],
  ['definition', 'Definition'],
  ['processing_note', 'CMS processing note'],
];

const SYSTEM_NAMES = {
  icd10cm: 'ICD-10-CM',
  icd10pcs: 'ICD-10-PCS',
  hcpcs: 'HCPCS',
  icd9cm: 'ICD-9-CM',
  icd9proc: 'ICD-9-CM proc.',
  cpt: 'CPT',
  cdt: 'CDT',
};

/** How a hit's `via` is shown beside it (a `typo` is shown once, above the list). */
const VIA_LABELS = {
  index: 'via index',
  abbreviation: 'via abbreviation',
  lay: 'via lay term',
};

let nextId = 0;

/** An element with a class and text, built without innerHTML. */
function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** The title with the `[start, end)` ranges wrapped in <mark>. */
function highlighted(title, ranges) {
  const span = el('span', 'title');
  span.part.add('title');
  let at = 0;
  for (const [start, end] of ranges ?? []) {
    if (start < at || end > title.length || start >= end) continue;
    if (start > at) span.append(title.slice(at, start));
    span.append(el('mark', '', title.slice(start, end)));
    at = end;
  }
  if (at < title.length) span.append(title.slice(at));
  return span;
}

/** The text to search: at most MAX_QUERY UTF-16 units, cut between two
 *  characters (never inside a surrogate pair), and with any lone surrogate
 *  replaced by U+FFFD, which the module would refuse. */
function searchText(text) {
  let query = text;
  if (query.length > MAX_QUERY) {
    query = query.slice(0, MAX_QUERY);
    if (/[\uD800-\uDBFF]$/.test(query)) query = query.slice(0, -1);
  }
  return query.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

/** A module error as the picker shows it: without the `chartcode: search(): ` prefix. */
function errorText(error) {
  return String(error?.message ?? error).replace(/^chartcode: [\w ]+\(\): /, '');
}

/**
 * The badges of a code's flags (`lookup`/`search` `flags`) a setting pays
 * by: the HCC everywhere but the dental office, CC/MCC for inpatients,
 * PDPM comorbidities in a nursing home.
 */
function flagBadges(flags, setting) {
  if (!flags) return [];
  const out = [];
  if (setting !== 'dental') {
    for (const h of flags.hcc ?? []) {
      const b = el('span', 'flag hcc', `HCC ${h.hcc}`);
      b.title = `CMS-HCC ${h.hcc}: ${h.label}${h.condition ? ` (if ${h.condition})` : ''}`;
      out.push(b);
    }
  }
  if (setting === 'inpatient' && flags.ccMcc) {
    const b = el('span', 'flag cc-mcc', flags.ccMcc);
    b.title = `${flags.ccMcc} as a secondary diagnosis (MS-DRG)`;
    out.push(b);
  }
  if (setting === 'snf') {
    if (flags.pdpm?.nta?.length) {
      const b = el('span', 'flag nta', 'NTA');
      b.title = `PDPM NTA comorbidity: ${flags.pdpm.nta.join('; ')}`;
      out.push(b);
    }
    if (flags.pdpm?.slp?.length) {
      const b = el('span', 'flag slp', 'SLP');
      b.title = `PDPM SLP comorbidity: ${flags.pdpm.slp.join('; ')}`;
      out.push(b);
    }
  }
  for (const b of out) b.part.add('flag');
  return out;
}

/** The selection a picker hands the page. */
function selectionOf(entry) {
  return {
    system: entry.system,
    code: entry.code,
    display: entry.title,
    billable: entry.billable,
    coding: { ...entry.coding },
  };
}

export class ChartcodePicker extends HTMLElement {
  static formAssociated = true;

  static get observedAttributes() {
    return [
      'systems',
      'billable-only',
      'date-of-service',
      'placeholder',
      'limit',
      'value',
      'multiple',
      'disabled',
      'required',
      'aria-label',
      'setting',
      'patient-age',
      'patient-sex',
    ];
  }

  #internals;
  #root;
  #input;
  #listbox;
  #popup;
  #crumb;
  #crumbText;
  #empty;
  #via;
  #loading;
  #detail;
  #status;
  #chips;
  #book = null;
  #bookPromise = null; // the one load in flight for this element
  #pendingKeys = []; // arrow keys pressed while the books load, replayed after
  #formDisabled = false; // inside a disabled <fieldset> (formDisabledCallback)
  #items = [];
  #active = -1;
  #trail = []; // drill-down path: entries whose children are shown
  #selected = [];
  #report = null;
  #pendingValue = null;
  #composing = false;
  #uid = `chartcode-${++nextId}`;

  constructor() {
    super();
    this.#internals = this.attachInternals();
    this.#root = this.attachShadow({ mode: 'open', delegatesFocus: true });
    this.#root.adoptedStyleSheets = [styleSheet()];

    const field = el('div', 'field');
    field.part.add('field');
    this.#chips = el('span', 'chips');
    this.#input = el('input');
    this.#input.part.add('input');
    Object.assign(this.#input, { type: 'text', autocomplete: 'off', spellcheck: false });
    this.#input.setAttribute('autocapitalize', 'off');
    this.#input.setAttribute('role', 'combobox');
    this.#input.setAttribute('aria-autocomplete', 'list');
    this.#input.setAttribute('aria-expanded', 'false');
    this.#input.setAttribute('aria-controls', `${this.#uid}-listbox`);
    field.append(this.#chips, this.#input);

    this.#popup = el('div', 'popup');
    this.#popup.part.add('popup');
    this.#popup.hidden = true;
    const results = el('div', 'results');
    this.#crumb = el('div', 'crumb');
    this.#crumb.part.add('crumb');
    this.#crumb.hidden = true;
    const back = el('button', '', '‹ Back');
    back.type = 'button';
    back.tabIndex = -1;
    back.setAttribute('aria-label', 'Back to the previous list');
    back.addEventListener('pointerdown', (e) => e.preventDefault());
    back.addEventListener('click', () => this.#goUp());
    this.#crumbText = el('span');
    this.#crumb.append(back, this.#crumbText);
    this.#listbox = el('ul');
    this.#listbox.part.add('listbox');
    // Focus stays in the box (the combobox pattern): a list long enough to
    // scroll must not become a Tab stop of its own, as Chromium makes
    // scrollable containers.
    this.#listbox.tabIndex = -1;
    this.#listbox.id = `${this.#uid}-listbox`;
    this.#listbox.setAttribute('role', 'listbox');
    this.#listbox.setAttribute('aria-label', 'Codes');
    this.#empty = el('div', 'empty');
    this.#empty.part.add('empty');
    this.#empty.hidden = true;
    this.#loading = el('div', 'loading', LOADING);
    this.#loading.part.add('loading');
    this.#loading.hidden = true;
    // "Showing results for hypertension" when a typed word was corrected.
    this.#via = el('div', 'via');
    this.#via.part.add('via');
    this.#via.hidden = true;
    results.append(this.#crumb, this.#via, this.#listbox, this.#empty, this.#loading);
    this.#detail = el('section', 'detail');
    this.#detail.part.add('detail');
    this.#detail.hidden = true;
    this.#detail.setAttribute('aria-label', 'Details of the active code');
    // Long notes scroll: Tab from the box reaches them, Escape returns.
    this.#detail.tabIndex = 0;
    this.#detail.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') {
        e.preventDefault();
        this.#close();
        this.#input.focus();
      }
    });
    this.#popup.append(results, this.#detail);

    this.#status = el('div', 'visually-hidden');
    this.#status.id = `${this.#uid}-status`;
    this.#status.setAttribute('role', 'status');
    this.#status.setAttribute('aria-live', 'polite');

    this.#root.append(field, this.#popup, this.#status);

    this.#input.addEventListener('focus', () => this.#ensureBook());
    this.#input.addEventListener('input', () => {
      if (!this.#composing) this.#onInput();
    });
    this.#input.addEventListener('compositionstart', () => (this.#composing = true));
    this.#input.addEventListener('compositionend', () => {
      this.#composing = false;
      this.#onInput();
    });
    this.#input.addEventListener('keydown', (e) => this.#onKeydown(e));
    this.#root.addEventListener('focusout', () => {
      // Focus may move within the picker (to the detail view), and a click
      // on an option must land first: decide once focus has settled.
      setTimeout(() => {
        if (!this.#root.activeElement) this.#close();
      }, 0);
    });
    this.#listbox.addEventListener('pointerdown', (e) => e.preventDefault());
    this.#listbox.addEventListener('click', (e) => this.#onOptionClick(e));
    this.#listbox.addEventListener('pointermove', (e) => {
      const option = e.target.closest?.('[role="option"]');
      if (option) this.#setActive(Number(option.dataset.index), false);
    });
  }

  connectedCallback() {
    this.#syncAttributes();
    // #ensureBook never rejects: a failed load shows when the user waits for it.
    if (this.hasAttribute('preload') || this.hasAttribute('value')) this.#ensureBook();
  }

  attributeChangedCallback(name, previous, value) {
    if (previous === value) return;
    if (name === 'value' && !this.#selectionMatches(value)) {
      this.#setValueFromCodes(value ?? '');
    }
    if (['setting', 'patient-age', 'patient-sex', 'date-of-service'].includes(name) && this.#selected.length) {
      this.#renderChips();
    }
    this.#syncAttributes();
  }

  // ---- properties ----

  /** The selected code (`multiple`: the codes, space-separated). */
  get value() {
    if (this.#pendingValue !== null) return this.#pendingValue;
    return this.#selected.map((s) => s.code).join(' ');
  }
  set value(codes) {
    this.#setValueFromCodes(String(codes ?? ''));
  }
  /** The selections: `{ system, code, display, billable, coding }`. */
  get selected() {
    return this.#selected.map((s) => ({ ...s, coding: { ...s.coding } }));
  }
  get systems() {
    return this.getAttribute('systems') ?? '';
  }
  /**
   * The date of service (`YYYY-MM-DD`; empty: today). It chooses the code
   * book release in force: ICD-10-CM FY2026 up to 2026-09-30, FY2027 from
   * 2026-10-01.
   */
  get dateOfService() {
    return this.getAttribute('date-of-service') ?? '';
  }
  set dateOfService(v) {
    if (v) this.setAttribute('date-of-service', String(v));
    else this.removeAttribute('date-of-service');
  }
  set systems(v) {
    this.setAttribute('systems', v);
  }
  /** Where the code is chosen (`outpatient`, `inpatient`, `snf`, `dental`); '' for none. */
  get setting() {
    return this.getAttribute('setting') ?? '';
  }
  set setting(v) {
    if (v) this.setAttribute('setting', String(v));
    else this.removeAttribute('setting');
  }
  /** The patient's age in years, for the checks of the selected codes ('' when unknown). */
  get patientAge() {
    return this.getAttribute('patient-age') ?? '';
  }
  set patientAge(v) {
    if (v === '' || v === null || v === undefined) this.removeAttribute('patient-age');
    else this.setAttribute('patient-age', String(v));
  }
  /** The patient's sex (`F`, `M`; '' when unknown), for the checks of the selected codes. */
  get patientSex() {
    return this.getAttribute('patient-sex') ?? '';
  }
  set patientSex(v) {
    if (v) this.setAttribute('patient-sex', String(v));
    else this.removeAttribute('patient-sex');
  }
  /** The latest check of the selected codes (`book.check()`'s report), or null. */
  get report() {
    return this.#report;
  }
  get billableOnly() {
    return this.hasAttribute('billable-only');
  }
  set billableOnly(v) {
    this.toggleAttribute('billable-only', Boolean(v));
  }
  get multiple() {
    return this.hasAttribute('multiple');
  }
  set multiple(v) {
    this.toggleAttribute('multiple', Boolean(v));
  }
  get disabled() {
    return this.hasAttribute('disabled');
  }
  set disabled(v) {
    this.toggleAttribute('disabled', Boolean(v));
  }
  get required() {
    return this.hasAttribute('required');
  }
  set required(v) {
    this.toggleAttribute('required', Boolean(v));
  }
  get placeholder() {
    return this.getAttribute('placeholder') ?? '';
  }
  set placeholder(v) {
    this.setAttribute('placeholder', v);
  }
  /** Most results listed: 1 to 200; default 20 (also for a missing, 0 or unreadable attribute). */
  get limit() {
    const n = Number.parseInt(this.getAttribute('limit') ?? '', 10);
    return Number.isInteger(n) && n > 0 ? Math.min(n, MAX_LIMIT) : DEFAULT_LIMIT;
  }
  set limit(v) {
    this.setAttribute('limit', String(v));
  }
  get name() {
    return this.getAttribute('name') ?? '';
  }
  set name(v) {
    this.setAttribute('name', v);
  }
  get form() {
    return this.#internals.form;
  }
  get validity() {
    return this.#internals.validity;
  }
  get validationMessage() {
    return this.#internals.validationMessage;
  }
  checkValidity() {
    return this.#internals.checkValidity();
  }
  reportValidity() {
    return this.#internals.reportValidity();
  }

  // ---- methods ----

  focus(options) {
    this.#input.focus(options);
  }

  /** Removes every selection and the text typed. */
  clear() {
    const had = this.#selected.length > 0;
    this.#selected = [];
    this.#pendingValue = null;
    this.#close();
    this.#clearText();
    this.#renderChips();
    this.#updateForm();
    if (had) this.#emit('chartcode-clear', { removed: null });
  }

  // ---- form association ----

  formResetCallback() {
    this.#setValueFromCodes(this.getAttribute('value') ?? '');
    this.#close();
    this.#clearText();
  }
  formDisabledCallback(disabled) {
    // Called for a disabled <fieldset> around the picker (and for its own
    // attribute); kept so that later attribute changes do not undo it.
    this.#formDisabled = disabled;
    this.#syncDisabled();
  }
  formStateRestoreCallback(state) {
    if (typeof state === 'string') this.#setValueFromCodes(state);
    else if (state instanceof FormData) this.#setValueFromCodes([...state.values()].join(' '));
  }

  // ---- internals ----

  #syncAttributes() {
    this.#input.placeholder = this.placeholder || (this.multiple ? 'Search codes or type a code…' : 'Search a code…');
    this.#syncDisabled();
    const labels = [...(this.#internals.labels ?? [])].map((l) => l.textContent.trim()).filter(Boolean);
    this.#input.setAttribute('aria-label', this.getAttribute('aria-label') || labels.join(' ') || 'Code');
    this.#input.setAttribute('aria-required', String(this.required));
    this.#updateForm();
  }

  /** Disabled by its own attribute or by a disabled fieldset. */
  #isDisabled() {
    return this.disabled || this.#formDisabled;
  }

  #syncDisabled() {
    const off = this.#isDisabled();
    this.#input.disabled = off;
    for (const button of this.#chips.querySelectorAll('button')) button.disabled = off;
    if (off) this.#close();
  }

  /**
   * The book, loading it once per element however many keys are pressed
   * meanwhile. Never rejects (callers need no catch): a failed load shows
   * in the popup if the user is waiting, and the next call tries again.
   * @returns {Promise<object | null>}
   */
  #ensureBook() {
    if (this.#book) return Promise.resolve(this.#book);
    if (this.#bookPromise === null) {
      this.#bookPromise = loadCodeBook().then(
        (book) => {
          this.#bookPromise = null;
          this.#bookLoaded(book);
          return book;
        },
        (error) => {
          this.#bookPromise = null;
          this.#bookFailed(error);
          return null;
        },
      );
    }
    return this.#bookPromise;
  }

  /**
   * The shared book, read on this picker's date of service (pickers on one
   * page share one book, so each sets its date before it asks). Throws the
   * book's error for a date that is not `YYYY-MM-DD`; every caller catches.
   */
  #dated() {
    if (!this.#book) return null;
    this.#book.setToday(this.dateOfService.trim() || new Date());
    return this.#book;
  }

  #bookLoaded(book) {
    this.#book = book;
    if (this.#pendingValue !== null) this.#setValueFromCodes(this.#pendingValue);
    const keys = this.#pendingKeys;
    this.#pendingKeys = [];
    // Only a user still waiting (the loading popup open) gets the results:
    // Escape, Tab or leaving the box closed it.
    if (this.#popup.hidden || this.#loading.hidden) return;
    this.#loading.hidden = true;
    const text = this.#input.value.trim();
    if (text) this.#onInput(); // one search, for the text as it is now
    else if (keys.length === 0) this.#close();
    for (const { key, altKey } of keys) {
      if (text && this.#items.length === 0) break; // nothing to move through
      this.#navigate(key, altKey);
    }
  }

  #bookFailed(error) {
    this.#pendingKeys = [];
    const message = `The code books could not be loaded: ${errorText(error)}`;
    this.#loading.textContent = message;
    if (this.#popup.hidden || this.#loading.hidden) return; // nobody is waiting
    this.#announce('The code books could not be loaded.');
    this.#emit('chartcode-results', { query: this.#input.value, count: 0, error: message });
  }

  /** The popup while the books load: "Loading code books…" (or why they
   *  could not be loaded), visible, announced once typing pauses. */
  #showLoading() {
    this.#clearOptions();
    this.#listbox.hidden = true;
    this.#empty.hidden = true;
    this.#crumb.hidden = true;
    if (this.#bookPromise === null) this.#loading.textContent = LOADING; // a new attempt
    this.#loading.hidden = false;
    this.#popup.hidden = false;
    this.#announce(LOADING, true);
    this.#ensureBook();
  }

  #searchOptions() {
    const options = { limit: this.limit, billableOnly: this.billableOnly };
    if (this.systems.trim()) options.systems = this.systems;
    if (this.setting) options.setting = this.setting;
    return options;
  }

  #onInput() {
    this.#trail = [];
    const query = this.#input.value;
    if (!query.trim()) {
      this.#close();
      this.#announce('');
      this.#emit('chartcode-results', { query, count: 0 });
      return;
    }
    if (!this.#book) {
      this.#pendingKeys = []; // typing after an arrow key starts over, as it does once loaded
      this.#showLoading();
      return;
    }
    let hits;
    try {
      hits = this.#dated().search(searchText(query), this.#searchOptions());
    } catch (error) {
      this.#show([], query, errorText(error));
      return;
    }
    this.#show(hits, query);
  }

  /** Empties the text box; the page hears of it as an empty result. */
  #clearText() {
    if (!this.#input.value) return;
    this.#input.value = '';
    this.#emit('chartcode-results', { query: '', count: 0 });
  }

  /**
   * Lists `items` for `query` (`null` when browsing the top of the books),
   * or says why there are none: `error`, no match, or too short a text.
   * Tells the page with `chartcode-results`.
   */
  #show(items, query, error = null) {
    this.#items = items;
    this.#active = -1;
    this.#renderOptions();
    this.#loading.hidden = true;
    const text = (query ?? '').trim();
    if (items.length === 0) {
      let message = error;
      if (message === null) {
        if (query === null) message = 'No codes to show here.';
        else if (text.length < 2) message = 'Type one more letter…';
        else message = `No codes match “${text}”`;
      }
      this.#showEmpty(message);
    } else {
      this.#empty.hidden = true;
      this.#listbox.hidden = false;
      this.#openPopup();
      const where = this.#trail.length ? ` under ${this.#trail.at(-1).code}` : '';
      const corrected = items.find((h) => h.via?.kind === 'typo')?.via.text;
      this.#via.textContent = corrected ? `Showing results for “${corrected}”` : '';
      this.#via.hidden = !corrected;
      const also = corrected ? ` Showing results for ${corrected}.` : '';
      this.#announce(`${items.length} ${items.length === 1 ? 'code' : 'codes'}${where}.${also} Use the up and down arrows to choose.`, true);
    }
    this.#renderDetail();
    const detail = { query: query ?? '', count: items.length };
    if (error !== null) detail.error = error;
    this.#emit('chartcode-results', detail);
  }

  #showEmpty(message) {
    this.#clearOptions();
    this.#via.hidden = true;
    this.#listbox.hidden = true;
    this.#loading.hidden = true;
    this.#empty.textContent = message;
    this.#empty.hidden = false;
    this.#popup.hidden = false;
    this.#announce(message, true);
  }

  #openPopup() {
    this.#popup.hidden = false;
    this.#input.setAttribute('aria-expanded', 'true');
  }

  #close() {
    this.#popup.hidden = true;
    this.#clearOptions();
    this.#trail = [];
    this.#crumb.hidden = true;
    this.#pendingKeys = [];
  }

  /** No options, none active, no details, the combobox collapsed: a later
   *  key must not make an option of a hidden list active
   *  (`aria-activedescendant` into a closed popup). */
  #clearOptions() {
    this.#via.hidden = true;
    this.#items = [];
    this.#active = -1;
    this.#renderOptions();
    this.#detail.hidden = true;
    this.#input.setAttribute('aria-expanded', 'false');
  }

  #hasChildren(entry) {
    try {
      return (this.#dated()?.children(entry.code, entry.system)?.length ?? 0) > 0;
    } catch {
      return false;
    }
  }

  #renderOptions() {
    const nodes = this.#items.map((entry, index) => {
      const li = el('li');
      li.id = `${this.#uid}-option-${index}`;
      li.dataset.index = String(index);
      li.setAttribute('role', 'option');
      li.setAttribute('aria-selected', 'false');
      li.part.add('option');
      const code = el('span', 'code', entry.code);
      code.part.add('code');
      const title = highlighted(entry.title, entry.highlights);
      const meta = el('span', 'meta');
      const system = el('span', 'system', SYSTEM_NAMES[entry.system] ?? entry.system);
      system.part.add('system');
      meta.append(system);
      let badge;
      if (entry.terminated) {
        badge = el('span', 'badge terminated', 'terminated');
        li.setAttribute('aria-disabled', 'true');
      } else if (entry.billable) {
        badge = el('span', 'badge billable', entry.legacy ? 'legacy' : 'billable');
      } else {
        badge = el('span', 'badge not-billable', 'not billable');
      }
      badge.part.add('badge');
      meta.append(...flagBadges(entry.flags, this.setting), badge);
      const expandable = !entry.billable && !entry.terminated;
      if (expandable) {
        li.dataset.expandable = 'true';
        const chevron = el('span', 'chevron', '›');
        chevron.setAttribute('aria-hidden', 'true');
        chevron.dataset.expand = 'true';
        chevron.part.add('chevron');
        meta.append(chevron);
      }
      // How the hit matched when not by its own words: the index, an
      // abbreviation or a lay term (a correction is said once, above).
      const how = VIA_LABELS[entry.via?.kind];
      if (how) {
        const cell = el('span', 'title-cell');
        const via = el('span', 'hit-via', `${how}: ${entry.via.text}`);
        via.part.add('hit-via');
        cell.append(title, via);
        li.append(code, cell, meta);
      } else {
        li.append(code, title, meta);
      }
      return li;
    });
    this.#listbox.replaceChildren(...nodes);
    this.#input.removeAttribute('aria-activedescendant');
    if (this.#trail.length) {
      const top = this.#trail.at(-1);
      this.#crumbText.textContent = `${top.code} ${top.title}`;
      this.#crumb.hidden = false;
    } else {
      this.#crumb.hidden = true;
    }
  }

  #setActive(index, scroll = true) {
    if (this.#items.length === 0) return;
    const clamped = Math.max(0, Math.min(this.#items.length - 1, index));
    if (clamped === this.#active) return;
    const previous = this.#listbox.children[this.#active];
    if (previous) previous.setAttribute('aria-selected', 'false');
    this.#active = clamped;
    const option = this.#listbox.children[clamped];
    option.setAttribute('aria-selected', 'true');
    this.#input.setAttribute('aria-activedescendant', option.id);
    if (scroll) option.scrollIntoView({ block: 'nearest' });
    this.#renderDetail();
  }

  #onKeydown(event) {
    if (this.#composing || event.isComposing) return;
    const open = !this.#popup.hidden && this.#items.length > 0;
    const hasActive = open && this.#active >= 0;
    const loading = !this.#popup.hidden && !this.#loading.hidden;
    switch (event.key) {
      case 'ArrowDown':
      case 'ArrowUp':
        event.preventDefault();
        if (this.#book) {
          this.#navigate(event.key, event.altKey);
        } else {
          // Remembered, and replayed on the list once the books are in.
          this.#pendingKeys.push({ key: event.key, altKey: event.altKey });
          this.#showLoading();
        }
        break;
      case 'PageDown':
      case 'PageUp':
      case 'Home':
      case 'End':
        if (this.#navigate(event.key)) event.preventDefault();
        break;
      case 'ArrowRight':
        if (hasActive && this.#listbox.children[this.#active]?.dataset.expandable) {
          event.preventDefault();
          this.#drillInto(this.#items[this.#active]);
        }
        break;
      case 'ArrowLeft':
        if (hasActive && this.#trail.length) {
          event.preventDefault();
          this.#goUp();
        }
        break;
      case 'Enter':
        if (hasActive) {
          event.preventDefault();
          this.#choose(this.#active);
        } else if (open || loading) {
          event.preventDefault(); // nothing chosen yet: no form submission
        }
        break;
      case 'Escape':
        if (!this.#popup.hidden) {
          event.preventDefault();
          this.#close();
          this.#announce('');
        } else if (this.#input.value) {
          event.preventDefault();
          this.#clearText();
        }
        break;
      case 'Tab':
        // Forward Tab visits the detail view when it shows; otherwise (and
        // from there) focus leaves and the popup closes.
        if (event.shiftKey || this.#detail.hidden || this.#popup.hidden) this.#close();
        break;
      case 'Backspace':
        if (!this.#input.value && this.#selected.length && this.multiple) {
          this.#remove(this.#selected.length - 1);
        }
        break;
      default:
    }
  }

  /**
   * The keys that open the list or move through it (the book is loaded).
   * Down opens the list on the text (in an empty box: the top of the books)
   * at its first option, Alt+Down without an active option; Up opens it at
   * its last. Returns whether the key was used.
   */
  #navigate(key, altKey = false) {
    const open = !this.#popup.hidden && this.#items.length > 0;
    const hasActive = open && this.#active >= 0;
    switch (key) {
      case 'ArrowDown':
        if (open) this.#setActive(this.#active + 1);
        else this.#openList(altKey ? null : 'first');
        return true;
      case 'ArrowUp':
        if (open) this.#setActive(this.#active <= 0 ? 0 : this.#active - 1);
        else this.#openList('last');
        return true;
      case 'PageDown':
        if (open) this.#setActive((this.#active < 0 ? 0 : this.#active) + PAGE_STEP);
        return open;
      case 'PageUp':
        if (open) this.#setActive(this.#active - PAGE_STEP);
        return open;
      case 'Home':
        if (hasActive) this.#setActive(0);
        return hasActive;
      case 'End':
        if (hasActive) this.#setActive(this.#items.length - 1);
        return hasActive;
      default:
        return false;
    }
  }

  /** Opens the list for the text, or in an empty box the top of the books,
   *  with its `to` ('first', 'last' or null) option active. */
  #openList(to) {
    if (this.#input.value.trim()) {
      this.#onInput();
    } else if (to) {
      this.#browseTop();
    } else {
      this.#close();
      return;
    }
    if (to === 'first') this.#setActive(0);
    else if (to === 'last') this.#setActive(this.#items.length - 1);
  }

  /** Down arrow in an empty box: the top of the picker's books. */
  #browseTop() {
    if (!this.#book) return;
    const systems = this.systems.trim() ? this.systems.split(/[\s,]+/) : [undefined];
    const top = [];
    let problem = null;
    for (const system of systems) {
      try {
        top.push(...(this.#dated().children(null, system) ?? []));
      } catch (error) {
        problem ??= errorText(error); // an unknown system in the attribute
      }
    }
    this.#trail = [];
    this.#show(top, null, top.length ? null : problem);
  }

  #onOptionClick(event) {
    const option = event.target.closest?.('[role="option"]');
    if (!option) return;
    const index = Number(option.dataset.index);
    this.#setActive(index, false);
    if (event.target.closest('[data-expand]')) this.#drillInto(this.#items[index]);
    else this.#choose(index);
  }

  #choose(index) {
    const entry = this.#items[index];
    if (!entry) return;
    if (entry.terminated) {
      this.#announce(`${entry.code} is terminated and cannot be chosen.`);
      return;
    }
    if (!entry.billable) {
      this.#drillInto(entry);
      return;
    }
    this.#select(entry);
  }

  #drillInto(entry) {
    let children;
    try {
      children = this.#dated().children(entry.code, entry.system) ?? [];
    } catch {
      children = [];
    }
    if (children.length === 0) {
      this.#announce(`${entry.code} has no codes below it.`);
      return;
    }
    if (this.billableOnly) {
      // Headers stay (they open further); only non-billable leaves go.
      children = children.filter((c) => c.billable || c.kind !== 'code' || this.#hasChildren(c));
      if (children.length === 0) {
        this.#announce(`${entry.code} has no billable codes below it.`);
        return;
      }
    }
    this.#trail.push(entry);
    this.#show(children.map((c) => ({ ...c, highlights: [] })), this.#input.value);
    this.#setActive(0);
  }

  #goUp() {
    this.#trail.pop();
    if (this.#trail.length === 0) {
      if (this.#input.value.trim()) this.#onInput();
      else this.#browseTop();
    } else {
      const parent = this.#trail.pop();
      this.#drillInto(parent);
    }
    this.#setActive(0);
  }

  /**
   * Adds a selection made elsewhere (a `<chartcode-suggest>` accepting a
   * suggestion): a chip (with `multiple`; else it replaces the selection),
   * the form value and an announcement, but no `chartcode-select` (the
   * caller fired its own). Returns whether it was added: false for a code
   * of a system this picker does not list, or one already selected.
   * @param {{ system: string, code: string, display?: string, billable?: boolean, coding?: object }} selection
   */
  add(selection) {
    const system = String(selection?.system ?? '');
    const code = String(selection?.code ?? '');
    if (!system || !code) return false;
    const systems = this.systems.trim().split(/[\s,]+/).filter(Boolean);
    if (systems.length > 0 && !systems.includes(system)) return false;
    if (this.#selected.some((s) => s.code === code && s.system === system)) return false;
    const added = {
      system,
      code,
      display: String(selection.display ?? ''),
      billable: Boolean(selection.billable),
      coding: { ...(selection.coding ?? { code, display: String(selection.display ?? '') }) },
    };
    if (this.multiple) this.#selected.push(added);
    else this.#selected = [added];
    this.#pendingValue = null;
    this.#renderChips();
    this.#updateForm();
    this.#announce(`${added.code} ${added.display} added.`);
    return true;
  }

  #select(entry) {
    const selection = selectionOf(entry);
    if (this.multiple) {
      if (!this.#selected.some((s) => s.code === selection.code && s.system === selection.system)) {
        this.#selected.push(selection);
      }
    } else {
      this.#selected = [selection];
    }
    this.#pendingValue = null;
    this.#close();
    this.#clearText();
    this.#renderChips();
    this.#updateForm();
    this.#announce(`${selection.code} ${selection.display} selected.`);
    this.#emit('chartcode-select', selection);
  }

  #remove(index) {
    const [removed] = this.#selected.splice(index, 1);
    if (!removed) return;
    this.#renderChips();
    this.#updateForm();
    this.#announce(`${removed.code} removed.`);
    this.#emit('chartcode-clear', { removed: { ...removed, coding: { ...removed.coding } } });
    this.#input.focus();
  }

  #renderChips() {
    const report = this.#check();
    const chips = this.#selected.map((s, index) => {
      const chip = el('span', 'chip');
      chip.part.add('chip');
      const code = el('span', 'chip-code', s.code);
      const title = el('span', 'chip-title', s.display);
      const remove = el('button', '', '×');
      remove.type = 'button';
      remove.part.add('chip-remove');
      remove.disabled = this.#isDisabled();
      remove.setAttribute('aria-label', `Remove ${s.code} ${s.display}`.trim());
      remove.addEventListener('click', () => this.#remove(index));
      chip.append(code, title, ...flagBadges(this.#flagsOf(s), this.setting));
      // The errors and warnings about this code: a mark whose message
      // shows on focus (and hover), read as the mark's description.
      const findings = (report?.findings ?? []).filter(
        (f) => f.severity !== 'info' && f.codes.includes(s.code),
      );
      if (findings.length) {
        const worst = findings.some((f) => f.severity === 'error') ? 'error' : 'warning';
        chip.dataset.finding = worst;
        const mark = el('button', 'chip-mark', worst === 'error' ? '!' : '?');
        mark.type = 'button';
        mark.part.add('chip-mark');
        const count = findings.length;
        mark.setAttribute('aria-label', `${s.code}: ${count} ${count === 1 ? worst : `${worst}s and warnings`}`);
        const tip = el('span', 'chip-tip', findings.map((f) => f.message).join(' — '));
        tip.id = `${this.#uid}-tip-${index}`;
        tip.setAttribute('role', 'tooltip');
        tip.part.add('chip-tip');
        mark.setAttribute('aria-describedby', tip.id);
        chip.append(mark, tip);
      }
      chip.append(remove);
      return chip;
    });
    this.#chips.replaceChildren(...chips);
  }

  /** A selected code's flags on the date of service (null before the books load). */
  #flagsOf(selection) {
    if (!this.#book) return null;
    try {
      return this.#dated().lookup(selection.code, selection.system)?.flags ?? null;
    } catch {
      return null;
    }
  }

  /**
   * Checks the selected codes (the patient's age and sex, the setting, the
   * date of service) and tells the page with `chartcode-check` when the
   * report changed. Bad attributes (an age of 300) are said once, in the
   * report's place, never thrown.
   */
  #check() {
    const book = this.#selected.length ? this.#dated() : null;
    let report = null;
    if (book) {
      const options = {};
      if (this.setting) options.setting = this.setting;
      if (this.patientAge.trim()) options.age = Number(this.patientAge);
      if (this.patientSex.trim()) options.sex = this.patientSex.trim();
      try {
        report = book.check(
          this.#selected.map((s) => ({ system: s.system, code: s.code })),
          options,
        );
      } catch (error) {
        report = { given: [], codes: [], findings: [], summary: null, error: errorText(error) };
      }
    }
    const previous = JSON.stringify(this.#report);
    this.#report = report;
    if (JSON.stringify(report) !== previous) this.#emit('chartcode-check', report);
    return report;
  }

  #renderDetail() {
    const entry = this.#items[this.#active];
    if (!entry || !this.#book) {
      this.#detail.hidden = true;
      return;
    }
    let record = null;
    try {
      record = this.#dated().lookup(entry.code, entry.system);
    } catch {
      record = null;
    }
    const heading = el('h2', '', `${entry.code} ${entry.title}`);
    const parts = [heading];
    if (record?.help) parts.push(el('p', '', record.help));
    if (record?.notOtherwiseClassified) {
      parts.push(el('p', 'flag', 'Not otherwise classified: the claim must describe the item or service.'));
    }
    if (record?.mue) {
      const m = record.mue;
      parts.push(el('h3', '', 'Medically Unlikely Edit'));
      parts.push(el('p', 'mue', `${m.units}: ${m.meaning} (${m.adjudication}; ${m.rationale})`));
    }
    if (record?.crosswalk?.targets?.length) {
      parts.push(el('h3', '', `Crosswalk to ${SYSTEM_NAMES[record.crosswalk.to] ?? record.crosswalk.to}`));
      const list = el('ul');
      for (const t of record.crosswalk.targets.slice(0, 8)) {
        list.append(el('li', '', t.noMap ? 'No equivalent code' : `${t.code} ${t.title ?? ''}${t.approximate ? ' (approximate)' : ''}`));
      }
      parts.push(list);
    }
    const sections = [{ from: null, notes: record?.notes ?? [] }, ...(record?.inheritedNotes ?? []).map((n) => ({ from: n.code, notes: n.notes }))];
    for (const [kind, label] of NOTE_HEADINGS) {
      const lines = [];
      for (const s of sections) {
        for (const n of s.notes) if (n.kind === kind) lines.push(s.from ? `${n.text} (at ${s.from})` : n.text);
      }
      if (lines.length === 0) continue;
      parts.push(el('h3', '', label));
      const list = el('ul');
      for (const line of lines.slice(0, 12)) list.append(el('li', '', line));
      if (lines.length > 12) list.append(el('li', '', `… ${lines.length - 12} more`));
      parts.push(list);
    }
    if (parts.length === 1) parts.push(el('p', '', entry.billable ? 'No notes.' : 'Not billable: open it for its codes.'));
    this.#detail.replaceChildren(...parts);
    this.#detail.hidden = false;
  }

  #setValueFromCodes(text) {
    const codes = String(text).split(/[\s,]+/).filter(Boolean);
    if (!this.#book) {
      this.#pendingValue = codes.join(' ');
      this.#selected = [];
      this.#chips.replaceChildren(...codes.map((c) => el('span', 'chip', c)));
      this.#updateForm();
      if (codes.length && this.isConnected) this.#ensureBook();
      return;
    }
    this.#pendingValue = null;
    const systems = this.systems.trim() ? this.systems.split(/[\s,]+/) : [undefined];
    const chosen = [];
    for (const code of this.multiple ? codes : codes.slice(0, 1)) {
      for (const system of systems) {
        let record = null;
        try {
          record = this.#dated().lookup(code, system);
        } catch {
          record = null;
        }
        if (record) {
          chosen.push(selectionOf(record));
          break;
        }
      }
    }
    this.#selected = chosen;
    this.#renderChips();
    this.#updateForm();
  }

  #selectionMatches(value) {
    return (value ?? '').split(/[\s,]+/).filter(Boolean).join(' ') === this.value;
  }

  #updateForm() {
    const codes = this.value.split(' ').filter(Boolean);
    if (this.name && codes.length > 1) {
      const data = new FormData();
      for (const code of codes) data.append(this.name, code);
      this.#internals.setFormValue(data, codes.join(' '));
    } else {
      this.#internals.setFormValue(codes[0] ?? null, codes.join(' '));
    }
    if (this.required && codes.length === 0) {
      this.#internals.setValidity({ valueMissing: true }, 'Choose a code.', this.#input);
    } else {
      this.#internals.setValidity({});
    }
  }

  #announceTimer = 0;

  /** Says `message` through the live region. Result counts wait until the
   *  typing pauses (`settle`), so a screen reader is not read every keystroke. */
  #announce(message, settle = false) {
    clearTimeout(this.#announceTimer);
    // Cleared first so that the same message is announced again.
    this.#status.textContent = '';
    if (!message) return;
    this.#announceTimer = setTimeout(() => (this.#status.textContent = message), settle ? 400 : 30);
  }

  /** Every event bubbles and is composed: it reaches a listener outside a
   *  shadow root the picker sits in. */
  #emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }
}

if (!customElements.get('chartcode-picker')) {
  customElements.define('chartcode-picker', ChartcodePicker);
}
