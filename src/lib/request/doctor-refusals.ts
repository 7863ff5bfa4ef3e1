/**
 * What the doctor refuses before any scheme looks at a request, the same for every scheme: a header
 * line the paste does not show (framing), a Host that is not the URL's, and a signed header that
 * cannot be read one way only. Generic: request/ knows no partner and no scheme.
 */
import type { ErrorCode } from '../errors';
import { ours, rich, type Rich } from '../rich';
import { header, type ParsedRequest } from './types';

/** Why a request is refused, in keybench's words with the pasted text kept apart. */
export interface RequestRefusal {
  code: ErrorCode;
  parts: Rich;
}

/**
 * A signed header the doctor cannot read one way only: sent twice (servers pick the first, the
 * last, or join them), or holding characters besides visible ASCII, space and tab (a no-break
 * space or a line separator at the end looks like nothing, yet it is part of the bytes sent).
 */
export function signedHeaderProblem(req: ParsedRequest, names: readonly string[]): RequestRefusal | null {
  for (const name of names) {
    const lines = req.headers.filter(([n]) => n.toLowerCase() === name);
    if (lines.length > 1) {
      return {
        code: 'ERR_REQUEST_DUPLICATE_HEADER',
        parts: rich`The request sends ${ours(name)} ${ours(String(lines.length))} times (${lines.map(([n, v]) => `${n}: ${v}`).join(' | ')}). Servers disagree on which one counts (the first, the last, or both joined by a comma), so keybench cannot say which was verified: send it once.`,
      };
    }
    const value = lines[0]?.[1] ?? '';
    const ch = /[^\x20-\x7e\t]/.exec(value)?.[0];
    if (ch !== undefined) {
      const cp = `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
      return {
        code: 'ERR_REQUEST_HEADER_VALUE',
        parts: rich`The ${ours(name)} header holds the character ${ours(cp)}, which is not visible ASCII: ${value}. It is part of the bytes sent but looks like nothing; a server reads it differently than it looks. Send the header in plain ASCII.`,
      };
    }
  }
  return null;
}

/**
 * A header value holding CR, LF or NUL: sent as written, it makes more header lines than the paste
 * shows (a second x-sign, say), so nothing about the request can be said for sure.
 */
function framingProblem(req: ParsedRequest): RequestRefusal | null {
  const bad = req.headers.find(([, v]) => /[\r\n\0]/.test(v));
  return bad
    ? {
        code: 'ERR_REQUEST_HEADER_VALUE',
        parts: rich`The ${bad[0]} header holds a line break or NUL. Sent as written it starts another header line, so the server reads headers the paste does not show. Send each header on its own line.`,
      }
    : null;
}

/** A Host header that names another host than the URL: the server routes by Host, keybench verified the URL. */
export function hostProblem(req: ParsedRequest): RequestRefusal | null {
  const host = header(req, 'host');
  if (host === undefined) return null;
  let url: URL;
  try {
    url = new URL(req.url);
  } catch {
    return null;
  }
  const sent = host.replace(/^[ \t]+|[ \t]+$/g, '').toLowerCase();
  // A default port may be written or not, but only the URL's own scheme's (http:80, https:443).
  const defaultPort = url.protocol === 'https:' ? '443' : url.protocol === 'http:' ? '80' : undefined;
  const bare = (h: string) =>
    defaultPort && h.endsWith(`:${defaultPort}`) ? h.slice(0, -defaultPort.length - 1) : h;
  if (bare(sent) === bare(url.host.toLowerCase())) return null;
  return {
    code: 'ERR_REQUEST_HEADER_VALUE',
    parts: rich`The Host header says ${host}, but the URL's host is ${url.host}. The server answers for the Host it is sent, while the signature was checked over the URL: send the Host of the URL.`,
  };
}

/**
 * Every refusal that does not depend on the scheme, in the order the doctor applies them: framing,
 * then the signed headers (Host first), then Host against the URL.
 */
export function genericRefusal(req: ParsedRequest, signedHeaders: readonly string[]): RequestRefusal | null {
  return framingProblem(req) ?? signedHeaderProblem(req, ['host', ...signedHeaders]) ?? hostProblem(req);
}
