// <chartcode-suggest>: the codes a note supports, beside the note.
//
// Attached to a <textarea> (or an element with contenteditable) by `for`,
// it reads the note when typing pauses, with the same engine as
// `CodeBook.suggest` (no request is made), and lists the codes to assign
// ("Suggested") apart from what was deliberately not coded ("Not coded":
// negated, a relative's, past, uncertain, hypothetical), each with the
// words it came from and why. Focusing or hovering a suggestion highlights
// its words in the note without touching the note: a mirror laid over a
// <textarea>, the CSS Custom Highlight API in a contenteditable. Accepting
// one (Enter, Space or a click) fires `chartcode-select` and adds a chip
// to the first `targets` picker that lists its system; Delete dismisses it
// (`chartcode-dismiss`). Both are remembered for the life of the element.
//
// The note is read in a worker (chartcode-suggest-worker.js, next to this
// file), so a long note never holds up typing; `main-thread` reads it with
// the page's shared CodeBook instead (the pickers' book), as happens where
// no worker can start or load the module, and once the page handed its own
// book over with `useCodeBook` (e.g. one opened with licensed packs).
//
// The list is a WAI-ARIA list of buttons with one Tab stop (a roving
// tabindex): Up and Down move, Home and End jump, Escape returns to the
// note. A polite live region says how many suggestions are new. Every text
// is rendered with textContent; the stylesheet is a constructed one, so it
// runs under a strict Content Security Policy.
//
//   <textarea id="note"></textarea>
//   <chartcode-suggest for="note" systems="icd10cm" targets="problems"></chartcode-suggest>

import { loadCodeBook, pageBookInUse } from './chartcode-picker.js';

const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 200;
// The engine refuses notes over 100,000 characters; say so before asking.
const MAX_NOTE = 100_000;
// The pause in typing before the note is read again, and more for a long
// note (a first reading of 10,000 characters takes tens of milliseconds).
const PAUSE_MS = 200;
const LONG_NOTE = 4_000;
const LONG_PAUSE_MS = 400;
const SETTINGS = ['outpatient', 'inpatient', 'snf', 'dental'];
const HIGHLIGHT = 'chartcode-evidence';

const SYSTEM_NAMES = {
  icd10cm: 'ICD-10-CM',
  icd10pcs: 'ICD-10-PCS',
  hcpcs: 'HCPCS',
  icd9cm: 'ICD-9-CM',
  icd9proc: 'ICD-9-CM Vol. 3',
  cpt: 'CPT',
  cdt: 'CDT',
};

const ASSERTION_LABELS = {
  present: 'present',
  negated: 'negated',
  uncertain: 'uncertain',
  historical: 'past',
  family: "a relative's",
  hypothetical: 'hypothetical',
};

const STYLE = `
:host { display: block; font: inherit; color: inherit; --chartcode-accent: #1a56b0; --chartcode-mark: rgb(255 200 0 / 0.45); }
:host([hidden]) { display: none; }
h3 { font-size: 0.95em; margin: 0.75em 0 0.25em; }
ul { list-style: none; margin: 0; padding: 0; }
li { margin: 0 0 0.25em; }
.row { display: flex; align-items: stretch; gap: 0.25em; }
.accept { flex: 1; min-height: 44px; text-align: start; font: inherit; color: inherit; background: Canvas;
  border: 1px solid #9aa4b2; border-radius: 6px; padding: 0.35em 0.6em; cursor: pointer; display: block; }
.accept:hover, .accept:focus-visible { border-color: var(--chartcode-accent); outline: 2px solid var(--chartcode-accent); outline-offset: 1px; }
.dismiss { min-width: 44px; min-height: 44px; font: inherit; background: Canvas; color: inherit;
  border: 1px solid #9aa4b2; border-radius: 6px; cursor: pointer; }
.code { font-weight: 600; font-variant-numeric: tabular-nums; margin-inline-end: 0.4em; }
.badge { font-size: 0.8em; border: 1px solid currentColor; border-radius: 4px; padding: 0 0.3em; margin-inline-start: 0.4em; opacity: 0.8; }
.evidence { display: block; font-size: 0.85em; opacity: 0.85; }
.why { display: block; font-size: 0.85em; margin: 0.2em 0 0.4em 0.6em; }
.why[hidden] { display: none; }
.new .accept { border-color: var(--chartcode-accent); border-width: 2px; }
.fading { opacity: 0.35; transition: opacity 300ms; }
.empty, .message { font-size: 0.9em; opacity: 0.85; margin: 0.25em 0; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
.mirror { position: fixed; overflow: hidden; pointer-events: none; color: transparent; white-space: pre-wrap;
  overflow-wrap: break-word; margin: 0; z-index: 1; }
.mirror mark { color: transparent; background: var(--chartcode-mark); border-radius: 2px; }
@media (prefers-reduced-motion: reduce) { .fading { transition: none; } }
@media (forced-colors: active) {
  .mirror mark { background: Highlight; forced-color-adjust: none; opacity: 0.5; }
  .accept, .dismiss { border-color: ButtonText; }
}
`;

