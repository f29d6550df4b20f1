// Bundled by esbuild in the browser test, as an app bundler would: the
// package resolved by name, no plugin, no asset handling.
export { default, CodeBook } from 'chartcode';
