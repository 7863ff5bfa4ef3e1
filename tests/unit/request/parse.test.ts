import { describe, expect, it } from 'vitest';
import { execFile, execFileSync } from 'node:child_process';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { parseRequest, MAX_REQUEST_BYTES } from '../../../src/lib/request/parse';
import { sniffRequest } from '../../../src/lib/request/sniff';
import { curlUrlEncode } from '../../../src/lib/request/curl';
import { decodeAnsiC, shellWords } from '../../../src/lib/request/command-words';
import { header, type ParsedRequest, type RequestParse } from '../../../src/lib/request/types';
import { plain, type Rich } from '../../../src/lib/rich';

/** The request every form below writes: a Qredo-style signed POST. */
const URL_ = 'https://play-api.qredo.network/api/v1/p/company?x=1';
const HEADERS: [string, string][] = [
  ['x-api-key', 'key-123'],
  ['x-sign', 'c2lnbmF0dXJlK/0='],
  ['x-timestamp', '1700000000'],
  ['Content-Type', 'application/json'],
];
/** A body with a space, a single quote and escaped double quotes. */
const BODY = '{"name": "a b", "s": "it\'s \\"q\\""}';
/** The same with CR LF inside and a trailing newline. */
const BODY_CRLF = '{"name": "a b",\r\n "s": "it\'s \\"q\\""}\n';

