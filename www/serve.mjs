// A small static server for the demo, the browser tests and the browser
// bench: www/ at `/`, the built npm package (pkg/) at `/pkg/`. Every
// response carries the strict Content Security Policy the package is made
// for, so whatever runs here also runs on a locked-down EHR page.
//
//   node www/serve.mjs [--port 8080] [--host 127.0.0.1] [--quiet]
//
// Node.js built-ins only.

import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'none'";

const here = fileURLToPath(new URL('.', import.meta.url));
const ROOTS = [
  ['/pkg/', resolve(here, '..', 'pkg')],
  ['/', resolve(here)],
];

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/plain; charset=utf-8',
  '.ts': 'text/plain; charset=utf-8',
};

/** The file a URL path names, or null when it is outside the served folders. */
function fileFor(urlPath) {
  let path;
  try {
    path = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (path.includes('\0')) return null;
  for (const [prefix, dir] of ROOTS) {
    if (path === prefix.slice(0, -1) && prefix !== '/') path = prefix;
    if (!path.startsWith(prefix)) continue;
    const file = normalize(join(dir, path.slice(prefix.length)));
    return file === dir || file.startsWith(dir + sep) ? file : null;
  }
  return null;
}

export function startServer({ port = 8080, host = '127.0.0.1', quiet = false } = {}) {
  const server = createServer(async (req, res) => {
    const send = (status, body, type = 'text/plain; charset=utf-8') => {
      res.writeHead(status, {
        'Content-Type': type,
        'Content-Security-Policy': CSP,
        'X-Content-Type-Options': 'nosniff',
        // Cross-origin isolation: nothing here is cross-origin anyway, and
        // it gives the benches performance.now() at 5 µs, not 100 µs.
        'Cross-Origin-Opener-Policy': 'same-origin',
        'Cross-Origin-Embedder-Policy': 'require-corp',
        'Cache-Control': 'no-cache',
      });
      res.end(body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'method not allowed\n');
    const url = new URL(req.url ?? '/', 'http://localhost');
    let file = fileFor(url.pathname);
    if (file === null) return send(403, 'forbidden\n');
    try {
      if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
      const body = await readFile(file);
      if (!quiet) console.log(`${req.method} ${url.pathname} 200`);
      send(200, req.method === 'HEAD' ? undefined : body, TYPES[extname(file)] ?? 'application/octet-stream');
    } catch {
      if (!quiet) console.log(`${req.method} ${url.pathname} 404`);
      send(404, 'not found\n');
    }
  });
  return new Promise((done, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => done(server));
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const option = (name, fallback) => {
    const i = args.indexOf(name);
    return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
  };
  const port = Number(option('--port', process.env.PORT ?? 8080));
  const host = option('--host', '127.0.0.1');
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    console.error(`serve: bad port ${port}`);
    process.exit(2);
  }
  startServer({ port, host, quiet: args.includes('--quiet') }).then(
    () => console.log(`chartcode: serving http://${host}:${port}/ (Ctrl-C stops)`),
    (e) => {
      console.error(`serve: cannot listen on ${host}:${port}: ${e.message}`);
      process.exit(2);
    },
  );
}
