/**
 * Reading a pasted curl command: the words come from command-words.ts (bash or cmd.exe, as the
 * shell hands them to curl), the meaning of each option from curl's own rules. Nothing here runs
 * a shell or reads a file.
 */
import { bytesToBase64 } from '../encoding/base64url';
import { ours, rich, u, type Rich } from '../rich';
import { commandWords, ReadError } from './command-words';
import { HTTP_TOKEN, isCBlank, removeDotSegments, trimOws, withoutFragment } from './text';
import type { ParsedRequest } from './types';

/** Options that do not change the request and take no argument (long names, without `--`). */
const FLAGS = new Set(
  (
    'silent show-error verbose include insecure location location-trusted compressed compressed-ssh ' +
    'http0.9 http1.0 http1.1 http2 http2-prior-knowledge http3 http3-only fail fail-with-body fail-early ' +
    'no-buffer progress-bar netrc netrc-optional remote-name remote-name-all remote-header-name globoff ' +
    'ipv4 ipv6 tcp-nodelay tcp-fastopen no-keepalive keepalive no-sessionid sessionid path-as-is raw ' +
    'tr-encoding ssl ssl-reqd ssl-allow-beast ssl-no-revoke ssl-revoke-best-effort ssl-auto-client-cert ' +
    'tlsv1 tlsv1.0 tlsv1.1 tlsv1.2 tlsv1.3 sslv2 sslv3 no-progress-meter styled-output disable parallel ' +
    'parallel-immediate anyauth basic digest ntlm ntlm-wb negotiate no-alpn no-npn create-dirs remote-time ' +
    'retry-connrefused retry-all-errors junk-session-cookies proxytunnel proxy-insecure proxy-anyauth ' +
    'proxy-basic proxy-digest proxy-ntlm proxy-negotiate cert-status false-start list-only append use-ascii ' +
    'xattr doh-insecure haproxy-protocol suppress-connect-headers disallow-username-in-url post301 post302 ' +
    'post303 ignore-content-length skip-existing clobber no-clobber manual help version trace-time ca-native ' +
    'proxy-ca-native proxy-http2 show-headers'
  ).split(' '),
);

/** Options that do not change the request and take one argument, which is skipped. */
const IGNORED_WITH_ARG = new Set(
  (
    'output write-out connect-timeout max-time retry retry-delay retry-max-time proxy proxy-user cacert ' +
    'capath cert key cert-type key-type pass resolve connect-to interface dns-servers cookie-jar dump-header ' +
    'trace trace-ascii stderr limit-rate speed-limit speed-time max-redirs ciphers tls13-ciphers tls-max ' +
    'noproxy output-dir unix-socket abstract-unix-socket expect100-timeout keepalive-time local-port proto ' +
    'proto-redir proto-default proxy-header max-filesize ftp-port quote telnet-option ' +
    'happy-eyeballs-timeout-ms pinnedpubkey crlfile egd-file random-file netrc-file dns-interface ' +
    'dns-ipv4-addr dns-ipv6-addr etag-save hsts alt-svc parallel-max rate sasl-authzid ' +
    'login-options mail-from mail-rcpt mail-auth proxy-cacert proxy-capath proxy-cert proxy-key proxy-pass ' +
    'proxy-ciphers proxy-cert-type proxy-key-type socks4 socks4a socks5 socks5-hostname preproxy ' +
    'create-file-mode doh-url ip-tos vlan-priority curves engine delegation service-name krb ftp-account ' +
    'ftp-alternative-to-user ftp-method ftp-ssl-ccc-mode tftp-blksize mail-rcpt-allowfails ' +
    'proxy-service-name socks5-gssapi-service proxy-tlsuser proxy-tlspassword proxy-tlsauthtype ' +
    'tlsuser tlspassword tlsauthtype pubkey hostpubmd5 hostpubsha256 ssl-sessions'
  ).split(' '),
);