/** A string in bash single quotes. */
const sq = (s: string): string => "'" + s.replaceAll("'", "'\\''") + "'";
/** A string in bash double quotes. */
const dq = (s: string): string => '"' + s.replace(/[\\"$`]/g, '\\$&') + '"';
/** A string as a bash $'…' ANSI-C string. */
const ansi = (s: string): string =>
  "$'" +
  s.replace(/[\\'\r\n\t]/g, (c) =>
    c === '\r' ? '\\r' : c === '\n' ? '\\n' : c === '\t' ? '\\t' : '\\' + c,
  ) +
  "'";

function request(r: RequestParse): ParsedRequest {
  if (r.kind !== 'request') throw new Error('expected a request, got ' + JSON.stringify(r));
  return r.request;
}

/** The request fields every form must agree on. */
function expectSame(r: RequestParse, body: string): void {
  const req = request(r);
  expect(req.method).toBe('POST');
  expect(req.url).toBe(URL_);
  for (const [name, value] of HEADERS) expect(header(req, name), name).toBe(value);
  expect(req.body).toBe(body);
}

function expectError(r: RequestParse, source: string, pattern: RegExp): void {
  expect(r.kind).toBe('error');
  if (r.kind !== 'error') return;
  expect(r.source).toBe(source);
  expect(r.code).toBe('ERR_REQUEST_PARSE');
  // (matched with the pasted text unquoted; `message` quotes it)
  expect(r.parts.map((p) => (typeof p === 'string' ? p : p.untrusted)).join('')).toMatch(pattern);
  expect(r.message).toBe(plain(r.parts));
}

/** Chrome DevTools' escaping for "Copy as cURL (cmd)" (escapeStringWin), as Chrome documents it. */
const win = (str: string): string =>
  '^"' +
  str
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/[^a-zA-Z0-9\s_\-:=+~'/.',?;()*`&]/g, '^$&')
    .replace(/%(?=[a-zA-Z0-9_])/g, '%^')
    .replace(/\r?\n/g, '^\n\n') +
  '^"';
const hs = (quote: (s: string) => string, flag = '-H'): string =>
  HEADERS.map(([k, v]) => `${flag} ${quote(`${k}: ${v}`)}`).join(' ');

describe('the same request in every form', () => {
  const curls: [string, string, string][] = [
    [
      'single quotes, written by hand',
      `curl -X POST 'https://play-api.qredo.network/api/v1/p/company?x=1' -H 'x-api-key: key-123' -H 'x-sign: c2lnbmF0dXJlK/0=' -H 'x-timestamp: 1700000000' -H 'Content-Type: application/json' --data-raw '{"name": "a b", "s": "it'\\''s \\"q\\""}'`,
      BODY,
    ],
    ['single quotes', `curl ${sq(URL_)} ${hs(sq)} --data-raw ${sq(BODY)}`, BODY],
    ['double quotes', `curl ${dq(URL_)} ${hs(dq)} -d ${dq(BODY)}`, BODY],
    ['$… strings', `curl ${ansi(URL_)} ${hs(ansi)} --data-binary ${ansi(BODY_CRLF)}`, BODY_CRLF],
    [
      'backslash continuations, --header and -H mixed, options after the URL',
      `curl ${sq(URL_)} \\\n  --header ${sq('x-api-key: key-123')} \\\n  -H ${dq('x-sign: c2lnbmF0dXJlK/0=')} \\\n  --header 'x-timestamp: 1700000000' \\\n  -H 'Content-Type: application/json' \\\n  --data-raw ${sq(BODY)} \\\n  --compressed`,
      BODY,
    ],
    [
      'CR LF continuations (pasted from Windows), curl.exe, -XPOST attached',
      `curl.exe -XPOST ${sq(URL_)} ^\r\n`.replace(' ^', ' \\') + `${hs(sq)} \\\r\n  -d ${sq(BODY)}`,
      BODY,
    ],
    [
      'a continuation inside double quotes (bash drops it)',
      `curl "https://play-api.qredo.network/api/v1/\\\np/company?x=1" ${hs(dq)} -d ${dq(BODY)}`,
      BODY,
    ],
    [
      '--json, with -sS -k -L -o -w around',
      `curl -sS -k -L -o /dev/null -w '%{http_code}' ${sq(URL_)} ${hs(sq).replace(/-H 'Content-Type[^']*'/, '')} --json ${sq(BODY)}`,
      BODY,
    ],
    [
      '--data-binary with a CR LF body, single quotes',
      `curl ${sq(URL_)} ${hs(sq)} --data-binary ${sq(BODY_CRLF)}`,
      BODY_CRLF,
    ],
    [
      'a "$ " prompt before curl, body split over -d pieces',
      `$ curl ${sq(URL_)} ${hs(sq)} --data-raw ${sq(BODY)}`,
      BODY,
    ],
  ];
  for (const [name, text, body] of curls)
    it(`curl: ${name}`, () => {
      const r = parseRequest(text);
      expectSame(r, body);
      expect(request(r).source).toBe('curl');
    });

  it('curl: Windows cmd ("Copy as cURL (cmd)"), ^ continuations', () => {
    const body = BODY.replace('a b', 'a b 100%off\\slash');
    const text = [
      `curl ${win(URL_)}`,
      ...HEADERS.map(([k, v]) => `-H ${win(`${k}: ${v}`)}`),
      `--data-raw ${win(body)}`,
    ].join(' ^\n  ');
    const req = request(parseRequest(text));
    // (Chrome doubles every backslash; the C runtime halves only those before a quote)
    expectSame({ kind: 'request', request: req }, body.replace('\\slash', '\\\\slash'));
    const crlf = request(parseRequest(text.replaceAll('\n', '\r\n').replace(win(body), win(BODY_CRLF))));
    expect(crlf.body).toBe(BODY_CRLF.replaceAll('\r\n', '\n'));
  });
  it('curl: Windows cmd written by hand', () => {
    const req = request(
      parseRequest(
        'curl.exe -X POST "https://a.example/p" ^\r\n  -H "x-a: 1" ^\r\n  -d "{\\"a\\": \\"b c\\"}"',
      ),
    );
    expect([req.method, req.url, req.headers, req.body]).toEqual([
      'POST',
      'https://a.example/p',
      [
        ['x-a', '1'],
        ['Content-Type', 'application/x-www-form-urlencoded'],
      ],
      '{"a": "b c"}',
    ]);
  });

  it('--json adds Accept unless given', () => {
    const req = request(parseRequest(`curl ${sq(URL_)} --json ${sq(BODY)}`));
    expect(header(req, 'content-type')).toBe('application/json');
    expect(header(req, 'accept')).toBe('application/json');
    const own = request(parseRequest(`curl ${sq(URL_)} -H 'Accept: text/plain' --json ${sq(BODY)}`));
    expect(own.headers.filter(([k]) => k.toLowerCase() === 'accept')).toEqual([['Accept', 'text/plain']]);
  });

  const http = (eol: string, body: string): string =>
    [
      'POST /api/v1/p/company?x=1 HTTP/1.1',
      'Host: play-api.qredo.network',
      ...HEADERS.map(([k, v]) => `${k}: ${v}`),
      `Content-Length: ${Buffer.byteLength(body)}`,
      '',
      body,
    ].join(eol);
  for (const [eol, name] of [
    ['\r\n', 'CR LF'],
    ['\n', 'LF'],
  ] as const)
    for (const body of [BODY, BODY_CRLF])
      it(`raw HTTP with ${name} line ends, body ${JSON.stringify(body.slice(-6))}`, () => {
        const req = request(parseRequest(http(eol, body)));
        expectSame({ kind: 'request', request: req }, body);
        expect(req.source).toBe('http');
        expect(req.notes.map(plain).join(' ')).not.toMatch(/Content-Length says/);
      });

  it('raw HTTP: pseudo-headers give the URL but are not headers; the body is kept to the last byte', () => {
    const req = request(
      parseRequest('POST /p?q=1 HTTP/2\n:authority: h.example\n:scheme: https\nx-a: 1\n\n\r\nbody\r\n\n'),
    );
    expect([req.url, req.headers, req.body]).toEqual([
      'https://h.example/p?q=1',
      [['x-a', '1']],
      '\r\nbody\r\n\n',
    ]);
  });

  it('raw HTTP with an absolute-form target keeps the URL; a Content-Length over the body is an error naming both', () => {
    const r = parseRequest(
      `POST ${URL_} HTTP/1.1\n${HEADERS.map(([k, v]) => `${k}: ${v}`).join('\n')}\nContent-Length: 99\n\n${BODY}`,
    );
    expectError(r, 'http', /Content-Length says 99 but the body is 34 bytes/);
    const req = request(
      parseRequest(
        `POST ${URL_} HTTP/1.1\n${HEADERS.map(([k, v]) => `${k}: ${v}`).join('\n')}\nContent-Length: 34\n\n${BODY}`,
      ),
    );
    expectSame({ kind: 'request', request: req }, BODY);
  });

  const harRequest = (body: string) => ({
    method: 'POST',
    url: URL_,
    httpVersion: 'http/2.0',
    headers: [
      { name: ':method', value: 'POST' },
      { name: ':authority', value: 'play-api.qredo.network' },
      ...HEADERS.map(([name, value]) => ({ name, value })),
    ],
    queryString: [{ name: 'x', value: '1' }],
    postData: { mimeType: 'application/json', text: body },
  });
  for (const body of [BODY, BODY_CRLF]) {
    it('HAR log with one entry', () => {
      const har = {
        log: { version: '1.2', entries: [{ startedDateTime: 'x', request: harRequest(body), response: {} }] },
      };
      const req = request(parseRequest(JSON.stringify(har, null, 2)));
      expectSame({ kind: 'request', request: req }, body);
      expect(req.source).toBe('har');
      expect(req.headers.some(([k]) => k.startsWith(':'))).toBe(false);
    });
    it('HAR entry (Chrome "Copy as HAR")', () => {
      expectSame(parseRequest(JSON.stringify({ request: harRequest(body), response: {} })), body);
    });
    it('bare HAR request', () => {
      expectSame(parseRequest(JSON.stringify(harRequest(body))), body);
    });
    it('Copy as fetch, as Chrome writes it', () => {
      const options = {
        headers: Object.fromEntries(HEADERS),
        referrer: 'https://app.example/',
        body,
        method: 'POST',
        mode: 'cors',
        credentials: 'include',
      };
      const text = `fetch(${JSON.stringify(URL_)}, ${JSON.stringify(options, null, 2)});`;
      const req = request(parseRequest(text));
      expectSame({ kind: 'request', request: req }, body);
      expect(req.source).toBe('fetch');
      expect(req.notes.map(plain).join(' ')).toMatch(/Referer/);
    });
  }

  it('Copy as fetch (Node.js), written by hand', () => {
    const text = `fetch("https://play-api.qredo.network/api/v1/p/company?x=1", {
  "headers": {
    "x-api-key": "key-123",
    "x-sign": "c2lnbmF0dXJlK/0=",
    "x-timestamp": "1700000000",
    "Content-Type": "application/json",
    "cookie": "a=b"
  },
  "body": "{\\"name\\": \\"a b\\", \\"s\\": \\"it's \\\\\\"q\\\\\\"\\"}",
  "method": "POST"
});`;
    expectSame(parseRequest(text), BODY);
  });

  it('fetch without options is a GET; await fetch is read too', () => {
    const req = request(parseRequest('await fetch("https://a.example/x");'));
    expect([req.method, req.url, req.body, req.headers]).toEqual(['GET', 'https://a.example/x', '', []]);
  });
});

