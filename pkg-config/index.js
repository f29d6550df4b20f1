// chartcode: medical code books searched in the browser.
//
// The WebAssembly module is inlined in chartcode_wasm.js (gzip, then
// base64) and instantiated from memory, so loading it makes no request:
// the package works under a CSP with `connect-src 'none'`, in Node.js, and
// through any bundler, with no .wasm asset to copy or serve.

import initModule from './chartcode_core.js';
import wasmGzipBase64 from './chartcode_wasm.js';

export * from './chartcode_core.js';

let ready = null;

/**
 * Instantiates the module. Call it (and await it) once before
 * `new CodeBook()`; later calls return the same promise.
 * @returns {Promise<void>}
 */
export default function init() {
  if (ready === null) {
    ready = instantiate().catch((error) => {
      ready = null;
      throw error;
    });
  }
  return ready;
}

async function instantiate() {
  const compressed = base64ToBytes(wasmGzipBase64);
  const inflated = new Blob([compressed]).stream().pipeThrough(new DecompressionStream('gzip'));
  const bytes = await new Response(inflated).arrayBuffer();
  await initModule({ module_or_path: bytes });
}

function base64ToBytes(text) {
  if (typeof Uint8Array.fromBase64 === 'function') {
    return Uint8Array.fromBase64(text);
  }
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) {
    bytes[i] = binary.charCodeAt(i);
  }
  return bytes;
}