let sheet = null;
function styleSheet() {
  if (!sheet) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(STYLE);
  }
  return sheet;
}

// The highlight of a contenteditable note is painted by the document, so
// its style lives in a document stylesheet (constructed: no inline style).
let documentSheet = null;
function adoptDocumentSheet() {
  if (documentSheet) return;
  documentSheet = new CSSStyleSheet();
  documentSheet.replaceSync(`::highlight(${HIGHLIGHT}) { background-color: rgb(255 200 0 / 0.45); }`);
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, documentSheet];
}

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function keyOf(s) {
  return `${s.system}|${s.code}`;
}

function selectionOf(s) {
  return { system: s.system, code: s.code, display: s.display, billable: s.billable, coding: { ...s.coding } };
}

function errorText(error) {
  const text = String(error?.message ?? error ?? 'unknown error');
  return text.replace(/^chartcode: /, '');
}

let nextId = 0;

// Elements that start a line of a contenteditable note.
const BLOCKS = new Set(['ADDRESS', 'BLOCKQUOTE', 'DD', 'DIV', 'DL', 'DT', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'LI', 'OL', 'P', 'PRE', 'SECTION', 'TABLE', 'TR', 'UL']);

/** A contenteditable's text as a reader sees it, a line break at each
 *  <br> and block (textContent runs "pain</div><div>Asthma" together), and
 *  where each text node starts in it. */
function textOf(root) {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
  let text = '';
  const pieces = [];
  const breakLine = () => {
    if (text && !text.endsWith('\n')) text += '\n';
  };
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.nodeType === Node.TEXT_NODE) {
      pieces.push({ node, at: text.length });
      text += node.data;
    } else if (node.tagName === 'BR') {
      text += '\n';
    } else if (BLOCKS.has(node.tagName)) {
      breakLine();
    }
  }
  return { text, pieces };
}

/** The worker could not start or load the module: read in the page. */
class WorkerUnavailable extends Error {}

let worker = undefined; // undefined: not tried; null: unavailable

/** The one worker every <chartcode-suggest> of the page reads notes in,
 *  started on first use; null where workers cannot start (a CSP without
 *  worker-src 'self', an old browser), and then the page's book is used. */
function sharedWorker() {
  if (worker !== undefined) return worker;
  let w;
  try {
    w = new Worker(new URL('./chartcode-suggest-worker.js', import.meta.url), { type: 'module' });
  } catch {
    worker = null;
    return null;
  }
  const pending = new Map();
  let nextMessage = 0;
  const fail = () => {
    worker = null;
    for (const { reject } of pending.values()) reject(new WorkerUnavailable('the suggestion worker stopped'));
    pending.clear();
    w.terminate();
  };
  w.addEventListener('error', fail);
  w.addEventListener('messageerror', fail);
  w.addEventListener('message', (event) => {
    const { id, suggestions, error, unavailable } = event.data ?? {};
    const waiting = pending.get(id);
    if (!waiting) return;
    pending.delete(id);
    // The worker started but its module did not load: read in the page.
    if (unavailable) {
      waiting.reject(new WorkerUnavailable(error));
      fail();
    } else if (error !== undefined) waiting.reject(new Error(error));
    else waiting.resolve(suggestions);
  });
  worker = {
    read(text, options, today) {
      return new Promise((resolve, reject) => {
        const id = ++nextMessage;
        pending.set(id, { resolve, reject });
        w.postMessage({ id, text, options, today });
      });
    },
  };
  return worker;
}

