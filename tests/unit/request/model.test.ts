/**
 * One reading of every request: the parser rules beside the curl differential and
 * the attack corpus. Each test fails without its rule.
 */
import { describe, expect, it } from 'vitest';
import { parseRequest } from '../../../src/lib/request/parse';
import { header, type ParsedRequest, type RequestParse } from '../../../src/lib/request/types';
import { plain } from '../../../src/lib/rich';

function read(r: RequestParse): ParsedRequest {
  if (r.kind !== 'request') throw new Error(JSON.stringify(r));
  return r.request;
}
function refused(r: RequestParse, pattern: RegExp): void {
  if (r.kind !== 'error') throw new Error(`expected a refusal, got ${JSON.stringify(r).slice(0, 300)}`);
  expect(r.code).toBe('ERR_REQUEST_PARSE');
  expect(r.message).toMatch(pattern);
}
const notes = (req: ParsedRequest) => req.notes.map(plain).join(' ');

describe('raw HTTP framing (RFC 9112 §6)', () => {
  it('HTTP/1.1 without Content-Length or Transfer-Encoding has no body, with a note', () => {
    const req = read(parseRequest('POST /x HTTP/1.1\r\nHost: h\r\n\r\n{"a":1}'));
    expect(req.body).toBe('');
    expect(notes(req)).toMatch(/no Content-Length and no Transfer-Encoding, so it has no body/);
  });
  it('HTTP/2 frames its own body: kept', () => {
    expect(read(parseRequest('POST /x HTTP/2\n:authority: h\n\n{"a":1}')).body).toBe('{"a":1}');
  });
  it('chunked on HTTP/1.0 is refused; on HTTP/1.1 it is read', () => {
    const chunked = (v: string) =>
      parseRequest(`POST /x HTTP/${v}\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n1\r\na\r\n0\r\n\r\n`);
    refused(chunked('1.0'), /HTTP\/1\.0 request is faulty framing/);
    expect(read(chunked('1.1')).body).toBe('a');
  });
  it('a #fragment in the request target is not sent', () => {
    const req = read(parseRequest('GET /x?a=1#frag HTTP/1.1\r\nHost: h\r\n\r\n'));
    expect(req.url).toBe('https://h/x?a=1');
    expect(notes(req)).toMatch(/never receives one/);
  });
});

describe('HAR and fetch', () => {
  const har = (request: Record<string, unknown>) =>
    parseRequest(JSON.stringify({ request: { url: 'https://h/x', headers: [], ...request } }));
  it('a base64 postData is decoded; bad base64 and non-UTF-8 bytes are refused', () => {
    const b64 = Buffer.from('{"é":1}').toString('base64');
    const req = read(har({ method: 'POST', postData: { text: b64, encoding: 'base64' } }));
    expect(req.body).toBe('{"é":1}');
    refused(har({ method: 'POST', postData: { text: 'not base64!', encoding: 'base64' } }), /not base64/);
    refused(har({ method: 'POST', postData: { text: '/w==', encoding: 'base64' } }), /not UTF-8/);
  });
  it('a method that is not a token is refused (HAR and fetch)', () => {
    refused(har({ method: 'GET /admin' }), /not an HTTP method/);
    refused(parseRequest('fetch("https://h/x", {"method": "POST\\r\\nX: y"});'), /not an HTTP method/);
    expect(read(har({ method: 'PATCH' })).method).toBe('PATCH');
  });
});

describe('curl as bash and curl read it', () => {
  it('-X must be a method token', () => {
    refused(parseRequest(`curl -X $'GET /a HTTP/1.1\\r\\nX: ' https://h/x`), /not an HTTP method/);
    expect(read(parseRequest('curl -X purge https://h/x')).method).toBe('purge');
  });
  it('a redirection does not end the command; ; | && || & and a newline do', () => {
    expect(read(parseRequest('curl https://h/x >/dev/null -X DELETE 2>&1 -H "a: 1"')).method).toBe('DELETE');
    expect(header(read(parseRequest('curl https://h/x 2>/dev/null -H "a: 1"')), 'a')).toBe('1');
    for (const end of [';', '|', '&&', '||', '&', '\n'])
      expect(read(parseRequest(`curl https://h/x -d a ${end} -X DELETE`)).method, end).toBe('POST');
  });
  it('command and process substitution, ~ and brace expansion are refused; quoted, they are text', () => {
    for (const text of [
      'curl https://h/x -d "`id`"',
      'curl https://h/x -d "$(id)"',
      'curl https://h/x -d $(id)',
      'curl https://h/x -d @<(id)',
      'curl https://h/x -d ~/f',
      'curl https://h/x -d a=~',
      'curl https://h/x -d {a,b}',
      'curl https://h/x -d x{1..3}',
    ])
      expect(parseRequest(text).kind, text).toBe('error');
    expect(read(parseRequest(`curl https://h/x -d '\`id\` $(id) ~ {a,b}'`)).body).toBe('`id` $(id) ~ {a,b}');
    expect(read(parseRequest('curl https://h/~user -d {"a":1} -d a~b')).body).toBe('{a:1}&a~b');
  });
  it('--json data joins with no separator, other data with &', () => {
    expect(read(parseRequest('curl https://h/x -d a --json b')).body).toBe('ab');
    expect(read(parseRequest('curl https://h/x --json a -d b')).body).toBe('a&b');
  });
  it('a non-ASCII path is percent-encoded (lower-case hex), the query is not', () => {
    expect(read(parseRequest(`curl 'https://h/café?q=é'`)).url).toBe('https://h/caf%c3%a9?q=é');
  });
  it('--digest, --negotiate, --anyauth or several schemes: no Authorization on the first request; --ntlm is refused', () => {
    for (const opt of ['--digest', '--negotiate', '--anyauth', '--digest --basic'])
      expect(
        header(read(parseRequest(`curl ${opt} -u a:b https://h/x`)), 'authorization'),
        opt,
      ).toBeUndefined();
    expect(header(read(parseRequest('curl --basic -u a:b https://h/x')), 'authorization')).toBe('Basic YTpi');
    expect(parseRequest('curl --ntlm -u a:b https://h/x').kind).toBe('error');
  });
});

describe('the end of the command', () => {
  it('a trailing newline or a last comment ends nothing: no note', () => {
    for (const text of ['curl https://h/x -d a\n\n', 'curl https://h/x -d a # sent as is\n'])
      expect(notes(read(parseRequest(text))), text).not.toMatch(/end of the line/);
    expect(notes(read(parseRequest('curl https://h/x -d a\ncurl https://h/y')))).toMatch(/end of the line/);
  });
});
