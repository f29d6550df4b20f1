// The worker <chartcode-suggest> reads notes in, off the page's thread: a
// first reading of a long note takes tens of milliseconds, which typing
// must not wait for. It opens its own CodeBook (the same module, loaded
// from this directory: no request leaves the origin) and answers one
// message per reading: { id, text, options, today } → { id, suggestions }
// or { id, error }.
import init, { CodeBook } from './index.js';

let book = null;
const ready = init().then(() => {
  book = new CodeBook();
});

self.addEventListener('message', async (event) => {
  const { id, text, options, today } = event.data ?? {};
  try {
    await ready;
  } catch (error) {
    // The module did not load here: the page reads notes itself.
    self.postMessage({ id, unavailable: true, error: String(error?.message ?? error) });
    return;
  }
  try {
    book.setToday(today || new Date());
    self.postMessage({ id, suggestions: book.suggest(String(text ?? ''), options ?? {}) });
  } catch (error) {
    self.postMessage({ id, error: String(error?.message ?? error) });
  }
});
