/**
 * A capture server for the curl differential: a plain TCP server on 127.0.0.1 (not node:http,
 * whose parser refuses odd methods and targets) that records the raw bytes of each request it
 * receives (request line, header lines, body framed by Content-Length or chunked) and answers 200.
 */
import { createServer, type Server, type Socket } from 'node:net';

/** One request as the server received it: the bytes, split where HTTP/1.1 splits them. */
export interface Captured {
  requestLine: string;
  method: string;
  target: string;
  /** Header lines in order, the value without the SP/HTAB around it (as a server reads it). */
  headers: [string, string][];
  /** The body bytes (chunked: the data of the chunks). */
  body: Buffer;
}

/** The head and body of the request at the start of `buf`, or undefined while it is incomplete. */
function parseOne(buf: Buffer): { req: Captured; used: number } | undefined {
  const end = buf.indexOf('\r\n\r\n');
  if (end === -1) return undefined;
  const lines = buf.subarray(0, end).toString('latin1').split('\r\n');
  const requestLine = lines[0] ?? '';
  const sp1 = requestLine.indexOf(' ');
  const sp2 = requestLine.lastIndexOf(' ');
  const headers = lines.slice(1).map((l): [string, string] => {
    const c = l.indexOf(':');
    return [l.slice(0, c), l.slice(c + 1).replace(/^[ \t]+|[ \t]+$/g, '')];
  });
  const get = (n: string) => headers.find(([k]) => k.toLowerCase() === n)?.[1];
  let pos = end + 4;
  let body: Buffer;
  if (/chunked/i.test(get('transfer-encoding') ?? '')) {
    const parts: Buffer[] = [];
    for (let guard = 0; guard < 100_000; guard++) {
      const nl = buf.indexOf('\r\n', pos);
      if (nl === -1) return undefined;
      const size = parseInt(buf.subarray(pos, nl).toString('latin1'), 16);
      if (Number.isNaN(size)) throw new Error('bad chunk size');
      if (buf.length < nl + 2 + size + 2) return undefined;
      parts.push(buf.subarray(nl + 2, nl + 2 + size));
      pos = nl + 2 + size + 2;
      if (size === 0) break;
    }
    body = Buffer.concat(parts);
  } else {
    const n = Number(get('content-length') ?? '0');
    if (buf.length < pos + n) return undefined;
    body = buf.subarray(pos, pos + n);
    pos += n;
  }
  return {
    req: {
      requestLine,
      method: requestLine.slice(0, sp1),
      target: requestLine.slice(sp1 + 1, sp2),
      headers,
      body: Buffer.from(body),
    },
    used: pos,
  };
}

/** A running capture server: its base URL, and the requests received since the last `take()`. */
export interface CaptureServer {
  base: string;
  take(): Captured[];
  close(): Promise<void>;
}

/** Starts a capture server on 127.0.0.1 on a random port. */
export async function startCapture(): Promise<CaptureServer> {
  let got: Captured[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    let buf = Buffer.alloc(0);
    let continued = false;
    socket.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      const headEnd = buf.indexOf('\r\n\r\n');
      if (
        !continued &&
        headEnd !== -1 &&
        /\r\nexpect:[ \t]*100-continue/i.test(buf.toString('latin1', 0, headEnd))
      ) {
        continued = true;
        socket.write('HTTP/1.1 100 Continue\r\n\r\n');
      }
      let one: ReturnType<typeof parseOne>;
      try {
        one = parseOne(buf);
      } catch {
        socket.destroy();
        return;
      }
      if (!one) return;
      got.push(one.req);
      buf = buf.subarray(one.used);
      socket.end('HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok');
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return {
    base: `http://127.0.0.1:${address.port}`,
    take() {
      const t = got;
      got = [];
      return t;
    },
    close() {
      for (const s of sockets) s.destroy();
      return new Promise<void>((r) => server.close(() => r()));
    },
  };
}
