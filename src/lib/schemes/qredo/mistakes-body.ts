/**
 * Body mistakes, as data: Qredo signs the body bytes exactly as sent. A signer may convert line
 * endings, add or drop the final newline or a byte-order mark, serialise the JSON another way than
 * the HTTP client sends it, or sign no body at all.
 */
import { pythonJsonDumps } from '../../partners/body-bytes';
import { mistake, together, type QredoCtx, type QredoMistake, type Variant } from './variants';

/** A body change that applies to the body as it stands (so it composes with another). */
function body(change: (b: string) => string): Variant {
  return (p) => ({ ...p, body: change(p.body) });
}

const sent = (ctx: QredoCtx): string => ctx.sent.body;

const LINE_ENDINGS_REMEDY =
  'Sign the body bytes exactly as sent: read files in binary mode, and do not let an editor, git (autocrlf) or the signing tool convert line endings between signing and sending.';

const LINE_ENDING_MISTAKES: readonly QredoMistake[] = [
  mistake({
    id: 'body-trailing-crlf-as-lf',
    code: 'ERR_QREDO_BODY_LINE_ENDINGS',
    title: 'Body signed ending in LF, sent ending in CRLF',
    explanation:
      "The signed body ends in \\n where the body sent ends in \\r\\n. Qredo's interactive signing client turns a trailing \\r\\n into \\n before signing.",
    remedy: LINE_ENDINGS_REMEDY,
    variants: (ctx) => (sent(ctx).endsWith('\r\n') ? [body((b) => `${b.slice(0, -2)}\n`)] : []),
  }),
  mistake({
    id: 'body-lf-for-crlf',
    code: 'ERR_QREDO_BODY_LINE_ENDINGS',
    title: 'Body signed with LF line endings, sent with CRLF',
    explanation: 'The signed body has LF line endings where the body sent has CRLF.',
    remedy: LINE_ENDINGS_REMEDY,
    variants: (ctx) => (sent(ctx).includes('\r\n') ? [body((b) => b.replace(/\r\n/g, '\n'))] : []),
  }),
  mistake({
    id: 'body-crlf-for-lf',
    code: 'ERR_QREDO_BODY_LINE_ENDINGS',
    title: 'Body signed with CRLF line endings, sent with LF',
    explanation: 'The signed body has CRLF line endings where the body sent has LF.',
    remedy: LINE_ENDINGS_REMEDY,
    variants: (ctx) => (/(^|[^\r])\n/.test(sent(ctx)) ? [body((b) => b.replace(/\r?\n/g, '\r\n'))] : []),
  }),
];

const NEWLINE_REMEDY =
  'Sign and send one and the same byte string; strip or keep the final newline in both places (curl --data-binary @file keeps it, -d strips it).';

const NEWLINE_DROPPED = mistake({
  id: 'body-newline-dropped',
  code: 'ERR_QREDO_BODY_TRAILING_NEWLINE',
  title: 'Body signed without the trailing newline it is sent with',
  explanation: 'The body sent ends in a newline that was not signed.',
  remedy: NEWLINE_REMEDY,
  variants: (ctx) => {
    const b = sent(ctx);
    if (b.endsWith('\r\n')) return [body((x) => x.slice(0, -2))];
    return b.endsWith('\n') ? [body((x) => x.slice(0, -1))] : [];
  },
});

const NEWLINE_ADDED = mistake({
  id: 'body-newline-added',
  code: 'ERR_QREDO_BODY_TRAILING_NEWLINE',
  title: 'Body signed with a trailing newline it is sent without',
  explanation:
    'The signed body ends in a newline; the body sent does not (curl -d and many HTTP clients drop it, files and heredocs add it).',
  remedy: NEWLINE_REMEDY,
  variants: (ctx) =>
    sent(ctx) === '' || sent(ctx).endsWith('\n') ? [] : [body((b) => `${b}\n`), body((b) => `${b}\r\n`)],
});

const BOM_MISTAKES: readonly QredoMistake[] = [
  mistake({
    id: 'body-bom-dropped',
    code: 'ERR_QREDO_BODY_BOM',
    title: 'Body sent with a byte-order mark that was not signed',
    explanation: 'The body sent starts with a UTF-8 byte-order mark (EF BB BF) that the signed body lacks.',
    remedy: 'Save the body file as UTF-8 without BOM (or strip U+FEFF) before signing and sending.',
    variants: (ctx) => (sent(ctx).startsWith('\uFEFF') ? [body((b) => b.slice(1))] : []),
  }),
  mistake({
    id: 'body-bom-added',
    code: 'ERR_QREDO_BODY_BOM',
    title: 'Body signed with a byte-order mark it is sent without',
    explanation: 'The signed body starts with a UTF-8 byte-order mark (EF BB BF) that the body sent lacks.',
    remedy: 'Save the body file as UTF-8 without BOM (or strip U+FEFF) before signing and sending.',
    variants: (ctx) =>
      sent(ctx) === '' || sent(ctx).startsWith('\uFEFF') ? [] : [body((b) => `\uFEFF${b}`)],
  }),
];

