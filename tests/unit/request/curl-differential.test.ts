/**
 * The curl differential: each command below runs through real bash and
 * Debian's curl against a capture server on 127.0.0.1, and keybench reads the same text. For every
 * command, keybench's reading (method, target, the headers it models, body bytes) equals what the
 * server received, or keybench refuses the command. Never skipped: scripts/ensure-curl.mjs installs
 * curl before the unit tests, and this file fails when bash or curl is missing.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRequest } from '../../../src/lib/request/parse';
import { startCapture, type Captured, type CaptureServer } from './capture-server';

/** `«U»` in a command is the capture server's base URL (http://127.0.0.1:PORT); `«H»` its host:port. */
const COMMANDS: string[] = [
  // quoting
  `curl «U»/p`,
  `curl '«U»/p?a=1&b=2'`,
  `curl "«U»/p?a=1&b=2"`,
  `curl «U»/p?a=1&b=2`,
  `curl $'«U»/p?x=1'`,
  `curl «U»/p -d 'it'\\''s'`,
  `curl «U»/p -d "a \\"b\\" \\\\ \\$c"`,
  `curl «U»/p --data-raw $'line1\\nline2\\ttab'`,
  `curl «U»/p --data-binary $'caf\\xc3\\xa9 \\303\\251'`,
  `curl «U»/p -d $'\\u00e9\\101\\x41'`,
  `curl «U»/p -H 'X-A: 1' \\\n  -H 'X-B: 2'`,
  `curl «U»/p -H "X-A: a\\\`b"`,
  `curl «U»/p -d a\\ b`,
  `curl «U»/p -d "multi\nline"`,
  `curl «U»/p -d 'a'"b"$'c'd`,
  `curl «U»/p # a comment -H 'x: 1'`,
  `curl «U»/p -d x#y`,
  `curl «U»/p -H 'X-Hash: #'`,
  `curl «U»/p -d "a\\\nb"`,
  `curl «U»/p -d 'a\\\nb'`,
  `curl «U»/p -H $'X-Q: \\'q\\''`,
  `curl «U»/p -H 'X-Q: "quoted"' -H 'X-B: \`tick\`'`,
  `curl «U»/p -d '{"a": [1, 2], "b": "c"}'`,
  `curl «U»/p -d {"a":1}`,
  `curl «U»/p -H x-n:a\u00a0b`,
  `curl «U»/p -d a\\\n#b`,
  `curl «U»/p -d a\\`,
  `curl «U»/p -d 'a'""#b`,
  `curl «U»/p -d \\)#x -d \\|~`,
  `curl «U»/p -d a\\\rb`,
  `curl «U»/p -d '~' -d a='~'`,
  `curl «U»/p -d a~b -d '{a,b}'`,
  // methods
  `curl -X POST «U»/p`,
  `curl -XPATCH «U»/p -d x`,
  `curl --request put «U»/p`,
  `curl -X GET «U»/p -d body`,
  `curl -X DELETE -X OPTIONS «U»/p`,
  `curl -I «U»/p`,
  `curl --head «U»/p`,
  `curl -G «U»/p -d a=1`,
  `curl -G '«U»/p?z=0' -d a=1 --data-urlencode 'b=x y'`,
  `curl -I -G «U»/p -d a=1`,
  // data
  `curl «U»/p -d a=1 -d b=2`,
  `curl «U»/p --data-ascii a --data-binary b --data-raw c`,
  `curl «U»/p --data-raw @not-a-file`,
  `curl «U»/p --data-urlencode 'n=a b&c=d/é'`,
  `curl «U»/p --data-urlencode '=a=b'`,
  `curl «U»/p --data-urlencode "it's (*)~"`,
  `curl «U»/p --json '{"a":1}'`,
  `curl «U»/p --json '{"a":' --json '1}'`,
  `curl «U»/p -d a --json b`,
  `curl «U»/p --json a -d b`,
  `curl «U»/p -d a --data-urlencode b --json c`,
  `curl «U»/p --json x -H 'Accept: text/plain'`,
  `curl «U»/p --json x -H 'Content-Type: text/plain'`,
  `curl «U»/p -d x -H 'Content-Type:'`,
  `curl «U»/p -d x -H 'Content-Type: application/json'`,
  `curl «U»/p --data-raw ''`,
  // headers
  `curl «U»/p -H 'X-A:one' -H 'x-b:  two \t'`,
  `curl «U»/p -H 'X-T: A' -H 'x-t: B'`,
  `curl «U»/p -H 'X-Empty;'`,
  `curl «U»/p -H 'Accept:' -H 'User-Agent:'`,
  `curl «U»/p -H 'X-T: A' -H 'X-T:'`,
  `curl «U»/p -H 'Host: «H»'`,
  `curl «U»/p -H 'User-Agent: mine' -A theirs`,
  `curl «U»/p -A 'ua/1'`,
  `curl «U»/p --user-agent 'ua 2'`,
  `curl «U»/p -e «U»/ref`,
  `curl «U»/p --referer '«U»/ref;auto'`,
  `curl «U»/p -b 'a=1' -b 'b=2'`,
  `curl «U»/p --cookie 'a=1; b=2'`,
  `curl «U»/p -r 0-99`,
  `curl «U»/p --range 5-`,
  `curl «U»/p --oauth2-bearer tok.en`,
  `curl «U»/p -H 'Authorization: Bearer x' -u a:b`,
  `curl «U»/p -H "X-Noise: no-break\u00a0space"`,
  // authentication
  `curl -u 'user:pä ss' «U»/p`,
  `curl --user u:p --basic «U»/p`,
  `curl -u u:p --digest «U»/p`,
  `curl -u u:p --anyauth «U»/p`,
  `curl -u u:p --negotiate «U»/p`,
  `curl -u u:p --digest --basic «U»/p`,
  `curl 'http://us%65r:p%40ss@«H»/p'`,
  `curl --digest 'http://u:p@«H»/p'`,
  // URLs
  `curl «H»/p`,
  `curl '«U»/a/../b/./c/.?q=1/../#frag'`,
  `curl --path-as-is '«U»/a/../b?x#f'`,
  `curl --path-as-is '«U»/a/../b' -G -d 'y=1'`,
  `curl «U»/p/..`,
  `curl «U»`,
  `curl '«U»?q=1'`,
  `curl '«U»/p#frag'`,
  `curl «U»/café/ü`,
  `curl '«U»/p?q=é'`,
  `curl -g '«U»/p?a[]=1'`,
  `curl --globoff '«U»/p?x={y}'`,
  `curl --url «U»/p`,
  `curl -- «U»/p`,
  `curl --request-target '/other?x=1' «U»/p`,
  // options that do not change the request
  `curl -sSLk -o out.json -w '%{http_code}' --connect-timeout 5 -m 10 --retry 1 --http1.1 -v -i «U»/p`,
  `curl -f -D /dev/null --trace-ascii /dev/null --stderr /dev/null «U»/p`,
  `curl --fail-with-body «U»/p`,
  `curl -C 5 «U»/p`,
  `curl --continue-at 0 -r 1-2 «U»/p`,
  `curl -C 7 -r 1-2 -r 3-4 «U»/p`,
  `curl --ntlm «U»/p`,
  `curl -0 «U»/p -d x`,
  `curl --http1.0 «U»/p`,
  `curl --compressed «U»/p`,
  `curl --tr-encoding «U»/p`,
  `curl --http2 «U»/p`,
  `curl -4 --tcp-nodelay --no-keepalive --keepalive-time 5 --limit-rate 1M «U»/p`,
  `curl -c /dev/null -j --max-filesize 1000000 --max-redirs 2 --location-trusted «U»/p`,
  `curl -# -N --raw --no-buffer --expect100-timeout 1 --proto =http «U»/p`,
  `curl -O --create-dirs «U»/p`,
  `curl --no-progress-meter --styled-output «U»/p`,
  // redirections and the end of the command
  `curl «U»/p >/dev/null -X DELETE`,
  `curl «U»/p 2>/dev/null -H 'x: 1'`,
  `curl «U»/p &>/dev/null -d x`,
  `curl «U»/p >out.txt -d y`,
  `curl «U»/p </dev/null -d z`,
  `curl «U»/p 2>&1 -d w`,
  `curl «U»/p >> out.txt -H 'x: 2'`,
  `curl «U»/p -d a | cat`,
  `curl «U»/p -d a; echo done -H 'x: 1'`,
  `curl «U»/p -d a && true -H 'x: 1'`,
  `curl «U»/p -d a || true -H 'x: 1'`,
  `curl «U»/p -d a\n  -H 'x: 1'`,
  // refused: what a shell or curl does that the paste does not show
  `curl -X $'GET /other HTTP/1.1\\r\\nX: ' «U»/p`,
  `curl -X 'POST /other?a=1' «U»/p`,
  `curl -X '' «U»/p`,
  `curl «U»/p -H "x: \`echo hi\`"`,
  `curl «U»/p -H "x: $(echo hi)"`,
  `curl «U»/p -d \`echo hi\``,
  `curl «U»/p -d $(echo hi)`,
  `curl «U»/p -d ~`,
  `curl «U»/p -d a=~`,
  `curl «U»/p -d {a,b}`,
  `curl «U»/p -d x{1..3}`,
  `curl «U»/p -d {"a":1,"b":2}`,
  `curl «U»/p -d @<(echo hi)`,
  `curl '«U»/{a,b}'`,
  `curl '«U»/p q'`,
  `curl «U»/p -F a=b`,
  `curl «U»/p --form-string a=b`,
  `curl «U»/p -T /dev/null`,
  `curl «U»/p -K /dev/null`,
  `curl «U»/p -: «U»/q`,
  `curl «U»/p -d @/dev/null`,
  `curl «U»/p --data-urlencode 'a@/dev/null'`,
  `curl «U»/p -H @/dev/null`,
  `curl «U»/p -u u:p --ntlm`,
  `curl «U»/p --url-query a=b`,
  `curl «U»/p --aws-sigv4 aws:amz:us-east-1:s3 -u a:b`,
  `curl «U»/p -z 'Tue, 01 Jan 2030 00:00:00 GMT'`,
  `curl «U»/p -I -d x`,
  `curl «U»/p -d 'unterminated`,
  `curl «U»/p -H $'X-Bad: \\x80'`,
  `curl «U»/p -H 'X-Split: a\nX-Other: b'`,
  `curl «U»/p «U»/q`,
  `curl -d x <<EOF\nhello\nEOF\n`,
  `curl «U»/p -H 'x'`,
];

