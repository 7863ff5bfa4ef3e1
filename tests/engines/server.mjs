// The static host the cross-engine suite drives: dist/ with public/_headers, as a static host serves
// it, plus one probe script put first into every HTML page (after the CSP, which it obeys).
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';
import { headersForPath, readHeadersFile } from '../../scripts/headers.mjs';

/** @type {Record<string, string>} */
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.webmanifest': 'application/manifest+json',
  '.json': 'application/json',
};

export const PROBE_PATH = '/__engines-probe.js';
const PROBE_FILE = resolve(import.meta.dirname, 'probe.js');

/**
 * Serve `dir` on 127.0.0.1 (port 0: the system picks a free one). `stop()` closes every connection,
 * which is how a check takes the network away; `start()` serves again on the same port.
 * @param {string} dir
 */
export async function engineServer(dir) {
  const root = resolve(dir);
  const rules = readHeadersFile(join(root, '_headers'));
  const sockets = new Set();
  const server = createServer((req, res) => {
    void (async () => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      if (path === PROBE_PATH) {
        res.writeHead(200, { 'Content-Type': TYPES['.js'], 'Cache-Control': 'no-store' });
        return void res.end(await readFile(PROBE_FILE));
      }
      const file = normalize(join(root, path === '/' ? 'index.html' : path));
      if (!file.startsWith(root)) return void res.writeHead(403).end();
      try {
        let body = await readFile(file);
        if (extname(file) === '.html') {
          body = Buffer.from(
            body
              .toString('utf8')
              .replace(
                /(<meta\s+http-equiv="Content-Security-Policy"[^>]*>)/,
                `$1<script src="${PROBE_PATH}"></script>`,
              ),
          );
        }
        for (const [name, value] of headersForPath(rules, path)) res.setHeader(name, value);
        res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body);
      } catch {
        res.writeHead(404).end('not found');
      }
    })();
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  /** @param {number} port */
  const listen = (port) =>
    new Promise((ok, fail) => server.once('error', fail).listen(port, '127.0.0.1', () => ok(undefined)));
  await listen(0);
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    port,
    url: `http://127.0.0.1:${port}/`,
    /** Stop serving: the browser sees the network gone. */
    async stop() {
      const closed = new Promise((ok) => server.close(() => ok(undefined)));
      for (const s of sockets) s.destroy();
      await closed;
    },
    async start() {
      if (!server.listening) await listen(port);
    },
  };
}