/** Short options (`X=long-name`): the long name each stands for. */
const SHORT: Record<string, string> = Object.fromEntries(
  (
    'A=user-agent b=cookie c=cookie-jar C=continue-at d=data D=dump-header e=referer E=cert F=form ' +
    'H=header K=config m=max-time o=output P=ftp-port Q=quote r=range t=telnet-option T=upload-file ' +
    'u=user U=proxy-user w=write-out x=proxy X=request y=speed-time Y=speed-limit z=time-cond G=get ' +
    'I=head i=include k=insecure L=location s=silent S=show-error v=verbose f=fail g=globoff n=netrc ' +
    'N=no-buffer O=remote-name J=remote-header-name 4=ipv4 6=ipv6 0=http1.0 1=tlsv1 2=sslv2 3=sslv3 ' +
    'a=append B=use-ascii j=junk-session-cookies l=list-only M=manual p=proxytunnel q=disable ' +
    'R=remote-time V=version Z=parallel #=progress-bar h=help :=next'
  )
    .split(' ')
    .map((e) => [e[0], e.slice(2)]),
);

/** Options that change the request and take an argument. */
const REQUEST_WITH_ARG = new Set(
  (
    'request header data data-ascii data-raw data-binary data-urlencode json url user-agent referer ' +
    'cookie user oauth2-bearer form form-string upload-file config range request-target aws-sigv4 url-query ' +
    'variable time-cond etag-compare continue-at'
  ).split(' '),
);
/** Options that change the request and take no argument. */
const REQUEST_FLAGS = new Set(['get', 'head', 'next']);

/** Whether an option (long name) takes an argument. */
const takesArg = (name: string): boolean => IGNORED_WITH_ARG.has(name) || REQUEST_WITH_ARG.has(name);

/**
 * Percent-encoding as curl's --data-urlencode does it: curl_easy_escape (everything but
 * `A-Z a-z 0-9 - . _ ~` becomes %XX of its UTF-8 bytes, upper-case hex), then a space's %20
 * becomes `+` (curl's tool_getparam.c, replace_url_encoded_space_by_plus).
 */
