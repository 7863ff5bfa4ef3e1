/**
 * URL mistakes, as data: Qredo signs the full URL exactly as sent (scheme, host, path, query). A
 * signer may leave out the query, the scheme and host, or a slash, or encode it another way.
 */
import { mistake, type QredoCtx, type QredoMistake } from './variants';

/** A URL cut into the pieces a signer may get wrong. */
interface UrlParts {
  scheme: string;
  host: string;
  path: string;
  query: string;
}

function splitUrl(url: string): UrlParts | null {
  const m = /^([A-Za-z][A-Za-z0-9+.-]*:\/\/)([^/?#]*)([^?#]*)(\?[^#]*)?(#.*)?$/.exec(url);
  if (!m) return null;
  return { scheme: m[1]!, host: m[2]!, path: m[3]!, query: m[4] ?? '' };
}

function safeDecode(s: string): string | null {
  try {
    return decodeURIComponent(s);
  } catch {
    return null;
  }
}

/** A URL mistake: `signed` gives the URL signed instead (null or '' when it does not apply). */
function urlMistake(
  def: { id: string; code: QredoMistake['code']; title: string; explanation: string; remedy: string },
  signed: (u: UrlParts, url: string) => string | null,
): QredoMistake {
  return mistake({
    ...def,
    variants: (ctx: QredoCtx) => {
      const u = splitUrl(ctx.sent.url);
      const url = u ? signed(u, ctx.sent.url) : null;
      return url ? [(p) => ({ ...p, url })] : [];
    },
  });
}

const FULL_URL =
  'Qredo signs the full URL as sent (https://host/path?query), not the path: sign the same string the HTTP client requests.';

/** The query, the scheme and host, the trailing slash. */
const SHAPE_MISTAKES: readonly QredoMistake[] = [
  urlMistake(
    {
      id: 'url-no-query',
      code: 'ERR_QREDO_URL_NO_QUERY',
      title: 'URL signed without its query string',
      explanation: 'The query string was left out of the signed message, but it is sent.',
      remedy:
        'Sign the full URL exactly as sent, query string included (build the URL once, with its query, and use that string both to sign and to send).',
    },
    (u) => (u.query ? `${u.scheme}${u.host}${u.path}` : null),
  ),
  urlMistake(
    {
      id: 'url-path-only',
      code: 'ERR_QREDO_URL_PATH_ONLY',
      title: 'Path signed instead of the full URL',
      explanation:
        'The signed message holds the path and query where Qredo expects the full URL with scheme and host.',
      remedy: FULL_URL,
    },
    (u) => `${u.path || '/'}${u.query}`,
  ),
  urlMistake(
    {
      id: 'url-path-only-no-query',
      code: 'ERR_QREDO_URL_PATH_ONLY',
      title: 'Path without query signed instead of the full URL',
      explanation: 'The signed message holds only the path, without scheme, host or query.',
      remedy: FULL_URL,
    },
    (u) => (u.query ? u.path || '/' : null),
  ),
  urlMistake(
    {
      id: 'url-no-scheme',
      code: 'ERR_QREDO_URL_PATH_ONLY',
      title: 'URL signed without its scheme',
      explanation: 'The signed URL lacks its scheme (https://).',
      remedy: 'Sign the full URL as sent, scheme included (https://…).',
    },
    (u) => `${u.host}${u.path}${u.query}`,
  ),
  ...(['added', 'removed'] as const).map((how) =>
    urlMistake(
      {
        id: `url-slash-${how}`,
        code: 'ERR_QREDO_URL_TRAILING_SLASH',
        title:
          how === 'removed'
            ? 'URL signed without the trailing slash it is sent with'
            : 'URL signed with a trailing slash it is sent without',
        explanation: 'One slash at the end of the path changes the signed bytes.',
        remedy:
          'Use one URL string for both signing and sending; watch for a base URL ending in "/" joined to a path starting with "/", or a router that adds or removes the slash.',
      },
      (u) => {
        const ends = u.path.endsWith('/') && u.path.length > 1;
        if (ends !== (how === 'removed')) return null;
        return `${u.scheme}${u.host}${ends ? u.path.slice(0, -1) : `${u.path}/`}${u.query}`;
      },
    ),
  ),
];

/** The ways a URL's percent-encoding is redone: how, in words, and the URL it gives. */
const ENCODINGS: readonly [how: string, recode: (u: UrlParts, url: string) => string | null][] = [
  ['decoded', (u) => decoded(u)],
  [
    'encodeURI',
    (u) => {
      const d = decoded(u);
      try {
        return d === null ? null : encodeURI(d);
      } catch {
        return null; // lone surrogates: no encodeURI form
      }
    },
  ],
  ['lower-case hex', (_u, url) => url.replace(/%[0-9a-fA-F]{2}/g, (m) => m.toLowerCase())],
  ['upper-case hex', (_u, url) => url.replace(/%[0-9a-fA-F]{2}/g, (m) => m.toUpperCase())],
  [
    '%20 for +',
    (u) => (u.query.includes('+') ? `${u.scheme}${u.host}${u.path}${u.query.replace(/\+/g, '%20')}` : null),
  ],
  [
    '+ for %20',
    (u) => (u.query.includes('%20') ? `${u.scheme}${u.host}${u.path}${u.query.replace(/%20/g, '+')}` : null),
  ],
  [
    'normalised by a URL parser',
    (_u, url) => {
      try {
        return new URL(url).href;
      } catch {
        return null;
      }
    },
  ],
];

function decoded(u: UrlParts): string | null {
  const path = safeDecode(u.path);
  const query = safeDecode(u.query);
  return path === null || query === null ? null : `${u.scheme}${u.host}${path}${query}`;
}

/** Every URL mistake, in the order the search tries them. */
export const URL_MISTAKES: readonly QredoMistake[] = [
  ...SHAPE_MISTAKES,
  ...ENCODINGS.map(([how, recode]) =>
    urlMistake(
      {
        id: `url-encoding-${how}`,
        code: 'ERR_QREDO_URL_ENCODING',
        title: `URL signed with other percent-encoding (${how})`,
        explanation: 'The signed URL and the URL sent name the same resource but are different bytes.',
        remedy:
          'Sign the URL string exactly as the HTTP client sends it, after it has been encoded: encode the path and query once, then use that string for both signing and the request.',
      },
      recode,
    ),
  ),
];