export class ChartcodeSuggest extends HTMLElement {
  static get observedAttributes() {
    return ['for', 'systems', 'setting', 'limit', 'targets', 'disabled', 'date-of-service', 'main-thread'];
  }

  #root;
  #status;
  #message;
  #suggestedList;
  #notCodedList;
  #suggestedEmpty;
  #mirror;
  #note = null; // the attached element
  #book = null;
  #timer = 0;
  #fadeTimers = new Map();
  #items = new Map(); // key → { suggestion, li, button, why }
  #order = []; // keys, in the order first seen (the list does not jump)
  #accepted = new Set();
  #dismissed = new Set();
  #seen = new Set(); // keys listed before: a key not in it is new
  #highlighted = null; // the key whose evidence is shown
  #generation = 0; // the latest reading asked for
  #listening = false;
  #resizing = null; // a ResizeObserver of the note while its words are lit
  #uid = `chartcode-suggest-${++nextId}`;

  // Listeners kept to be removed: none is left after the element goes.
  #onNoteInput = () => this.#schedule();
  #onNoteScroll = () => this.#placeMirror();
  #onViewport = () => this.#placeMirror();

  constructor() {
    super();
    this.#root = this.attachShadow({ mode: 'open' });
    this.#root.adoptedStyleSheets = [styleSheet()];
    this.#status = el('div', 'visually-hidden');
    this.#status.setAttribute('role', 'status');
    this.#status.setAttribute('aria-live', 'polite');
    this.#message = el('p', 'message');
    this.#message.hidden = true;
    const suggested = el('h3', '', 'Suggested');
    suggested.id = `${this.#uid}-suggested`;
    this.#suggestedList = el('ul');
    this.#suggestedList.setAttribute('role', 'list');
    this.#suggestedList.setAttribute('aria-labelledby', suggested.id);
    this.#suggestedEmpty = el('p', 'empty', 'Nothing to suggest yet.');
    const notCoded = el('h3', '', 'Not coded');
    notCoded.id = `${this.#uid}-not-coded`;
    this.#notCodedList = el('ul');
    this.#notCodedList.setAttribute('role', 'list');
    this.#notCodedList.setAttribute('aria-labelledby', notCoded.id);
    this.#mirror = el('div', 'mirror');
    this.#mirror.setAttribute('aria-hidden', 'true');
    this.#mirror.hidden = true;
    this.#root.append(this.#message, suggested, this.#suggestedList, this.#suggestedEmpty, notCoded, this.#notCodedList, this.#status, this.#mirror);
    this.#root.addEventListener('keydown', (e) => this.#onKeydown(e));
    this.#root.addEventListener('focusin', (e) => this.#onFocus(e.target));
    this.#root.addEventListener('focusout', () => {
      setTimeout(() => {
        if (!this.#root.activeElement) this.#highlight(null);
      }, 0);
    });
    this.#root.addEventListener('pointerover', (e) => this.#onFocus(e.target));
    this.#root.addEventListener('pointerleave', () => {
      if (!this.#root.activeElement) this.#highlight(null);
    });
  }

  connectedCallback() {
    this.#attach();
  }

  disconnectedCallback() {
    this.#generation++; // a reading in flight is for a note no longer read
    this.#detach();
    clearTimeout(this.#timer);
    for (const t of this.#fadeTimers.values()) clearTimeout(t);
    this.#fadeTimers.clear();
  }

  attributeChangedCallback(name, previous, value) {
    if (previous === value || !this.isConnected) return;
    if (name === 'for') this.#attach();
    else if (name === 'disabled') {
      for (const item of this.#items.values()) {
        item.button.disabled = this.disabled;
        item.dismiss.disabled = this.disabled;
      }
      if (!this.disabled) this.#schedule(0);
    } else this.#schedule(0);
  }

  // ---- properties ----

  /** The id of the note element (a textarea, or an element with contenteditable). */
  get htmlFor() {
    return this.getAttribute('for') ?? '';
  }
  set htmlFor(v) {
    this.setAttribute('for', String(v));
  }
  get systems() {
    return this.getAttribute('systems') ?? '';
  }
  set systems(v) {
    this.setAttribute('systems', String(v));
  }
  /** `outpatient` (default), `inpatient`, `snf` or `dental`: whether an uncertain diagnosis is coded. */
  get setting() {
    const s = (this.getAttribute('setting') ?? '').trim();
    return SETTINGS.includes(s) ? s : 'outpatient';
  }
  set setting(v) {
    this.setAttribute('setting', String(v));
  }
  /** Most suggestions: 1 to 200; default 20. */
  get limit() {
    const n = Number.parseInt(this.getAttribute('limit') ?? '', 10);
    return Number.isInteger(n) && n > 0 ? Math.min(n, MAX_LIMIT) : DEFAULT_LIMIT;
  }
  set limit(v) {
    this.setAttribute('limit', String(v));
  }
  /** Ids of `<chartcode-picker multiple>` elements an accepted code goes to. */
  get targets() {
    return this.getAttribute('targets') ?? '';
  }
  set targets(v) {
    this.setAttribute('targets', String(v));
  }
  get disabled() {
    return this.hasAttribute('disabled');
  }
  set disabled(v) {
    this.toggleAttribute('disabled', Boolean(v));
  }
  get dateOfService() {
    return this.getAttribute('date-of-service') ?? '';
  }
  set dateOfService(v) {
    if (v) this.setAttribute('date-of-service', String(v));
    else this.removeAttribute('date-of-service');
  }
  /** The suggestions listed now, in list order (accepted and dismissed ones left out). */
  get suggestions() {
    return this.#order.filter((k) => this.#items.has(k)).map((k) => structuredClone(this.#items.get(k).suggestion));
  }

  /** Reads the note now, without waiting for a pause. Resolves once the list is rendered. */
  refresh() {
    clearTimeout(this.#timer);
    return this.#read();
  }

  // ---- the note ----

  #attach() {
    this.#detach();
    const note = this.htmlFor ? this.getRootNode().getElementById?.(this.htmlFor) ?? document.getElementById(this.htmlFor) : null;
    if (!note) {
      this.#showMessage(this.htmlFor ? `No note element with id "${this.htmlFor}".` : 'No note attached (set "for").');
      this.#clearList();
      return;
    }
    this.#note = note;
    note.addEventListener('input', this.#onNoteInput);
    note.addEventListener('scroll', this.#onNoteScroll, { passive: true });
    this.#schedule(0);
  }

  #detach() {
    this.#generation++;
    this.#highlight(null);
    if (!this.#note) return;
    this.#note.removeEventListener('input', this.#onNoteInput);
    this.#note.removeEventListener('scroll', this.#onNoteScroll);
    this.#note = null;
  }

  #noteText() {
    const note = this.#note;
    if (!note) return '';
    return note instanceof HTMLTextAreaElement || note instanceof HTMLInputElement ? note.value : textOf(note).text;
  }

  #schedule(delay) {
    clearTimeout(this.#timer);
    const long = this.#noteText().length > LONG_NOTE;
    this.#timer = setTimeout(() => this.#read(), delay ?? (long ? LONG_PAUSE_MS : PAUSE_MS));
  }

  async #read() {
    if (!this.#note) return;
    if (this.disabled) return;
    const text = this.#noteText();
    if (text.length > MAX_NOTE) {
      this.#generation++; // a reading still in flight is for an older note
      this.#showMessage(`The note is ${text.length.toLocaleString('en-US')} characters long; suggestions read at most ${MAX_NOTE.toLocaleString('en-US')}.`);
      this.#render([]);
      return;
    }
    const options = { limit: this.limit, setting: this.setting, includeAll: true };
    if (this.systems.trim()) options.systems = this.systems;
    const today = this.dateOfService.trim();
    const generation = ++this.#generation;
    const start = performance.now();
    let found;
    try {
      found = text.trim() ? await this.#suggest(text, options, today) : [];
    } catch (error) {
      if (generation !== this.#generation) return;
      this.#showMessage(errorText(error));
      this.#render([]);
      return;
    }
    // Typing went on while the worker read: only the latest reading shows.
    if (generation !== this.#generation) return;
    const read = performance.now();
    this.#showMessage('');
    this.#render(found, { engineMs: read - start, start });
  }

  /** The engine's answer: from the worker (off the page's thread), or from
   *  the page's shared CodeBook with `main-thread` or where no worker can
   *  start (the pickers' book, e.g. one opened with licensed packs). */
  async #suggest(text, options, today) {
    // The page's own book (licensed packs) is one the worker cannot see.
    const worker = this.hasAttribute('main-thread') || pageBookInUse() ? null : sharedWorker();
    if (worker) {
      try {
        return await worker.read(text, options, today);
      } catch (error) {
        if (!(error instanceof WorkerUnavailable)) throw error;
      }
    }
    if (!this.#book) {
      try {
        this.#book = await loadCodeBook();
      } catch (error) {
        throw new Error(`The code books could not be loaded: ${errorText(error)}`);
      }
    }
    this.#book.setToday(today || new Date());
    return this.#book.suggest(text, options);
  }

  /** Empties the list at once (the note it was read from is gone). */
  #clearList() {
    for (const t of this.#fadeTimers.values()) clearTimeout(t);
    this.#fadeTimers.clear();
    this.#items.clear();
    this.#place();
  }

  #showMessage(text) {
    this.#message.textContent = text;
    this.#message.hidden = !text;
  }

  // ---- the list ----

  /** Updates the list in place: known suggestions keep their place, new
   *  ones are appended and marked new, vanished ones fade out. */
  #render(found, timing = null) {
    const now = new Map();
    for (const s of found) {
      const key = keyOf(s);
      if (!this.#accepted.has(key) && !this.#dismissed.has(key)) now.set(key, s);
    }
    // "New" is what appeared since the last reading; the first reading
    // of a note marks nothing.
    const first = this.#seen.size === 0;
    for (const item of this.#items.values()) item.li.classList.remove('new');
    let added = 0;
    for (const [key, s] of now) {
      const item = this.#items.get(key);
      if (item) {
        item.suggestion = s;
        this.#cancelFade(key, item);
        this.#fill(item);
      } else {
        const fresh = this.#create(s);
        this.#items.set(key, fresh);
        if (!this.#order.includes(key)) this.#order.push(key);
        if (!this.#seen.has(key)) {
          if (!first) fresh.li.classList.add('new');
          if (s.coded) added++;
        }
        this.#seen.add(key);
      }
    }
    for (const [key, item] of this.#items) {
      if (!now.has(key)) this.#fade(key, item);
    }
    this.#place();
    if (this.#highlighted && !now.has(this.#highlighted)) this.#highlight(null);
    else if (this.#highlighted) this.#highlight(this.#highlighted);
    if (added > 0) this.#announce(added === 1 ? '1 new suggestion' : `${added} new suggestions`);
    const detail = { count: [...now.values()].filter((s) => s.coded).length, notCoded: [...now.values()].filter((s) => !s.coded).length };
    if (timing) {
      // What the reading cost the page's thread: the engine, then the list.
      detail.engineMs = timing.engineMs;
      detail.renderMs = performance.now() - timing.start - timing.engineMs;
    }
    this.#emit('chartcode-suggestions', detail);
  }

  /** Puts every item in its group, in first-seen order; one Tab stop. */
  #place() {
    const suggested = [];
    const notCoded = [];
    for (const key of this.#order) {
      const item = this.#items.get(key);
      if (!item) continue;
      (item.suggestion.coded ? suggested : notCoded).push(item.li);
    }
    this.#suggestedList.replaceChildren(...suggested);
    this.#notCodedList.replaceChildren(...notCoded);
    this.#suggestedEmpty.hidden = suggested.length > 0;
    const buttons = this.#buttons();
    const focused = buttons.find((b) => b.tabIndex === 0 && this.#root.activeElement === b);
    buttons.forEach((b, i) => (b.tabIndex = (focused ? b === focused : i === 0) ? 0 : -1));
  }

  #buttons() {
    return [...this.#root.querySelectorAll('li:not(.fading) .accept')];
  }

  #create(s) {
    const li = el('li', 'item');
    const button = el('button', 'accept');
    button.type = 'button';
    button.part.add('suggestion');
    const dismiss = el('button', 'dismiss', '×');
    dismiss.type = 'button';
    dismiss.tabIndex = -1;
    dismiss.part.add('dismiss');
    const why = el('span', 'why');
    why.hidden = true;
    why.id = `${this.#uid}-why-${nextId++}`;
    const item = { suggestion: s, li, button, dismiss, why };
    button.addEventListener('click', () => this.#accept(keyOf(item.suggestion)));
    dismiss.addEventListener('click', () => this.#dismiss(keyOf(item.suggestion)));
    li.dataset.key = keyOf(s);
    const row = el('div', 'row');
    row.append(button, dismiss);
    li.append(row, why);
    this.#fill(item);
    return item;
  }

  #fill(item) {
    const s = item.suggestion;
    const code = el('span', 'code', s.code);
    const title = el('span', 'title', s.display);
    const system = el('span', 'badge', SYSTEM_NAMES[s.system] ?? s.system);
    const parts = [code, title, system];
    if (s.billable) parts.push(el('span', 'badge', 'billable'));
    if (!s.coded || s.assertion !== 'present') parts.push(el('span', 'badge assertion', ASSERTION_LABELS[s.assertion] ?? s.assertion));
    const words = s.evidence.map((e) => `“${e.text}”`).join(' · ');
    parts.push(el('span', 'evidence', words));
    item.why.textContent = s.why;
    // Spaces between the parts: the button's name reads as words.
    item.button.replaceChildren(...parts.flatMap((p, i) => (i === 0 ? [p] : [' ', p])));
    // The name is the button's text (code, title, system, badges, the
    // words): what is seen is what is read. The why describes it.
    item.button.setAttribute('aria-describedby', item.why.id);
    item.dismiss.setAttribute('aria-label', `Dismiss ${s.code} ${s.display}`);
    item.button.disabled = this.disabled;
    item.dismiss.disabled = this.disabled;
  }

  #fade(key, item) {
    if (this.#fadeTimers.has(key)) return;
    const focused = this.#root.activeElement === item.button || this.#root.activeElement === item.dismiss;
    const buttons = this.#buttons();
    const at = buttons.indexOf(item.button);
    item.li.classList.add('fading');
    item.button.tabIndex = -1;
    if (focused) {
      // Focus goes to its neighbour, not to the page's body.
      const rest = this.#buttons();
      const next = rest[Math.min(at, rest.length - 1)];
      if (next) this.#focusButton(next);
      else this.#note?.focus();
    }
    const reduced = matchMedia('(prefers-reduced-motion: reduce)').matches;
    this.#fadeTimers.set(
      key,
      setTimeout(
        () => {
          this.#fadeTimers.delete(key);
          this.#items.delete(key);
          item.li.remove();
          this.#place();
        },
        reduced ? 0 : 300,
      ),
    );
  }

  #cancelFade(key, item) {
    const t = this.#fadeTimers.get(key);
    if (t === undefined) return;
    clearTimeout(t);
    this.#fadeTimers.delete(key);
    item.li.classList.remove('fading');
  }

  // ---- accepting and dismissing ----

  #accept(key) {
    const item = this.#items.get(key);
    if (!item || this.disabled) return;
    const selection = selectionOf(item.suggestion);
    this.#accepted.add(key);
    this.#remove(key);
    // The first target that lists the code's system takes it (one that
    // has it already keeps it: it goes nowhere else).
    for (const id of this.targets.split(/\s+/).filter(Boolean)) {
      const picker = document.getElementById(id);
      if (!picker || typeof picker.add !== 'function') continue;
      const systems = String(picker.systems ?? '').split(/[\s,]+/).filter(Boolean);
      if (systems.length > 0 && !systems.includes(selection.system)) continue;
      picker.add(selection);
      break;
    }
    this.#announce(`${selection.code} ${selection.display} accepted.`);
    this.#emit('chartcode-select', selection);
  }

  #dismiss(key) {
    const item = this.#items.get(key);
    if (!item || this.disabled) return;
    const selection = selectionOf(item.suggestion);
    this.#dismissed.add(key);
    this.#remove(key);
    this.#announce(`${selection.code} dismissed.`);
    this.#emit('chartcode-dismiss', selection);
  }

  /** Takes an item out, moving focus to its neighbour (or to the note). */
  #remove(key) {
    const buttons = this.#buttons();
    const item = this.#items.get(key);
    const at = buttons.indexOf(item.button);
    const hadFocus = this.#root.activeElement === item.button || this.#root.activeElement === item.dismiss;
    this.#items.delete(key);
    item.li.remove();
    if (this.#highlighted === key) this.#highlight(null);
    this.#place();
    if (!hadFocus) return;
    const rest = this.#buttons();
    const next = rest[Math.min(at, rest.length - 1)];
    if (next) this.#focusButton(next);
    else this.#note?.focus();
  }

  // ---- keyboard ----

  #onKeydown(event) {
    const buttons = this.#buttons();
    const target = event.target;
    const at = buttons.indexOf(target.closest?.('li')?.querySelector('.accept'));
    if (at < 0) return;
    const key = target.closest('li').dataset.key;
    switch (event.key) {
      case 'ArrowDown':
      case 'ArrowUp': {
        event.preventDefault();
        const next = buttons[Math.max(0, Math.min(buttons.length - 1, at + (event.key === 'ArrowDown' ? 1 : -1)))];
        this.#focusButton(next);
        break;
      }
      case 'Home':
      case 'End':
        event.preventDefault();
        this.#focusButton(event.key === 'Home' ? buttons[0] : buttons[buttons.length - 1]);
        break;
      case 'Delete':
      case 'Backspace':
        event.preventDefault();
        this.#dismiss(key);
        break;
      case 'Escape':
        event.preventDefault();
        this.#highlight(null);
        this.#note?.focus();
        break;
      default:
    }
  }

  #focusButton(button) {
    for (const b of this.#buttons()) b.tabIndex = b === button ? 0 : -1;
    button.focus();
  }

  #onFocus(target) {
    const li = target?.closest?.('li');
    if (!li || !this.#items.has(li.dataset.key)) return;
    for (const item of this.#items.values()) item.why.hidden = item.li !== li;
    this.#highlight(li.dataset.key);
  }

  // ---- evidence in the note ----

  /** Shows the evidence of `key` in the note (null: none). The note's text,
   *  selection and caret are never touched. */
  #highlight(key) {
    this.#highlighted = key;
    const item = key ? this.#items.get(key) : null;
    const spans = item ? item.suggestion.evidence : [];
    const note = this.#note;
    if (note && !(note instanceof HTMLTextAreaElement) && typeof Highlight === 'function' && CSS.highlights) {
      adoptDocumentSheet();
      if (spans.length === 0) CSS.highlights.delete(HIGHLIGHT);
      else CSS.highlights.set(HIGHLIGHT, new Highlight(...spans.map((s) => this.#range(note, s.start, s.end)).filter(Boolean)));
      return;
    }
    if (!note || spans.length === 0) {
      this.#mirror.hidden = true;
      this.#mirror.replaceChildren();
      this.#listen(false);
      return;
    }
    const text = this.#noteText();
    const pieces = [];
    let at = 0;
    for (const s of [...spans].sort((a, b) => a.start - b.start)) {
      if (s.start < at || s.end > text.length) continue;
      pieces.push(document.createTextNode(text.slice(at, s.start)));
      pieces.push(el('mark', '', text.slice(s.start, s.end)));
      at = s.end;
    }
    // A trailing newline needs a character after it to take its line.
    pieces.push(document.createTextNode(`${text.slice(at)}\u200b`));
    this.#mirror.replaceChildren(...pieces);
    this.#mirror.hidden = false;
    this.#placeMirror();
    this.#listen(true);
  }

  /** Lays the mirror exactly over the textarea: its box, font and scroll. */
  #placeMirror() {
    const note = this.#note;
    if (this.#mirror.hidden || !note) return;
    const box = note.getBoundingClientRect();
    const css = getComputedStyle(note);
    const m = this.#mirror.style;
    for (const p of ['font-family', 'font-size', 'font-weight', 'font-style', 'line-height', 'letter-spacing', 'word-spacing',
      'text-indent', 'text-transform', 'tab-size', 'padding-top', 'padding-right', 'padding-bottom', 'padding-left',
      'border-top-width', 'border-right-width', 'border-bottom-width', 'border-left-width', 'direction']) {
      m.setProperty(p, css.getPropertyValue(p));
    }
    // The mirror's box is the textarea's border box, whatever its own sizing.
    m.boxSizing = 'border-box';
    m.borderStyle = 'solid';
    m.borderColor = 'transparent';
    m.left = `${box.left}px`;
    m.top = `${box.top}px`;
    m.width = `${box.width}px`;
    m.height = `${box.height}px`;
    // The textarea's scrollbar narrows its text: narrow the mirror's too.
    m.paddingRight = `calc(${css.paddingRight} + ${note.offsetWidth - note.clientWidth - parseFloat(css.borderLeftWidth) - parseFloat(css.borderRightWidth)}px)`;
    this.#mirror.scrollTop = note.scrollTop;
    this.#mirror.scrollLeft = note.scrollLeft;
  }

  #listen(on) {
    if (on === this.#listening) return;
    this.#listening = on;
    if (on) {
      window.addEventListener('scroll', this.#onViewport, { passive: true, capture: true });
      window.addEventListener('resize', this.#onViewport, { passive: true });
      // The textarea resized by its handle, or by the page.
      this.#resizing = new ResizeObserver(this.#onViewport);
      if (this.#note) this.#resizing.observe(this.#note);
    } else {
      window.removeEventListener('scroll', this.#onViewport, { capture: true });
      window.removeEventListener('resize', this.#onViewport);
      this.#resizing?.disconnect();
      this.#resizing = null;
    }
  }

  /** A DOM Range over UTF-16 offsets `start..end` of a contenteditable's
   *  text, as `textOf` reads it. */
  #range(root, start, end) {
    const range = document.createRange();
    let started = false;
    for (const { node, at } of textOf(root).pieces) {
      const len = node.data.length;
      if (!started && start <= at + len && start >= at) {
        range.setStart(node, start - at);
        started = true;
      }
      if (started && end <= at + len) {
        range.setEnd(node, Math.max(0, end - at));
        return range;
      }
    }
    return null;
  }

  #announce(message) {
    this.#status.textContent = '';
    if (message) setTimeout(() => (this.#status.textContent = message), 30);
  }

  #emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }
}

if (!customElements.get('chartcode-suggest')) {
  customElements.define('chartcode-suggest', ChartcodeSuggest);
}
