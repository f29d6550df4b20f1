export * from './chartcode_core.js';

/**
 * Instantiates the module (from memory: no request is made). Await it once
 * before `new CodeBook()`; later calls return the same promise.
 */
export default function init(): Promise<void>;