export function curlUrlEncode(s: string): string {
  try {
    return encodeURIComponent(s).replace(/[!'()*]|%20/g, (c) =>
      c === '%20' ? '+' : '%' + c.charCodeAt(0).toString(16).toUpperCase(),
    );
  } catch {
    throw new ReadError('--data-urlencode holds text that is not valid Unicode (a lone surrogate).');
  }
}

/** One piece of request data, in the order given; `json` pieces join without `&`. */
interface DataPiece {
  text: string;
  json: boolean;
}

/** The error message for data read from a file or stdin, which the paste does not hold. */
function fromFile(option: string, value: string): ReadError {
  const what: Rich = value === '@-' ? ['standard input'] : rich`the file ${value.slice(1)}`;
  return new ReadError([
    ...rich`${option} ${value} sends the bytes of `,
    ...what,
    ", which are not in the paste, so the body cannot be known. Paste the command with the body written out (e.g. --data-raw '…'), or the request as raw HTTP or HAR.",
  ]);
}

/** What the options of one curl command say about the request, gathered in order. */
interface CurlOptions {
  notes: Rich[];
  method?: string;
  get: boolean;
  head: boolean;
  pathAsIs: boolean;
  globOff: boolean;
  requestTarget?: string;
  urls: string[];
  /** -H headers, as sent. */
  custom: [string, string][];
  /** Headers an empty -H stops curl adding itself (lower case). */
  removed: Set<string>;
  /** Headers curl derives from other options (-A, -e, -b, -u…). */
  derived: [string, string][];
  cookies: string[];
  data: DataPiece[];
  json: boolean;
  /** The first option keybench does not know (it may take an argument). */
  unknown?: string;
  user?: string;
  /** -C N (N > 0) and else the last -r: the Range header curl sends. */
  range?: string;
  resume: number;
  /** curl's --basic/--digest/… choices (`authtype`); none chosen means Basic. */
  auth: Set<string>;
}

/** Handles one option: `arg` is its argument (or ''), `shown` the option as written, `name` its long name. */
type OptionHandler = (o: CurlOptions, arg: string, shown: string, name: string) => void;

/** -H: a header curl sends, removes (`Name:`) or sends empty (`Name;`); from a file: refused. */
function headerOption(o: CurlOptions, arg: string, shown: string): void {
  if (arg.startsWith('@'))
    throw new ReadError(
      rich`${shown} ${arg} reads headers from a file, which is not in the paste. Write the headers out with -H 'Name: value'.`,
    );
  const colon = arg.indexOf(':');
  const semi = arg.indexOf(';');
  if (colon === -1) {
    if (semi > 0 && isCBlank(arg.slice(semi + 1))) o.custom.push([arg.slice(0, semi), '']);
    else o.notes.push(rich`Ignored ${shown} ${arg}: it has no colon, so curl sends no such header.`);
    return;
  }
  const hname = arg.slice(0, colon);
  const value = arg.slice(colon + 1);
  if (!HTTP_TOKEN.test(hname))
    throw new ReadError(
      rich`${shown} ${arg}: ${hname} is not a header name (letters, digits and !#$%&'*+.^_\`|~- only, no spaces). curl sends it as written and servers read it in different ways.`,
    );
  if (/[\r\n\0]/.test(value))
    throw new ReadError(
      rich`${shown} ${arg}: the value holds a line break or NUL. curl sends it as written, so the server reads more header lines than the paste shows.`,
    );
  if (isCBlank(value)) {
    // curl: "Name:" with no value is not sent; it only stops curl adding a header of its own
    // (Host, User-Agent, Accept, Content-Type…), never another -H of the same name
    o.removed.add(hname.toLowerCase());
    o.notes.push(rich`${shown} ${arg} is not sent: it only stops curl adding a ${hname} header of its own.`);
    return;
  }
  // curl sends the line as written; a server reads the value without the SP/HTAB around it
  o.custom.push([hname, trimOws(value)]);
}

/** -d, --data-ascii, --data-binary, --json: data as written; from a file (`@…`): refused. */
const dataOption: OptionHandler = (o, arg, shown, name) => {
  if (arg.startsWith('@')) throw fromFile(shown, arg);
  o.data.push({ text: arg, json: name === 'json' });
  if (name === 'json') o.json = true;
};

/** --data-urlencode: `content`, `=content`, `name=content` encoded; `name@file`: refused. */
const urlencodeOption: OptionHandler = (o, arg, shown) => {
  let at = arg.indexOf('=');
  if (at === -1) at = arg.indexOf('@');
  if (at !== -1 && arg[at] === '@') throw fromFile(shown, arg);
  const content = at === -1 ? arg : arg.slice(at + 1);
  const prefix = at > 0 ? arg.slice(0, at) + '=' : '';
  o.data.push({ text: prefix + curlUrlEncode(content), json: false });
};

/** An option whose request keybench cannot know from the paste: refused with this message. */
const refused =
  (message: (shown: string, arg: string) => Rich): OptionHandler =>
  (_o, arg, shown) => {
    throw new ReadError(message(shown, arg));
  };

/** -F, --form-string: a multipart body, whose boundary curl picks at random: refused. */
const multipart = refused(
  (shown) =>
    rich`${shown} builds a multipart/form-data body whose boundary curl picks at random when it runs, so the bytes sent cannot be known from the paste. Paste the request as raw HTTP or HAR (from the browser or curl -v) instead.`,
);

/** --basic, --digest, --ntlm…: an authentication scheme curl may use (`--no-…` takes it back). */
const authOption: OptionHandler = (o, _arg, shown, name) => {
  if (shown.startsWith('--no-')) o.auth.delete(name);
  else o.auth.add(name);
};

/** The options that change the request, by long name; every other known option changes nothing. */
const REQUEST_OPTIONS: Record<string, OptionHandler> = {
  request: (o, arg) => void (o.method = arg),
  get: (o) => void (o.get = true),
  head: (o) => void (o.head = true),
  url: (o, arg) => void o.urls.push(arg),
  header: headerOption,
  data: dataOption,
  'data-ascii': dataOption,
  'data-binary': dataOption,
  json: dataOption,
  'data-raw': (o, arg) => void o.data.push({ text: arg, json: false }),
  'data-urlencode': urlencodeOption,
  form: multipart,
  'form-string': multipart,
  'upload-file': refused(
    (shown, arg) =>
      rich`${shown} ${arg} sends the bytes of a file, which are not in the paste, so the body cannot be known. Paste the request with the body written out.`,
  ),
  config: refused(
    (shown, arg) =>
      rich`${shown} ${arg} reads more options from a file, which is not in the paste. Paste the full command.`,
  ),
  next: refused(
    (shown) =>
      rich`${shown} starts a second request in the same command: keybench reads one request. Paste one at a time.`,
  ),
  'user-agent': (o, arg) => void o.derived.push(['User-Agent', arg]),
  referer: (o, arg) => {
    const ref = arg.endsWith(';auto') ? arg.slice(0, -5) : arg;
    if (ref !== '') o.derived.push(['Referer', ref]);
  },
  cookie: (o, arg, shown) => {
    if (arg.includes('=')) o.cookies.push(arg);
    else
      o.notes.push(
        rich`${shown} ${arg} reads cookies from a file that is not in the paste: no Cookie header is shown.`,
      );
  },
  user: (o, arg, shown) => {
    if (!arg.includes(':'))
      o.notes.push(
        rich`${shown} ${arg} has no password: curl would ask for it, so the Authorization header is not known.`,
      );
    else o.user = arg;
  },
  'oauth2-bearer': (o, arg) => void o.derived.push(['Authorization', 'Bearer ' + arg]),
  range: (o, arg) => void (o.range = arg),
  // curl sends this in place of the URL's path and query: that is what the server reads
  'request-target': (o, arg) => void (o.requestTarget = arg),
  'aws-sigv4': refused(
    (shown) =>
      rich`${shown}: curl computes an AWS signature (Authorization, X-Amz-Date) when it runs, from the clock: the headers sent are not in the paste. Paste the request as raw HTTP (curl -v shows it).`,
  ),
  'time-cond': refused(
    (shown, arg) =>
      rich`${shown} ${arg}: curl adds an If-Modified-Since or If-Unmodified-Since header it computes from a date or a file's time, which keybench does not model. Write the header out with -H.`,
  ),
  'etag-compare': refused(
    (shown, arg) =>
      rich`${shown} ${arg} sends an If-None-Match header read from a file, which is not in the paste. Write the header out with -H.`,
  ),
  'continue-at': (o, arg, shown) => {
    if (!/^\d{1,15}$/.test(arg))
      throw new ReadError(
        rich`${shown} ${arg}: curl computes the Range header from the size of the output file, which is not in the paste.`,
      );
    o.resume = Number(arg);
  },
  'url-query': refused((shown) => rich`${shown} is not supported: write the query into the URL instead.`),
  variable: (o, arg, shown) =>
    void o.notes.push(rich`${shown} ${arg}: curl variables ({{name}}) are not expanded by keybench.`),
  'path-as-is': (o, _arg, shown) => void (o.pathAsIs = !shown.startsWith('--no-')),
  globoff: (o, _arg, shown) => void (o.globOff = !shown.startsWith('--no-')),
  basic: authOption,
  digest: authOption,
  ntlm: authOption,
  'ntlm-wb': authOption,
  negotiate: authOption,
  anyauth: (o) => {
    for (const a of ['basic', 'digest', 'ntlm', 'negotiate']) o.auth.add(a);
  },
  compressed: (o) =>
    void o.notes.push(['--compressed: curl also sends an Accept-Encoding header it chooses itself.']),
};

/** Handles one option by its long name, with its argument if it takes one. */
function applyOption(o: CurlOptions, name: string, shown: string, arg: string): void {
  const handler = Object.hasOwn(REQUEST_OPTIONS, name) ? REQUEST_OPTIONS[name] : undefined;
  handler?.(o, arg, shown, name);
}

/** An option keybench does not know: noted, and the first one kept for the many-URLs message. */
function unknownOption(o: CurlOptions, shown: string): void {
  o.unknown ??= shown;
  o.notes.push(rich`Ignored the curl option ${shown}, which keybench does not know.`);
}

/** A `--long` option word; `next` takes its argument from the next word. */
function longOption(o: CurlOptions, w: string, next: (shown: string) => string): void {
  let name = w.slice(2);
  if (name.startsWith('no-') && FLAGS.has(name.slice(3))) name = name.slice(3);
  if (takesArg(name)) applyOption(o, name, w, next(w));
  else if (FLAGS.has(name) || REQUEST_FLAGS.has(name)) applyOption(o, name, w, '');
  else unknownOption(o, w);
}

/** Short options, possibly combined (-sSL) or with the argument attached (-XPOST). */
function shortOptions(o: CurlOptions, w: string, next: (shown: string) => string): void {
  for (let k = 1; k < w.length; k++) {
    const letter = w[k] ?? '';
    const name = Object.hasOwn(SHORT, letter) ? SHORT[letter] : undefined;
    const shown = '-' + letter;
    if (name === undefined) {
      unknownOption(o, shown);
      continue;
    }
    if (takesArg(name)) {
      const rest = w.slice(k + 1);
      applyOption(o, name, shown, rest !== '' ? rest : next(shown));
      return;
    }
    applyOption(o, name, shown, '');
  }
}

/** Reads the words after `curl` into {@link CurlOptions}: options, their arguments and URLs. */
function readOptions(argv: string[], notes: Rich[]): CurlOptions {
  const o: CurlOptions = {
    notes,
    get: false,
    head: false,
    pathAsIs: false,
    globOff: false,
    urls: [],
    custom: [],
    removed: new Set(),
    derived: [],
    cookies: [],
    data: [],
    json: false,
    resume: 0,
    auth: new Set(),
  };
  let i = 0;
  let endOfOptions = false;
  /** The argument of the option at argv[i], taken from the next word. */
  const next = (shown: string): string => {
    i++;
    const a = argv[i];
    if (a === undefined) throw new ReadError(rich`${shown} needs an argument, and the command ends there.`);
    return a;
  };
  for (; i < argv.length; i++) {
    const w = argv[i] ?? '';
    if (endOfOptions || !w.startsWith('-') || w === '-') {
      if (w !== '') o.urls.push(w);
    } else if (w === '--') endOfOptions = true;
    else if (w.startsWith('--')) longOption(o, w, next);
    else shortOptions(o, w, next);
  }
  return o;
}

/** The one URL the command gives, as written; refused when there is none, several, or curl would refuse it. */
function writtenUrl(o: CurlOptions): string {
  const { urls, unknown } = o;
  if (urls.length === 0)
    throw new ReadError(
      'The curl command has no URL. Copy the whole command, including the https://… address.',
    );
  if (urls.length > 1)
    throw new ReadError([
      `The curl command has ${urls.length} URLs (`,
      ...urls.slice(0, 5).flatMap((w, k) => (k > 0 ? [', ', u(w.slice(0, 60))] : [u(w.slice(0, 60))])),
      urls.length > 5 ? ', …' : '',
      '); keybench reads one request.',
      ...(unknown ? rich` (Perhaps ${unknown}, which keybench does not know, takes an argument.)` : []),
    ]);
  const written = urls[0] ?? '';
  if (!o.globOff && /[{}[\]]/.test(written))
    throw new ReadError(
      rich`The URL ${written} holds { } or [ ]: curl expands them into several requests (URL globbing). Add -g (--globoff) to send it as written, or percent-encode them.`,
    );
  if (/[ \\]/.test(withoutFragment(written)))
    throw new ReadError(
      rich`The URL ${written} holds a space or a backslash: curl refuses it ("URL using bad/illegal format"). Percent-encode it (%20, %5C).`,
    );
  return written;
}

/**
 * The URL curl sends for the written one (before -G adds the data), with --request-target applied;
 * credentials in it (or -u) become a derived Authorization header.
 */
function urlSent(o: CurlOptions, written: string): string {
  // (curl rebuilds a -G URL with its URL parser, which removes dot segments even with --path-as-is)
  const sent = curlSentUrl(written, o.pathAsIs && !(o.get && o.data.length > 0));
  let url = sent.url;
  // curl sends credentials (-u, else user:password@ in the URL) as Authorization: Basic, unless
  // -u or oauth2-bearer says otherwise
  const credentials = o.user ?? (sent.userinfo !== undefined ? decodeUserinfo(sent.userinfo) : undefined);
  if (credentials !== undefined && !o.derived.some(([k]) => k.toLowerCase() === 'authorization'))
    o.derived.push(...authorization(credentials, o.auth, o.notes));
  const { requestTarget } = o;
  if (requestTarget !== undefined) {
    if (!requestTarget.startsWith('/'))
      throw new ReadError(
        rich`--request-target ${requestTarget} is not a path: keybench reads requests sent to a path (/…).`,
      );
    const slash = url.indexOf('/', url.indexOf('//') + 2);
    const origin = slash === -1 ? url : url.slice(0, slash);
    o.notes.push(rich`--request-target: curl sends ${requestTarget} in place of the URL's path and query.`);
    url = origin + requestTarget;
  }
  if (url !== written)
    o.notes.push(
      rich`curl sends the URL ${url}, not ${written} as written (${ours(sent.why.join('; '))}): the URL sent is the one read.`,
    );
  return url;
}

/** The data options joined as curl joins them: `&` between pieces, none before a --json piece. */
function joinedData(o: CurlOptions): string {
  const { data } = o;
  let body = '';
  for (const [k, piece] of data.entries()) {
    const prev = data[k - 1];
    // (curl appends --json data with no separator, even after -d: `-d a --json b` sends `ab`)
    body += (prev && !piece.json ? '&' : '') + piece.text;
  }
  if (data.length > 1)
    o.notes.push(
      rich`curl joins the ${data.length} data options into one body${ours(o.json ? '' : ' with &')}.`,
    );
  return body;
}

/** The method curl sends: -X as written (an HTTP token, else refused), else from -I, -G and the data. */
function methodSent(o: CurlOptions): string {
  const { method, head, get, data } = o;
  if (head && data.length > 0 && !get)
    throw new ReadError(
      '-I (HEAD) with data to post: curl refuses the command ("You can only select one HTTP request method!") and sends nothing.',
    );
  if (method === undefined) return head ? 'HEAD' : get ? 'GET' : data.length > 0 ? 'POST' : 'GET';
  if (!HTTP_TOKEN.test(method))
    throw new ReadError(
      rich`-X ${method} is not an HTTP method (letters, digits and !#$%&'*+.^_\`|~- only): curl writes it into the request line as it is, so a space, a line break or a path in it sends another request than the one the paste shows.`,
    );
  return method;
}

/**
 * The headers curl sends: those it derives from options first (Range, Cookie…), unless a -H of
 * the same name replaces one or an empty -H removes it; then the -H headers; then the
 * Content-Type and Accept curl adds for --json and the data.
 */
function headersSent(o: CurlOptions): [string, string][] {
  const { derived, custom, removed, data } = o;
  if (o.resume > 0) derived.push(['Range', `bytes=${o.resume}-`]);
  else if (o.range !== undefined) derived.push(['Range', 'bytes=' + o.range]);
  const given = new Set(custom.map(([k]) => k.toLowerCase()));
  if (o.cookies.length > 0) derived.push(['Cookie', o.cookies.join(';')]); // as curl joins them
  // an empty -H removes only the headers curl adds itself, never a -H header
  const ownKept = ([k]: [string, string]): boolean =>
    !given.has(k.toLowerCase()) && !removed.has(k.toLowerCase());
  const kept: [string, string][] = [...derived.filter(ownKept), ...custom];
  if (o.json) {
    for (const h of ['Content-Type', 'Accept']) if (ownKept([h, ''])) kept.push([h, 'application/json']);
  }
  if (data.length > 0 && !o.get && !kept.some(([k]) => k.toLowerCase() === 'content-type')) {
    if (removed.has('content-type'))
      o.notes.push(['The Content-Type header is removed: curl sends the data with no Content-Type.']);
    else {
      // curl adds this header itself for -d and its kin: it is sent, and some schemes sign it
      kept.push(['Content-Type', 'application/x-www-form-urlencoded']);
      o.notes.push([
        'No Content-Type given: curl adds Content-Type: application/x-www-form-urlencoded for the data (shown among the headers).',
      ]);
    }
  }
  return kept;
}

/** Reads a curl command (known to start with {@link CURL_START}) into a request, or throws a ReadError. */
export function readCurl(text: string): ParsedRequest {
  const notes: Rich[] = [];
  const argv = commandWords(text.replace(/^\$[ \t]+/, ''), notes);
  argv.shift(); // "curl" or "curl.exe"
  const o = readOptions(argv, notes);
  const written = writtenUrl(o);
  let url = urlSent(o, written);
  let body = joinedData(o);
  if (o.get && o.data.length > 0) {
    url = url + (url.includes('?') ? '&' : '?') + body;
    body = '';
    notes.push(['-G/--get: curl sends the data in the URL query string, not in the body.']);
  }
  const method = methodSent(o);
  return { source: 'curl', method, url, headers: headersSent(o), body, notes };
}

/**
 * The URL as curl sends it: http:// when there is no scheme, no #fragment, and (unless
 * --path-as-is) the path without ./ and ../ segments, as curl 7.88+ does (checked against curl in
 * the tests). An empty path is `/`.
 */
function curlSentUrl(written: string, pathAsIs: boolean): { url: string; why: string[]; userinfo?: string } {
  const why: string[] = [];
  let url = withoutFragment(written);
  if (url !== written) why.push('curl never sends the #fragment');
  if (!/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(url)) {
    url = 'http://' + url;
    why.push('the URL has no scheme: curl uses http://');
  }
  const afterScheme = url.indexOf('//') + 2;
  let pathStart = afterScheme;
  while (pathStart < url.length && url[pathStart] !== '/' && url[pathStart] !== '?') pathStart++;
  // user:password@ is not part of the URL sent: curl sends it as an Authorization header
  let userinfo: string | undefined;
  const at = url.lastIndexOf('@', pathStart);
  if (at >= afterScheme) {
    userinfo = url.slice(afterScheme, at);
    url = url.slice(0, afterScheme) + url.slice(at + 1);
    pathStart -= at + 1 - afterScheme;
    why.push('curl sends user:password@ as an Authorization header, not in the URL');
  }
  const q = url.indexOf('?', pathStart);
  const pathEnd = q === -1 ? url.length : q;
  const asWritten = url.slice(pathStart, pathEnd);
  let path = asWritten;
  if (path === '') {
    path = '/';
    why.push('an empty path is sent as /');
  } else if (!pathAsIs) {
    path = removeDotSegments(path);
    if (path !== asWritten) why.push('curl removes ./ and ../ segments unless --path-as-is');
  }
  if (/[\u0080-\u{10ffff}]/u.test(path)) {
    // curl 7.88 percent-encodes the UTF-8 bytes of a non-ASCII path, lower-case hex (not the query)
    path = [...new TextEncoder().encode(path)]
      .map((b) => (b < 0x80 ? String.fromCharCode(b) : '%' + b.toString(16).padStart(2, '0')))
      .join('');
    why.push('curl percent-encodes the non-ASCII characters of the path');
  }
  return { url: url.slice(0, pathStart) + path + url.slice(pathEnd), why, userinfo };
}

/**
 * The Authorization header curl sends on its FIRST request for these credentials: Basic when
 * Basic is the only scheme allowed (the default); none when curl waits for the server's challenge
 * (--digest, --negotiate, --anyauth, or several schemes), and a note says so. NTLM writes a
 * handshake message of its own: refused.
 */
function authorization(credentials: string, auth: Set<string>, notes: Rich[]): [string, string][] {
  if (auth.size === 0 || (auth.size === 1 && auth.has('basic')))
    return [['Authorization', 'Basic ' + bytesToBase64(new TextEncoder().encode(credentials))]];
  if (auth.size === 1 && (auth.has('ntlm') || auth.has('ntlm-wb')))
    throw new ReadError(
      '--ntlm: curl writes an NTLM handshake as the Authorization header, which keybench does not model. Paste the request as raw HTTP (curl -v shows it).',
    );
  notes.push([
    `--${[...auth].join('/--')}: curl sends no Authorization header on its first request; it answers the server's challenge with one it computes then. The request read is the first one.`,
  ]);
  return [];
}

/** user:password from a URL, percent-decoded as curl does (undecodable text is kept as written). */
function decodeUserinfo(userinfo: string): string {
  try {
    return decodeURIComponent(userinfo);
  } catch {
    return userinfo;
  }
}

/** The start of a curl command: `curl` or `curl.exe`, maybe after a `$ ` prompt. */
export const CURL_START = /^(?:\$[ \t]+)?curl(?:\.exe)?(?=[\s\\^]|$)/i;
