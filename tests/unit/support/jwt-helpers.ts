import {
  createHmac,
  createPrivateKey,
  createPublicKey,
  createHash,
  sign as nodeSign,
  verify as nodeVerify,
  constants,
  type KeyObject,
} from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './helpers';

/** A key pair made by openssl or ssh-keygen (the partners' own commands), as PEM text. */
export interface ToolKey {
  privatePem: string;
  publicPem: string;
  certPem: string;
  privateKey: KeyObject;
}

const cache = new Map<string, ToolKey>();

/** Make (once per test run) a key with the tools the partners' docs name. */
export function toolKey(
  kind: 'rsa1024' | 'rsa2048' | 'rsa3072' | 'p256' | 'p384' | 'p521' | 'ed25519',
): ToolKey {
  const hit = cache.get(kind);
  if (hit) return hit;
  const dir = tempDir();
  const priv = join(dir, 'key.pem');
  const run = (cmd: string, args: string[]) => execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  switch (kind) {
    case 'rsa1024':
      run('openssl', ['genrsa', '-traditional', '-out', priv, '1024']);
      break;
    case 'rsa2048':
      run('openssl', ['genrsa', '-traditional', '-out', priv, '2048']);
      break;
    case 'rsa3072':
      run('openssl', ['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:3072', '-out', priv]);
      break;
    case 'p256':
      run('openssl', ['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', priv]);
      break;
    case 'p384':
      run('openssl', ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-384', '-out', priv]);
      break;
    case 'p521':
      run('ssh-keygen', ['-q', '-t', 'ecdsa', '-b', '521', '-m', 'PEM', '-N', '', '-f', priv]);
      break;
    case 'ed25519':
      run('openssl', ['genpkey', '-algorithm', 'ed25519', '-out', priv]);
      break;
  }
  const pub = join(dir, 'key.pub.pem');
  run('openssl', ['pkey', '-in', priv, '-pubout', '-out', pub]);
  const cert = join(dir, 'cert.pem');
  run('openssl', [
    'req',
    '-x509',
    '-new',
    '-key',
    priv,
    '-subj',
    '/CN=keybench test',
    '-days',
    '2',
    '-out',
    cert,
  ]);
  const privatePem = readFileSync(priv, 'utf8');
  const k: ToolKey = {
    privatePem,
    publicPem: readFileSync(pub, 'utf8'),
    certPem: readFileSync(cert, 'utf8'),
    privateKey: createPrivateKey(privatePem),
  };
  cache.set(kind, k);
  return k;
}

const b64u = (b: Buffer | string) => Buffer.from(b).toString('base64url');

/** Sign a compact JWS with node:crypto, independently of keybench and jose. */
export function nodeJws(
  alg: string,
  key: KeyObject | Buffer,
  payload: Record<string, unknown> | string = { sub: 'keybench-test', iat: 1700000000 },
  extraHeader: Record<string, unknown> = {},
  opts: { der?: boolean; pss?: boolean; pkcs1?: boolean } = {},
): string {
  const header = { alg, typ: 'JWT', ...extraHeader };
  const input = `${b64u(JSON.stringify(header))}.${typeof payload === 'string' ? b64u(payload) : b64u(JSON.stringify(payload))}`;
  const bits = alg.slice(2);
  let sig: Buffer;
  if (alg.startsWith('HS')) {
    sig = createHmac(`sha${bits}`, key as Buffer)
      .update(input)
      .digest();
  } else if (alg === 'EdDSA') {
    sig = nodeSign(null, Buffer.from(input), key as KeyObject);
  } else if (alg.startsWith('ES')) {
    sig = nodeSign(`sha${bits}`, Buffer.from(input), {
      key: key as KeyObject,
      dsaEncoding: opts.der ? 'der' : 'ieee-p1363',
    });
  } else {
    const pss = opts.pss ?? alg.startsWith('PS');
    if (opts.pkcs1) {
      sig = nodeSign(`sha${bits}`, Buffer.from(input), {
        key: key as KeyObject,
        padding: constants.RSA_PKCS1_PADDING,
      });
    } else {
      sig = nodeSign(`sha${bits}`, Buffer.from(input), {
        key: key as KeyObject,
        padding: pss ? constants.RSA_PKCS1_PSS_PADDING : constants.RSA_PKCS1_PADDING,
        saltLength: Number(bits) / 8,
      });
    }
  }
  return `${input}.${b64u(sig)}`;
}

/** Whether node:crypto verifies a compact ES256/384/512 JWS (raw r‖s signature) with this public key. */
export function nodeVerifiesJws(jws: string, publicKey: KeyObject): boolean {
  const [h, p, s] = jws.split('.');
  const { alg } = JSON.parse(Buffer.from(h!, 'base64url').toString()) as { alg: string };
  return nodeVerify(
    `sha${alg.slice(2)}`,
    Buffer.from(`${h}.${p}`),
    { key: publicKey, dsaEncoding: 'ieee-p1363' },
    Buffer.from(s!, 'base64url'),
  );
}

/** The public JWK of a tool key, via node:crypto. */
export function nodeJwk(k: ToolKey, extra: Record<string, unknown> = {}) {
  return { ...createPublicKey(k.publicPem).export({ format: 'jwk' }), ...extra };
}

/** The PKCS#1 `RSA PUBLIC KEY` PEM of an RSA tool key. */
export function pkcs1Public(k: ToolKey): string {
  return createPublicKey(k.publicPem).export({ type: 'pkcs1', format: 'pem' }) as string;
}

/** SHA-256 hex, for comparisons. */
export function sha256(b: Uint8Array | string): string {
  return createHash('sha256').update(b).digest('hex');
}