/** Headers curl adds by itself that keybench does not model: compared only when keybench reads one. */
const CURL_OWN = new Set([
  'host',
  'user-agent',
  'accept',
  'content-length',
  'expect',
  'accept-encoding',
  'te',
  'connection',
  'upgrade',
  'http2-settings',
]);

/** The outcome for one command. */
type Outcome =
  | { kind: 'equal' }
  | { kind: 'refused'; message: string }
  | { kind: 'mismatch'; why: string; keybench: unknown; curl: unknown };

/** A program on PATH, or undefined. */
function which(program: string): string | undefined {
  try {
    return execFileSync('bash', ['-c', `command -v ${program}`], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** Runs one command through bash (curl talks to the capture server) and waits for it to end. */
function runBash(command: string, cwd: string): Promise<void> {
  return new Promise((resolve) => {
    execFile(
      'bash',
      ['--norc', '--noprofile', '-c', command],
      { cwd, timeout: 10_000, env: { LANG: 'C.UTF-8', PATH: process.env.PATH ?? '', HOME: cwd } },
      () => resolve(),
    );
  });
}

const latin1ToUtf8 = (s: string): string => Buffer.from(s, 'latin1').toString('utf8');

/** Compares keybench's reading of `command` with what curl sent. */
function compare(command: string, base: string, got: Captured[]): Outcome {
  const parsed = parseRequest(command);
  if (parsed.kind === 'error') return { kind: 'refused', message: parsed.message };
  if (parsed.kind !== 'request')
    return { kind: 'mismatch', why: 'not read as a request', keybench: parsed, curl: got };
  const req = parsed.request;
  const sent = got[0];
  if (got.length !== 1 || sent === undefined)
    return { kind: 'mismatch', why: `curl sent ${got.length} requests`, keybench: req, curl: got };
  if (!req.url.startsWith(base + '/'))
    return { kind: 'mismatch', why: 'another origin', keybench: req.url, curl: base };
  const ours = {
    method: req.method,
    target: req.url.slice(base.length),
    headers: req.headers.map(([n, v]) => `${n}: ${v}`).sort(),
    body: Buffer.from(req.body, 'utf8').toString('hex'),
  };
  const modelled = new Set(req.headers.map(([n]) => n.toLowerCase()));
  const theirs = {
    method: sent.method,
    target: latin1ToUtf8(sent.target),
    headers: sent.headers
      .filter(([n]) => !CURL_OWN.has(n.toLowerCase()) || modelled.has(n.toLowerCase()))
      .map(([n, v]) => `${n}: ${latin1ToUtf8(v)}`)
      .sort(),
    body: sent.body.toString('hex'),
  };
  for (const k of ['method', 'target', 'headers', 'body'] as const) {
    if (JSON.stringify(ours[k]) !== JSON.stringify(theirs[k]))
      return { kind: 'mismatch', why: k, keybench: ours[k], curl: theirs[k] };
  }
  return { kind: 'equal' };
}

const bash = which('bash');
const curl = which('curl');
/** Commands run side by side, each worker with its own capture server (they tell requests apart by order). */
const WORKERS = 4;
const servers: CaptureServer[] = [];
let dir: string;
const outcomes = new Map<string, Outcome>();

/** Runs one command against one worker's server and compares. */
async function check(template: string, server: CaptureServer): Promise<void> {
  const command = template
    .replaceAll('«U»', server.base)
    .replaceAll('«H»', server.base.slice('http://'.length));
  server.take();
  await runBash(command, dir);
  // (a backgrounded curl, `curl … &`, may still be sending: give it a moment)
  if (/[^&]&[^&>]/.test(command)) await new Promise((r) => setTimeout(r, 300));
  outcomes.set(template, compare(command, server.base, server.take()));
}

beforeAll(async () => {
  if (!bash || !curl) return;
  dir = mkdtempSync(join(tmpdir(), 'keybench-curl-'));
  for (let w = 0; w < WORKERS; w++) servers.push(await startCapture());
  let next = 0;
  await Promise.all(
    servers.map(async (server) => {
      // (a bounded loop: each worker takes the next command until none is left)
      while (next < COMMANDS.length) await check(COMMANDS[next++] ?? '', server);
    }),
  );
}, 120_000);

afterAll(async () => {
  for (const s of servers) await s.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('curl differential: keybench reads what real curl sends, or refuses', () => {
  it('bash and curl are installed (scripts/ensure-curl.mjs installs curl; this never skips)', () => {
    expect(bash, 'bash on PATH').toBeTruthy();
    expect(curl, "Debian's curl on PATH").toBeTruthy();
  });

  it('covers at least 100 commands, each one either equal or refused', () => {
    const counts = { commands: COMMANDS.length, equal: 0, refused: 0, mismatch: 0 };
    for (const o of outcomes.values()) counts[o.kind]++;
    console.log(`curl differential: ${JSON.stringify(counts)}`);
    expect(new Set(COMMANDS).size).toBe(COMMANDS.length);
    expect(outcomes.size).toBe(COMMANDS.length);
    expect(counts.commands).toBeGreaterThanOrEqual(100);
    expect(counts.equal).toBeGreaterThanOrEqual(100);
    expect(counts.mismatch).toBe(0);
  });

  it.each(COMMANDS)('%s', (template) => {
    const o = outcomes.get(template);
    expect(o?.kind === 'mismatch' ? o : 'ok').toBe('ok');
  });
});