/** The JSON serialisations a signer may have used. */
type Form = 'compact' | 'pretty2' | 'pretty4' | 'python';
const FORMS: readonly Form[] = ['compact', 'pretty2', 'pretty4', 'python'];

const FORM_WORDS: Record<Form | 'other', string> = {
  compact: 'compact (JSON.stringify)',
  pretty2: 'pretty-printed with 2 spaces',
  pretty4: 'pretty-printed with 4 spaces',
  python: "with Python json.dumps' default spacing",
  other: 'as typed',
};

/** The body in each serialisation (null where it has none), and the one it is sent in. */
interface JsonForms {
  texts: Record<Form, string | null>;
  sentForm: Form | 'other';
}

const formsCache = new WeakMap<QredoCtx, JsonForms | null>();

/** The sent body's serialisations, computed once per request; null when it is not JSON. */
function formsOf(ctx: QredoCtx): JsonForms | null {
  if (formsCache.has(ctx)) return formsCache.get(ctx)!;
  const b = sent(ctx);
  let forms: JsonForms | null = null;
  try {
    const parsed: unknown = JSON.parse(b);
    // Deeply nested JSON overflows the stack of JSON.stringify: then that form is left out.
    const stringify = (space?: number): string | null => {
      try {
        return JSON.stringify(parsed, null, space);
      } catch {
        return null;
      }
    };
    const python = (): string | null => {
      try {
        return b.length <= 4 * 1024 * 1024 ? pythonJsonDumps(b) : null;
      } catch {
        return null;
      }
    };
    const texts = { compact: stringify(), pretty2: stringify(2), pretty4: stringify(4), python: python() };
    forms = { texts, sentForm: FORMS.find((f) => texts[f] === b) ?? 'other' };
  } catch {
    // Not JSON: no serialisation mistakes.
  }
  formsCache.set(ctx, forms);
  return forms;
}

/** Signed in `form`, sent in `sentForm`. */
function formMistake(form: Form, sentForm: Form | 'other'): QredoMistake {
  return mistake({
    id: `body-${form}-for-${sentForm}`,
    code: form === 'compact' ? 'ERR_QREDO_BODY_COMPACT' : 'ERR_QREDO_BODY_PRETTY',
    title: `Body signed ${FORM_WORDS[form]}, sent ${FORM_WORDS[sentForm]}`,
    explanation: `The signature covers the JSON body ${FORM_WORDS[form]}, but the request sends it ${FORM_WORDS[sentForm]}. Same JSON, different bytes.`,
    remedy:
      'Serialise the body once, sign those exact bytes, and send the same bytes (pass the signed string as the request body; do not let the HTTP client re-serialise the object).',
    variants: (ctx) => {
      const f = formsOf(ctx);
      const text = f?.sentForm === sentForm ? f.texts[form] : null;
      return text !== null && text !== undefined && text !== sent(ctx) ? [body(() => text)] : [];
    },
  });
}

const SENT_FORMS: readonly (Form | 'other')[] = [...FORMS, 'other'];
const FORM_MISTAKES = SENT_FORMS.flatMap((s) => FORMS.filter((f) => f !== s).map((f) => formMistake(f, s)));

const EMPTY_MISTAKES: readonly QredoMistake[] = [
  mistake({
    id: 'body-empty-signed',
    code: 'ERR_QREDO_BODY_EMPTY',
    title: 'Empty body signed, body sent',
    explanation: 'The signature covers no body at all, but the request sends a body.',
    remedy:
      'Sign the body bytes you send (only a GET or a WebSocket feed signs an empty body); make sure the signing code sees the body before it is attached to the request.',
    variants: (ctx) => (sent(ctx) !== '' ? [body(() => '')] : []),
  }),
  mistake({
    id: 'body-braces-signed',
    code: 'ERR_QREDO_BODY_EMPTY',
    title: 'Body {} signed, no body sent',
    explanation: 'The signature covers the body {}, but the request sends no body.',
    remedy: 'Sign exactly the bytes you send: with no body, the message is the value and the URL only.',
    variants: (ctx) => (sent(ctx) === '' ? [body(() => '{}')] : []),
  }),
];

/** Every body mistake, in the order the search tries them. */
export const BODY_MISTAKES: readonly QredoMistake[] = [
  ...LINE_ENDING_MISTAKES,
  NEWLINE_DROPPED,
  NEWLINE_ADDED,
  ...BOM_MISTAKES,
  ...FORM_MISTAKES,
  // Pretty-printed and saved to a file: the serialisation and a final newline.
  ...FORM_MISTAKES.filter((m) => m.code === 'ERR_QREDO_BODY_PRETTY' && !m.id.startsWith('body-python')).map(
    (m) => together(m, NEWLINE_ADDED),
  ),
  ...EMPTY_MISTAKES,
];