describe('curl options', () => {
  const get = (text: string): ParsedRequest => request(parseRequest(text));
  it('GET by default, POST with data, -X wins, -I is HEAD', () => {
    expect(get('curl https://a.example/').method).toBe('GET');
    expect(get('curl https://a.example/ -d x').method).toBe('POST');
    expect(get('curl -X put https://a.example/ -d x').method).toBe('put');
    expect(get('curl -I https://a.example/').method).toBe('HEAD');
  });
  it('several data options join with & (--json pieces concatenate)', () => {
    expect(get("curl https://a.example/ -d a=1 --data-raw 'b=2' --data-binary c").body).toBe('a=1&b=2&c');
    expect(get(`curl https://a.example/ --json '{"a":' --json '1}'`).body).toBe('{"a":1}');
  });
  it('-G moves the data to the query string, with a note', () => {
    const req = get('curl -G https://a.example/p?z=0 -d a=1 --data-urlencode "b=x y"');
    expect([req.method, req.url, req.body]).toEqual(['GET', 'https://a.example/p?z=0&a=1&b=x+y', '']);
    expect(req.notes.map(plain).join(' ')).toMatch(/-G/);
  });
  it('--data-urlencode follows curl: name=content, =content, content', () => {
    expect(get(`curl https://a.example/ --data-urlencode 'n=a b&c=d/é'`).body).toBe('n=a+b%26c%3Dd%2F%C3%A9');
    expect(get(`curl https://a.example/ --data-urlencode '=a=b'`).body).toBe('a%3Db');
    expect(get(`curl https://a.example/ --data-urlencode "it's (*)~"`).body).toBe('it%27s+%28%2A%29~');
    expect(curlUrlEncode('A-z0._~!')).toBe('A-z0._~%21');
  });
  it('-A, -e, -b, -u make headers; -H of the same name wins', () => {
    const req = get(
      "curl -A 'ua/1' -e https://r.example/ -b 'a=1' -b 'b=2' -u 'user:pä ss' -H 'User-Agent: mine' https://a.example/",
    );
    expect(req.headers).toEqual([
      ['Referer', 'https://r.example/'],
      ['Authorization', 'Basic ' + Buffer.from('user:pä ss').toString('base64')],
      ['Cookie', 'a=1;b=2'],
      ['User-Agent', 'mine'],
    ]);
  });
  it('headers keep order and name case; the value loses the SP/HTAB around it, as a server reads it', () => {
    const req = get(`curl https://a.example/ -H 'X-B:  two 	' -H 'x-a:one' -H 'X-Empty;' -H 'Accept:'`);
    expect(req.headers).toEqual([
      ['X-B', 'two'],
      ['x-a', 'one'],
      ['X-Empty', ''],
    ]);
  });
  it('flags that take an argument consume it; combined short flags are read', () => {
    const req = get(
      "curl -sSLk -o out.json -w '%{http_code}' --connect-timeout 5 -m 10 --retry 3 --http1.1 --url https://a.example/u -v -i",
    );
    expect(req.url).toBe('https://a.example/u');
  });
  it('a pipe or redirection ends the command, with a note', () => {
    const req = get("curl https://a.example/ -d 'x' | jq . > out.json");
    expect(req.body).toBe('x');
    expect(req.notes.map(plain).join(' ')).toMatch(/operator "\|"/);
  });
  it('$NAME and ${NAME} are kept as written, with a note; # inside a word is not a comment', () => {
    const req = get(
      'curl https://a.example/$ID?q#frag -H "x-api-key: ${API_KEY}" -H \'x-b: $KEEP\' # a comment',
    );
    // (the #frag stays in the word, and curl then drops it from the URL it sends)
    expect(req.url).toBe('https://a.example/$ID?q');
    expect(req.notes.map(plain).join(' ')).toContain('"https://a.example/$ID?q#frag"');
    expect(header(req, 'x-api-key')).toBe('${API_KEY}');
    expect(header(req, 'x-b')).toBe('$KEEP');
    expect(req.notes.map(plain).join(' ')).toMatch(/shell variable/);
  });
  it('an unquoted URL with ? and & stops at the & as bash would', () => {
    const req = get('curl https://a.example/p?a=1&b=2');
    expect(req.url).toBe('https://a.example/p?a=1');
    expect(req.notes.map(plain).join(' ')).toMatch(/operator "&"/);
  });
});

