import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { headersForPath, readHeadersFile } from '../../scripts/headers.mjs';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.webmanifest': 'application/manifest+json',
};

/**
 * A static host for a copy of the build, as Netlify or Cloudflare Pages would serve it (with its
 * _headers), for tests that change the served files under a running page.
 */
export async function serveFolder(dir: string, port: number): Promise<Server> {
  const server = createServer((req, res) => {
    void (async () => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      const file = normalize(join(dir, path === '/' ? 'index.html' : path));
      if (!file.startsWith(dir)) return void res.writeHead(403).end();
      try {
        const body = await readFile(file);
        for (const [name, value] of headersForPath(readHeadersFile(join(dir, '_headers')), path))
          res.setHeader(name, value);
        res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body);
      } catch {
        res.writeHead(404).end('not found');
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return server;
}
