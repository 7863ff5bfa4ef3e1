import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** Path to a file in tests/vectors (fixtures kept in the repository, see its README). */
export function vectorPath(...parts: string[]): string {
  return resolve(import.meta.dirname, '../../vectors', ...parts);
}

/** Text of a file in tests/vectors. */
export function vector(...parts: string[]): string {
  return readFileSync(vectorPath(...parts), 'utf8');
}

/** Run openssl with stdin and return stdout (as text unless `binary`). */
export function openssl(args: string[], input?: string | Uint8Array): string {
  return execFileSync('openssl', args, { input, encoding: 'utf8' });
}

/** A fresh temporary directory. */
export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'keybench-'));
}

/** Write a file into a directory and return its path. */
export function writeTemp(dir: string, name: string, content: string | Uint8Array): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

/** Run openssl and return stdout as bytes (for signatures and DER). */
export function opensslBytes(args: string[]): Buffer {
  return execFileSync('openssl', args);
}

/** A public key from PEM text, as the doctor's trusted keys are (a pasted key; private text is refused). */
export async function pastedPublicKey(
  text: string,
  label = 'pasted public key',
): Promise<{ key?: import('../../../src/lib/jwt/verify').VerificationKey }> {
  const { parseKeyText } = await import('../../../src/lib/keys/parse');
  const parsed = await parseKeyText(text);
  if (parsed.kind !== 'public') return {};
  return { key: { kind: 'public', label, origin: 'pasted', spki: parsed.spki, type: parsed.type } };
}

/** A QI Tech QIT (v1) request signed by keybench's engine with a private key: headers by name, body, curl. */
export async function signQitV1(
  privateKey: CryptoKey,
  values: Record<string, string>,
): Promise<{ headers: Record<string, string>; body: string; token: string; curl: string; url: string }> {
  const { signScheme } = await import('../../../src/lib/scheme/sign');
  const { default: QITECH } = await import('../../../src/lib/schemes/qitech/scheme');
  const key = {
    kind: 'pair',
    label: 'signer',
    privateKey,
    publicKey: privateKey,
    spki: new Uint8Array(0),
  } as const;
  const out = await signScheme(
    QITECH.find((s) => s.id === 'qit-v1')!,
    values,
    key,
    Date.now(),
  );
  const headers = Object.fromEntries(out.request.headers);
  return {
    headers,
    body: out.request.body,
    token: headers['AUTHORIZATION']!.replace(/^QIT [^:]+:/, ''),
    curl: out.curl,
    url: out.request.url,
  };
}

/**
 * The seed of a property test: fixed, so that every run (and CI) tries the same inputs and a failure
 * reproduces; `FC_SEED=<n> npm run test:unit` explores other inputs.
 */
export function fcSeed(fixed: number): number {
  const env = process.env.FC_SEED;
  return env !== undefined && env !== '' ? Number(env) : fixed;
}