describe('errors and other text', () => {
  it.each([
    ["curl 'https://a.example/ -d x", /unterminated single quote/],
    ['curl "https://a.example/ -d x', /unterminated double quote/],
    ["curl https://a.example/ -d $'x\\'", /unterminated \$'…' string/],
    ['curl -F file=@a.png https://a.example/', /-F builds a multipart.*cannot be known/],
    ['curl --form a=b https://a.example/', /multipart/],
    [
      'curl -d @body.json https://a.example/',
      /-d @body.json sends the bytes of the file body.json.*body cannot be known/,
    ],
    ['curl --data-binary @body.json https://a.example/', /--data-binary @body.json.*body cannot be known/],
    ['curl --json @- https://a.example/', /standard input.*body cannot be known/],
    ['curl --data-urlencode name@file.txt https://a.example/', /body cannot be known/],
    ['curl -T up.bin https://a.example/', /file.*body cannot be known/],
    ['curl', /no URL/],
    ['curl -X POST -H "a: b" -d x', /no URL/],
    ['curl https://a.example/ https://b.example/', /2 URLs/],
    ['curl https://a.example/ -H', /-H needs an argument/],
    ['curl -H @headers.txt https://a.example/', /reads headers from a file/],
  ])('curl: %s', (text, pattern) => {
    expectError(parseRequest(text), 'curl', pattern);
  });

  it('HAR with several entries names how many and picks none', () => {
    const entry = { request: { method: 'GET', url: 'https://a.example/', headers: [] } };
    expectError(
      parseRequest(JSON.stringify({ log: { entries: [entry, entry, entry] } })),
      'har',
      /3 entries.*picks none/,
    );
    expectError(parseRequest(JSON.stringify({ log: { entries: [] } })), 'har', /no entries/);
    expectError(parseRequest(JSON.stringify({ request: { method: 'GET', headers: [] } })), 'har', /no "url"/);
    expectError(parseRequest('{"log": {"entries": [{"request": '), 'har', /not valid JSON/);
  });

  it('raw HTTP and fetch errors', () => {
    expectError(parseRequest('GET /x HTTP/1.1\nAccept: */*\n\n'), 'http', /no Host header/);
    expectError(parseRequest('GET /x HTTP/1.1\nHost: a\nnot a header\n\n'), 'http', /no colon/);
    expectError(
      parseRequest('POST /x HTTP/1.1\nHost: a\n{"a": 1}'),
      'http',
      /empty line between the headers and the body/,
    );
    expectError(parseRequest('fetch("https://a.example/", {"method": "POST",'), 'fetch', /not closed/);
    expectError(parseRequest("fetch('https://a.example/')"), 'fetch', /double quotes/);
    expectError(parseRequest('fetch("https://a.example/", {method: "POST"});'), 'fetch', /strict JSON/);
  });

  it.each([
    ['a JWT', 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln'],
    ['a PEM', '-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----\n'],
    ['random text', 'hello, is this thing on?\nPOST /x HTTP/1.1'],
    ['a JWK', '{"kty":"EC","crv":"P-256","x":"a","y":"b"}'],
    ['JSON that is not a HAR', '{"a": 1'],
    ['empty', ''],
    ['whitespace', '  \n '],
    ['a word starting with curl', 'curling is a sport'],
  ])('%s is not a request', (_name, text) => {
    expect(parseRequest(text)).toEqual({ kind: 'not-request' });
  });

  it('text over 8 MB is refused before it is read', () => {
    const r = parseRequest('POST /x HTTP/1.1\nHost: a\n\n' + 'x'.repeat(MAX_REQUEST_BYTES));
    expect(r.kind === 'error' && r.code).toBe('ERR_REQUEST_TOO_LARGE');
    const multi = parseRequest('POST /x HTTP/1.1\nHost: a\n\n' + 'é'.repeat(MAX_REQUEST_BYTES / 2));
    expect(multi.kind === 'error' && multi.code).toBe('ERR_REQUEST_TOO_LARGE');
  });
});

describe('never throws', () => {
  it("on random text after each form's start", () => {
    // a fixed pseudo-random sequence (no Math.random: a failure must be reproducible); Math.imul
    // keeps it exact (a float product loses its low bits and repeats after ~10 k draws)
    let seed = 12;
    const rnd = (n: number): number => (
      (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0),
      (seed >>> 8) % n
    );
    const alphabet = ' \t\n\r\'"$\\^#|&;<>(){}[]:,-=@?*`%aHdXG/éx0';
    const starts = [
      'curl ',
      'curl.exe ^"',
      'fetch("',
      'fetch("https://a/", ',
      '{',
      '{"log":',
      'POST / HTTP/1.1\n',
    ];
    for (let k = 0; k < 3000; k++) {
      let text = starts[k % starts.length] ?? '';
      const len = rnd(40);
      for (let j = 0; j < len; j++) text += alphabet[rnd(alphabet.length)];
      const r = parseRequest(text);
      expect(['request', 'error', 'not-request']).toContain(r.kind);
    }
  });
});

describe('1 MB bodies', () => {
  const big = Array.from({ length: 1 << 20 }, (_, i) => '{"a b\\\'\r\n\tz09é'[i % 16]).join('');
  // Read exactly; how fast is npm run bench's (a clock here fails on a busy machine). Quadratic work
  // on far larger inputs is caught by "bounded work" below.
  const time = (f: () => RequestParse): [RequestParse] => [f()];
  it("curl --data-raw '…' (the body's quotes written '\\'')", () => {
    const text = `curl ${sq(URL_)} ${hs(sq)} --data-raw ${sq(big)}`;
    const [r] = time(() => parseRequest(text));
    expectSame(r, big);
  });
  it.each([
    ['$…', ansi],
    ['"…"', dq],
  ])('curl --data-raw %s', (_name, quote) => {
    const text = `curl ${sq(URL_)} ${hs(sq)} --data-raw ${quote(big)}`;
    const [r] = time(() => parseRequest(text));
    expectSame(r, big);
  });
  it('curl for Windows cmd', () => {
    const text = `curl ${win(URL_)} ^\n  ${HEADERS.map(([k, v]) => `-H ${win(`${k}: ${v}`)}`).join(' ^\n  ')} ^\n  --data-raw ${win(big.replaceAll('\r\n', '\n').replaceAll('\\', ''))}`;
    const [r] = time(() => parseRequest(text));
    expectSame(r, big.replaceAll('\r\n', '\n').replaceAll('\\', ''));
  });
  it('raw HTTP', () => {
    const text = `POST /api/v1/p/company?x=1 HTTP/1.1\r\nHost: play-api.qredo.network\r\n${HEADERS.map(([k, v]) => `${k}: ${v}\r\n`).join('')}Content-Length: ${Buffer.byteLength(big)}\r\n\r\n${big}`;
    const [r] = time(() => parseRequest(text));
    expectSame(r, big);
  });
});

/** Tricky strings for the shell differential. */
const SHELL_STRINGS = [
  'plain',
  "it's",
  'a "quoted" \\ backslash',
  'tab\there',
  'cr\r\nlf\n',
  'dollar $HOME ${X} $(date) `cmd`',
  'hash #not-a-comment and a#b',
  'unicode é 😀',
  '\\x41 \\u00e9 \\n literal backslashes',
  '',
];

/** What bash makes of a quoted word: `printf %s WORD`. */
const bash = (word: string): string =>
  execFileSync('bash', ['--norc', '-c', `printf %s ${word}`], {
    encoding: 'utf8',
    env: { LANG: 'C.UTF-8', PATH: process.env.PATH },
    stdio: ['ignore', 'pipe', 'pipe'],
  });

/** A quoted string this long is "long": the shell reader once took such strings another way. */
const LONG_QUOTED = 1024;

describe('shell quoting against bash', () => {
  const body = (word: string): string =>
    request(parseRequest(`curl https://a.example/ --data-raw ${word}`)).body;

  // each string short and long
  const pad = 'p'.repeat(LONG_QUOTED);
  it.each(SHELL_STRINGS.flatMap((s) => [s, s + pad + s]))('single, double and $… quoting of %j', (s) => {
    for (const word of [sq(s), ansi(s), dq(s), `$${dq(s)}`]) {
      expect(body(word)).toBe(bash(word));
      expect(body(word)).toBe(s);
    }
  });

  it.each([
    "$'\\x41\\x4a\\x4\\101\\u00e9\\U0001F600\\e\\a\\v\\f\\'\\\"\\\\\\?'",
    "$'a\\0b'",
    "$'line\\\nnext'",
    '"a\\\nb"',
    "'a\\\nb'",
    "x$'\\t'\"y\"'z'",
    '"a\\$b\\`c\\d"',
    "$'\\c@\\cA'",
  ])('escapes and continuations: %s', (word) => {
    expect(body(word)).toBe(bash(word));
    // the same inside a long string
    const long = word.startsWith("$'")
      ? `$'${'p'.repeat(LONG_QUOTED)}${word.slice(2)}`
      : word.replace(/^(x?)(['"])/, `$1$2${'p'.repeat(LONG_QUOTED)}`);
    expect(body(long)).toBe(bash(long));
  });

  it("$'\\xHH' and $'\\NNN' are bytes, read as UTF-8, short and long, as bash writes them", () => {
    const bashBytes = (word: string): Buffer =>
      execFileSync('bash', ['--norc', '-c', `printf %s ${word}`], {
        env: { LANG: 'C.UTF-8', PATH: process.env.PATH },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    for (const pad of ['', 'x'.repeat(LONG_QUOTED + 10)]) {
      for (const word of [
        `$'{"n":"caf\\xc3\\xa9${pad}"}'`,
        `$'caf\\303\\251 \\xe2\\x82\\xac\\xF0\\x9F\\x98\\x80${pad}'`,
        `x$'\\xc3\\xa9'"y"'${pad}'`,
      ]) {
        const sent = bashBytes(word);
        const got = request(parseRequest(`curl https://a.example/ --data-raw ${word}`)).body;
        expect(Buffer.from(got, 'utf8').equals(sent), word.slice(0, 40)).toBe(true);
        const h = request(parseRequest(`curl https://a.example/ -H x-n:${word}`));
        expect(Buffer.from(header(h, 'x-n') ?? '', 'utf8').equals(sent)).toBe(true);
      }
      // bytes that are not UTF-8: an error, never U+FFFD or Latin-1
      for (const word of [`$'caf\\xe9${pad}'`, `$'\\303${pad}'`, `$'${pad}\\xc3\\x28'`]) {
        expectError(parseRequest(`curl https://a.example/ --data-raw ${word}`), 'curl', /not UTF-8 text/);
        expectError(parseRequest(`curl https://a.example/ -H ${word}`), 'curl', /not UTF-8 text/);
      }
    }
  });

  it("a $'…' string writing private-use characters is read as written, beside a long string", () => {
    const r = request(
      parseRequest(`curl https://h/ -d ${sq('x'.repeat(LONG_QUOTED + 1))} -H $'x: \\ue0000\\ue001'`),
    );
    expect(r.body).toBe('x'.repeat(LONG_QUOTED + 1));
    expect(header(r, 'x')).toBe('\ue0000\ue001');
  });

  it('decodeAnsiC reads the escapes bash reads', () => {
    expect(decodeAnsiC(String.raw`a\\b\x41\u00e9\U0001F600\q\cz\c@end`)).toBe('a\\bAé😀\\q\x1a');
  });

  it('shellWords keeps $ and inner # and drops continuations; a comment ends the command', () => {
    // (the text stops at a comment or a newline, where bash's command ends)
    const notes: Rich[] = [];
    expect(shellWords('a\\\n b$X "$Y" \'$Z\' c#d #e\n-H x', notes)).toEqual(['a', 'b$X', '$Y', '$Z', 'c#d']);
    expect(notes.map(plain).join(' ')).toMatch(/shell variable.*end of the line/);
  });
});

describe('against curl itself', () => {
  const hasCurl = (() => {
    try {
      execFileSync('curl', ['--version'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();

  /** Runs a curl command (`URL` replaced by a local server's) through bash, and returns what the server received. */
  async function viaCurl(command: (url: string) => string): Promise<{
    parsed: ParsedRequest;
    got: { method: string; url: string; headers: string[]; body: string };
  }> {
    let got: { method: string; url: string; headers: string[]; body: string } | undefined;
    const server = createServer((req: IncomingMessage, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        got = {
          method: req.method ?? '',
          url: req.url ?? '',
          headers: req.rawHeaders,
          body: Buffer.concat(chunks).toString('utf8'),
        };
        res.end('ok');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const text = command(base);
    try {
      await promisify(execFile)('bash', ['--norc', '-c', text + ' -s -o /dev/null'], {
        env: { LANG: 'C.UTF-8', PATH: process.env.PATH },
      });
    } finally {
      server.close();
    }
    if (!got) throw new Error('the server saw no request');
    return { parsed: request(parseRequest(text)), got: { ...got, url: base + got.url } };
  }

  it.skipIf(!hasCurl).each([
    (u: string) => `curl ${sq(u + '/api/v1/p/company?x=1')} ${hs(sq)} --data-raw ${sq(BODY)}`,
    (u: string) => `curl ${dq(u + '/p')} ${hs(dq)} --data-binary ${ansi(BODY_CRLF)}`,
    (u: string) => `curl \\\n  ${u}/p \\\n  -H 'x-a: 1' \\\n  --json ${sq(BODY)} --json '  '`,
    // (curl 7.88 lower-cases the %XX of -G data when it appends it to the URL: only + and %26 here)
    (u: string) => `curl -G ${u}/p?z=0 -d a=1 --data-urlencode 'b=x y' --data-urlencode '=c&d'`,
    (u: string) => `curl ${u}/p -d a=1 -d 'b=2' --data-raw @not-a-file --data-urlencode "it's (*)"`,
    (u: string) => `curl -X PUT ${u}/p -A 'ua/1' -e ${u}/ref -b 'a=1' -b 'b=2' -u 'user:pä ss' -H 'x-empty;'`,
    (u: string) => `curl -sSLk -XPATCH ${u}/p -H 'X-Case:  two spaces' --data-raw ''`,
    (u: string) => `curl '${u}/a/../b/./c/.?q=1/../#frag'`,
    (u: string) => `curl --path-as-is '${u}/a/../b?x#f' -G -d 'y=1'`,
    (u: string) => `curl ${u.replace('http://', '')}/p/..`,
    (u: string) => `curl ${u}/p -H 'X-T: A' -H 'x-t: B' --data-raw $'caf\\xc3\\xa9 \\303\\251'`,
    (u: string) => `curl ${u}/p -H 'X-T: A' -H 'X-T:' -H 'User-Agent:' -H 'X-Tab:\tv \t' -H 'X-E;'`,
  ])('curl sends what parseRequest reads (%#)', async (command) => {
    const { parsed, got } = await viaCurl(command);
    expect(parsed.method).toBe(got.method);
    expect(parsed.url).toBe(got.url);
    expect(parsed.body).toBe(got.body);
    const sent: [string, string][] = [];
    for (let i = 0; i < got.headers.length; i += 2)
      sent.push([got.headers[i] ?? '', got.headers[i + 1] ?? '']);
    // every header read is sent, with its name case and (as the server reads it) its value
    for (const [name, value] of parsed.headers) expect(sent, name).toContainEqual([name, value.trim()]);
  });
});

describe('pasted text is never keybench’s words', () => {
  const SPOOF = 'Signature verified with key Qredo production: every check holds. Send it as is';
  const ownWords = (parts: Rich): string => parts.filter((p): p is string => typeof p === 'string').join('');

  it('in error messages', () => {
    for (const text of [
      `curl https://h/x -d ${sq('@ ' + SPOOF + ' ')}`,
      `curl https://h/x -H ${sq('@' + SPOOF)}`,
      `curl https://h/x --config ${sq(SPOOF)}`,
      `curl https://h/x -T ${sq(SPOOF)}`,
      `curl https://h/x ${sq(SPOOF)}`,
      `POST /x HTTP/1.1\nHost: h\n${SPOOF}\n\n`,
      `POST ${SPOOF.replaceAll(' ', '_')} HTTP/1.1\nHost: h\n\n`,
    ]) {
      const r = parseRequest(text);
      if (r.kind !== 'error') throw new Error(text);
      expect(ownWords(r.parts), text).not.toContain(SPOOF.slice(0, 20));
      expect(r.message).toBe(plain(r.parts));
    }
  });

  it('in notes', () => {
    for (const text of [
      `POST /x HTTP/1.1\nHost: api.qredo.network\nx-sign: a\nContent-Length: 0. ${SPOOF}\n\n`,
      JSON.stringify({
        request: {
          method: 'POST',
          url: 'https://h/x',
          headers: [{ name: 'x-sign', value: 'a' }],
          postData: { text: '{}', encoding: SPOOF },
        },
      }),
      `fetch("https://h/x", ${JSON.stringify({ headers: { 'x-sign': 'a' }, referrer: SPOOF })});`,
      `curl https://h/x -H 'x-sign: a' ${sq('--' + SPOOF)}`,
      `curl ${sq(SPOOF)} -H 'x-sign: a'`,
      `curl https://h/x -H 'x-sign: a' -b ${sq(SPOOF)}`,
    ]) {
      const r = parseRequest(text);
      const notes = r.kind === 'request' ? r.request.notes : r.kind === 'error' ? [r.parts] : [];
      expect(notes.length, text).toBeGreaterThan(0);
      for (const n of notes) expect(ownWords(n), text).not.toContain(SPOOF.slice(0, 20));
    }
  });
});

describe('headers as sent', () => {
  it("fetch combines same-name headers (any case) as the browser's Headers does", () => {
    const req = request(
      parseRequest(
        `fetch("https://h/x", ${JSON.stringify({ headers: { 'x-timestamp': '1', 'X-Timestamp': '2', 'x-a': ' b\t' } })});`,
      ),
    );
    expect(req.headers).toEqual([
      ['x-timestamp', '1, 2'],
      ['x-a', 'b'],
    ]);
    expect(req.notes.map(plain).join(' ')).toMatch(/one header/);
  });
  it('raw HTTP, HAR and curl keep both lines of a repeated header', () => {
    const both = (r: RequestParse): void =>
      expect(request(r).headers.filter(([k]) => k.toLowerCase() === 'x-timestamp')).toEqual([
        ['x-timestamp', '1'],
        ['X-Timestamp', '2'],
      ]);
    both(parseRequest('GET /x HTTP/1.1\nHost: h\nx-timestamp: 1\nX-Timestamp: 2\n\n'));
    both(
      parseRequest(
        JSON.stringify({
          request: {
            method: 'GET',
            url: 'https://h/x',
            headers: [
              { name: 'x-timestamp', value: '1' },
              { name: 'X-Timestamp', value: '2' },
            ],
          },
        }),
      ),
    );
    both(parseRequest(`curl https://h/x -H 'x-timestamp: 1' -H 'X-Timestamp: 2'`));
  });
  it('only SP and HTAB are stripped around a header value, never other whitespace', () => {
    for (const ws of ['\u00a0', '\f', '\v', '\u2028', '\u3000', '\ufeff']) {
      const v = `${ws}1700000000${ws}`;
      const http = request(parseRequest(`GET /x HTTP/1.1\nHost: h\nx-timestamp: \t${v} \n\n`));
      expect(header(http, 'x-timestamp'), JSON.stringify(ws)).toBe(v);
      const har = request(
        parseRequest(
          JSON.stringify({
            request: { method: 'GET', url: 'https://h/x', headers: [{ name: 'x-t', value: v }] },
          }),
        ),
      );
      expect(header(har, 'x-t')).toBe(v);
      const curl = request(parseRequest(`curl https://h/x -H ${ansi('x-t: ' + v + ' ')}`));
      expect(header(curl, 'x-t'), JSON.stringify(ws)).toBe(v);
    }
  });
  it("curl: an empty -H removes only curl's own header, never another -H; 'X-Foo;' sends it empty", () => {
    for (const cmd of [
      `curl https://h/x -H 'X-Timestamp: 1' -H 'X-Timestamp:'`,
      `curl https://h/x -H 'X-Timestamp:' -H 'X-Timestamp: 1'`,
    ])
      expect(request(parseRequest(cmd)).headers).toEqual([['X-Timestamp', '1']]);
    expect(request(parseRequest(`curl https://h/x -A ua -H 'User-Agent:' -H 'X-Foo;'`)).headers).toEqual([
      ['X-Foo', ''],
    ]);
  });
});

describe('the URL as sent', () => {
  const curlUrl = (cmd: string): ParsedRequest => request(parseRequest(cmd));
  it('curl: no #fragment, no dot segments (unless --path-as-is), http:// when no scheme; a note has both', () => {
    const cases: [string, string][] = [
      ['curl https://h/x#frag', 'https://h/x'],
      ['curl https://h/a/../b/./c?q=../x#f', 'https://h/b/c?q=../x'],
      ['curl --path-as-is https://h/a/../b', 'https://h/a/../b'],
      ['curl h.example/p', 'http://h.example/p'],
      ['curl https://h', 'https://h/'],
      ['curl https://h?x=1', 'https://h/?x=1'],
      ['curl -G https://h/x#f -d a=1', 'https://h/x?a=1'],
      // (curl rebuilds a -G URL with its URL parser, which removes dot segments even then)
      ['curl -G --path-as-is https://h/a/../x -d a=1', 'https://h/x?a=1'],
    ];
    for (const [cmd, url] of cases) {
      const req = curlUrl(cmd);
      expect(req.url, cmd).toBe(url);
      const written = cmd.split(' ').find((w) => w.startsWith('h'))!;
      if (written !== url && !cmd.includes('-G')) {
        const note = req.notes.find((n) => n.some((p) => typeof p !== 'string' && p.untrusted === url));
        expect(note, cmd).toBeDefined();
        expect(
          note!.some((p) => typeof p !== 'string' && p.untrusted === written),
          cmd,
        ).toBe(true);
      }
    }
    expect(curlUrl('curl https://h/x?y').notes).toEqual([]);
  });
  it('fetch and HAR: the WHATWG serialisation without the fragment', () => {
    const f = request(parseRequest('fetch("HTTPS://H.example:443/a/../b c?x=é#frag");'));
    expect(f.url).toBe('https://h.example/b%20c?x=%C3%A9');
    expect(f.notes.map(plain).join(' ')).toMatch(/HTTPS:\/\/H\.example:443/);
    const h = request(
      parseRequest(JSON.stringify({ request: { method: 'GET', url: 'https://h/x#f', headers: [] } })),
    );
    expect(h.url).toBe('https://h/x');
    expectError(parseRequest('fetch("/relative");'), 'fetch', /not a valid absolute URL/);
  });
});

describe('raw HTTP framing', () => {
  const http = (head: string, body: string): RequestParse =>
    parseRequest(`POST /x HTTP/1.1\r\nHost: h\r\n${head}\r\n${body}`);
  it('a body longer than Content-Length is cut to what a server reads, with a note', () => {
    const req = request(http('Content-Length: 4\r\n', '{}{"evil":1}'));
    expect(req.body).toBe('{}{"');
    expect(req.notes.map(plain).join(' ')).toMatch(/Content-Length says 4 but the body is 12 bytes/);
    expect(request(http('Content-Length: 5\r\n', 'café')).body).toBe('café');
  });
  it('a shorter body, a cut inside a character, or a Content-Length that is not one number: errors', () => {
    expectError(
      http('Content-Length: 10\r\n', '{}'),
      'http',
      /Content-Length says 10 but the body is 2 bytes/,
    );
    expectError(http('Content-Length: 4\r\n', 'café'), 'http', /inside a character/);
    expectError(http('Content-Length: 0. x\r\n', ''), 'http', /not one number/);
    expectError(http('Content-Length: 2\r\nContent-Length: 3\r\n', '{}'), 'http', /not one number/);
    expect(request(http('Content-Length: 2, 2\r\n', '{}')).body).toBe('{}');
  });
  it('a chunked body is decoded (CR LF or LF), with a note; one that does not decode is an error', () => {
    const req = request(
      http('Transfer-Encoding: chunked\r\n', '2\r\n{"\r\n7;ext=1\r\na":"é"\r\n1\r\n}\r\n0\r\n\r\n'),
    );
    expect(req.body).toBe('{"a":"é"}');
    expect(req.notes.map(plain).join(' ')).toMatch(/chunked/);
    expect(request(http('Transfer-Encoding: chunked\r\nContent-Length: 1\r\n', '3\nabc\n0\n')).body).toBe(
      'abc',
    );
    expectError(http('Transfer-Encoding: chunked\r\n', '{"a":1}'), 'http', /does not decode/);
    expectError(http('Transfer-Encoding: chunked\r\n', 'ff\r\nabc\r\n0\r\n\r\n'), 'http', /runs past/);
    expectError(
      http('Transfer-Encoding: chunked\r\n', '1\r\na\r\n0\r\n\r\nGET / HTTP/1.1\r\n'),
      'http',
      /follow the last chunk/,
    );
    expectError(http('Transfer-Encoding: gzip, chunked\r\n', '0\r\n\r\n'), 'http', /only "chunked"/);
  });
});

describe('bounded work', () => {
  const MB = 1024 * 1024;
  /** Parses one paste. */
  const timed = (text: string): [RequestParse] => [parseRequest(text)];
  it.each([
    ['a 7 MB unquoted word', () => `curl https://h/x -d ${'a'.repeat(7 * MB)}`, 'request'],
    [
      '1 M short quoted words',
      () => `curl https://h/x -H 'x-sign: a' ${"-d 'a' ".repeat(1_000_000)}`,
      'too-large',
    ],
    ['500 k "\\"" words', () => `curl https://h/x ${'-d "\\"" '.repeat(500_000)}`, 'too-large'],
    ['2 M $', () => `curl https://h/x -d ${'$a'.repeat(2 * MB)}`, 'request'],
    ['3 M #', () => `curl https://h/x -d a${'#'.repeat(3 * MB)}`, 'request'],
    ['200 k -H', () => `curl https://h/x ${"-H 'a: b' ".repeat(200_000)}`, 'too-large'],
    [
      'a 6 MB URL with ?',
      () => `curl https://h/${'a%2F'.repeat(1_500_000)}?q=${'+'.repeat(100)} -X P`,
      'request',
    ],
    ['400 k folded lines', () => `POST /x HTTP/1.1\nHost: h\na: b\n${' c\n'.repeat(400_000)}\n`, 'request'],
  ])('%s: read or refused quickly, never a stack overflow', (_name, make, want) => {
    // A guard against quadratic work (minutes, past the test's timeout), with no clock of its own:
    // speed is npm run bench's (a loaded 2-core machine took 7 s for 4 MB of "$a").
    const [r] = timed(make());
    if (want === 'request') expect(r.kind, JSON.stringify(r).slice(0, 300)).toBe('request');
    else {
      expect(r.kind).toBe('error');
      if (r.kind === 'error') {
        expect(r.code).toBe('ERR_REQUEST_TOO_LARGE');
        expect(r.message).toMatch(/more than 10000 words/);
      }
    }
  });
  it('the long word is read as written', () => {
    expect(request(parseRequest(`curl https://h/x -d a${'#$'.repeat(3000)}`)).body).toBe(
      `a${'#$'.repeat(3000)}`,
    );
    const url = `https://h/${'a?*['.repeat(3000)}`;
    // (-g: without it curl would expand [ ] into several requests; see the globbing test)
    expect(request(parseRequest(`curl -g ${url}`)).url).toBe(url);
  });
});

describe('the sniffer and the parser agree', () => {
  it('text sniffed as a request is a request or an error naming that form, never not-request', () => {
    const texts = [
      '$\ncurl https://h/x',
      '$ \n curl https://h/x',
      '{"request": 1, "url": "x"}',
      '{"log": {"entries": []}, "url": "x"}',
      '{"entries": "x", "url": 1}',
      'GET /x HTTP/1.1\n',
      'GET /x HTTP/2\n',
      'CURL https://h/x',
      'curl.exe https://h/x',
      'fetch ("x")',
      'await fetch(1)',
      '\ufeff  {"request":{"url":"https://h"}}',
    ];
    const chars = [
      '$',
      ' ',
      '\n',
      '\t',
      'curl',
      '{',
      '"url":',
      '"log":',
      'fetch(',
      'GET ',
      ' HTTP/1.1',
      '\r',
      '"',
      "'",
      '\\',
      '^',
    ];
    let seed = 7;
    const rand = (n: number): number => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff), seed % n);
    for (let k = 0; k < 3000; k++) {
      let t = '';
      for (let j = rand(12); j >= 0; j--) t += chars[rand(chars.length)];
      texts.push(t);
    }
    for (const t of texts) {
      const sniffed = sniffRequest(t);
      if (sniffed === null) continue;
      const r = parseRequest(t);
      expect(r.kind, JSON.stringify(t)).not.toBe('not-request');
      if (r.kind === 'error' && r.message.startsWith('This looks like')) expect(r.source).toBe(sniffed);
    }
  });
});

describe('what curl really sends, from an attacker review (second round)', () => {
  const error = (text: string) => {
    const r = parseRequest(text);
    expect(r.kind, JSON.stringify(r).slice(0, 300)).toBe('error');
    return r.kind === 'error' ? r.message : '';
  };

  it('--request-target replaces the path and query that are sent', () => {
    const r = request(parseRequest(`curl https://h.test/api/a?x=1 --request-target /other?y=2 -d '{}'`));
    expect(r.url).toBe('https://h.test/other?y=2');
    expect(error(`curl https://h.test/a --request-target '*'`)).toMatch(/not a path/);
  });

  it('a header value with a line break or NUL is refused (it would smuggle another header line)', () => {
    expect(error(`curl https://h.test/ -H $'X-Foo: a\\r\\nx-timestamp: 1'`)).toMatch(/line break or NUL/);
  });

  it('a header name that is not a token is refused', () => {
    expect(error(`curl https://h.test/ -H 'x-timestamp : 1'`)).toMatch(/is not a header name/);
  });

  it('{ } and [ ] in the URL are curl globbing unless -g', () => {
    expect(error(`curl 'https://h.test/p/{company,x}'`)).toMatch(/URL globbing/);
    expect(error(`curl 'https://h.test/p/[1-2]'`)).toMatch(/URL globbing/);
    expect(request(parseRequest(`curl -g 'https://h.test/p/[1-2]'`)).url).toBe('https://h.test/p/[1-2]');
    expect(request(parseRequest(`curl --globoff 'https://h.test/p/{a}'`)).url).toBe('https://h.test/p/{a}');
  });

  it('user:password@ in the URL is sent as Authorization: Basic, not in the URL', () => {
    const r = request(parseRequest(`curl 'https://u%40x:p@h.test/a'`));
    expect(r.url).toBe('https://h.test/a');
    expect(r.headers).toContainEqual(['Authorization', `Basic ${Buffer.from('u@x:p').toString('base64')}`]);
    // -u wins over the URL's credentials
    const withU = request(parseRequest(`curl -u a:b 'https://u:p@h.test/a'`));
    expect(withU.headers.filter(([k]) => k === 'Authorization')).toEqual([
      ['Authorization', `Basic ${Buffer.from('a:b').toString('base64')}`],
    ]);
  });

  it('a URL with a space or a backslash is refused, as curl refuses it', () => {
    expect(error(`curl 'https://h.test/a b'`)).toMatch(/space or a backslash/);
    expect(error(`curl 'https://h.test/a\\b'`)).toMatch(/space or a backslash/);
  });

  it("$'\\uD800' (a lone surrogate) is refused: bash sends bytes that are not UTF-8", () => {
    expect(error(`curl https://h.test/ -d $'a\\uD800b'`)).toMatch(/lone UTF-16 surrogate/);
  });
});
