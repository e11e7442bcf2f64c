import { X509Certificate, createPrivateKey, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { createSecureContext } from 'node:tls';
import { generate } from 'selfsigned';
import { ServerConfigError } from './options.js';

/** A certificate and key ready for `https.createServer`. */
export interface TlsMaterial {
  certPem: string;
  keyPem: string;
  selfSigned: boolean;
  /** Where the certificate is on disk (a cached self-signed one, or the given path), for `NODE_EXTRA_CA_CERTS`. */
  certPath: string | null;
}

/** Names every local certificate covers. */
const LOCAL_NAMES = ['localhost', '127.0.0.1', '::1'];
const SELF_SIGNED_DAYS = 90;
/** A cached certificate is replaced when it has less than this left. */
const MIN_REMAINING_MS = 24 * 60 * 60 * 1000;
/** The file name of the self-signed certificate in its cache directory (what `NODE_EXTRA_CA_CERTS` names). */
export const CERT_FILE = 'local-realtime-cert.pem';
const KEY_FILE = 'local-realtime-key.pem';

/**
 * Loads TLS material: a given cert and key (each PEM text or a file path), or, for `'self-signed'`, a certificate
 * for localhost/127.0.0.1/::1 (plus `extraHosts`), made now or reused from `cacheDir`. Throws
 * {@link ServerConfigError} with a readable message when files are missing or don't match.
 */
export async function loadTlsMaterial(
  option: 'self-signed' | { cert: string; key: string },
  context: { cacheDir?: string; extraHosts?: readonly string[]; now?: () => number } = {},
): Promise<TlsMaterial> {
  if (option === 'self-signed') {
    const hosts = uniqueHosts([...LOCAL_NAMES, ...(context.extraHosts ?? [])]);
    return selfSigned(hosts, context.cacheDir, context.now ?? Date.now);
  }
  const [cert, key] = await Promise.all([readPem(option.cert, 'cert'), readPem(option.key, 'key')]);
  assertPair(cert.pem, key.pem);
  return { certPem: cert.pem, keyPem: key.pem, selfSigned: false, certPath: cert.path };
}

async function readPem(
  value: string,
  what: 'cert' | 'key',
): Promise<{ pem: string; path: string | null }> {
  if (value.includes('-----BEGIN')) return { pem: value, path: null };
  try {
    return { pem: await readFile(value, 'utf8'), path: value };
  } catch (err) {
    const reason = err instanceof Error && 'code' in err ? String(err.code) : 'unreadable';
    throw new ServerConfigError([`tls.${what}: cannot read '${value}' (${reason}).`]);
  }
}

function assertPair(certPem: string, keyPem: string): void {
  try {
    createSecureContext({ cert: certPem, key: keyPem });
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    // Only the library's reason: the PEM text itself is never put in a message.
    throw new ServerConfigError([`tls: the certificate and key are not a valid pair (${reason}).`]);
  }
}

async function selfSigned(
  hosts: string[],
  cacheDir: string | undefined,
  now: () => number,
): Promise<TlsMaterial> {
  if (cacheDir !== undefined) {
    const cached = await readCached(cacheDir, hosts, now());
    if (cached) return cached;
  }
  const made = await generateSelfSigned(hosts, now());
  if (cacheDir === undefined) return { ...made, selfSigned: true, certPath: null };
  try {
    await mkdir(cacheDir, { recursive: true, mode: 0o700 });
    const certPath = join(cacheDir, CERT_FILE);
    // Each file written whole, then moved into place: an engine starting meanwhile reads the old pair or the new
    // one, never half a file (a key that matches no certificate is then found out by readCached and remade).
    await writeWhole(join(cacheDir, KEY_FILE), made.keyPem, 0o600);
    await writeWhole(certPath, made.certPem, 0o644);
    return { ...made, selfSigned: true, certPath };
  } catch (err) {
    const reason = err instanceof Error && 'code' in err ? String(err.code) : 'unwritable';
    throw new ServerConfigError([`tlsCacheDir: cannot write to '${cacheDir}' (${reason}).`]);
  }
}

async function writeWhole(path: string, text: string, mode: number): Promise<void> {
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temporary, text, { mode });
  await rename(temporary, path);
}

async function readCached(
  cacheDir: string,
  hosts: string[],
  nowMs: number,
): Promise<TlsMaterial | null> {
  const certPath = join(cacheDir, CERT_FILE);
  let certPem: string;
  let keyPem: string;
  try {
    [certPem, keyPem] = await Promise.all([
      readFile(certPath, 'utf8'),
      readFile(join(cacheDir, KEY_FILE), 'utf8'),
    ]);
  } catch {
    return null;
  }
  try {
    const cert = new X509Certificate(certPem);
    if (Date.parse(cert.validTo) - nowMs < MIN_REMAINING_MS) return null;
    if (!cert.checkPrivateKey(createPrivateKey(keyPem))) return null;
    const names = cert.subjectAltName ?? '';
    if (
      !hosts.every((host) =>
        names.includes(isIP(host) ? `IP Address:${expandIp(host)}` : `DNS:${host}`),
      )
    ) {
      return null;
    }
  } catch {
    return null;
  }
  return { certPem, keyPem, selfSigned: true, certPath };
}

/** `X509Certificate.subjectAltName` prints IPv6 addresses fully expanded, without zero compression. */
function expandIp(ip: string): string {
  if (isIP(ip) !== 6) return ip;
  const [head = '', tail = ''] = ip.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === '' ? [] : tail.split(':');
  const zeros = Array<string>(8 - left.length - right.length).fill('0');
  const parts = ip.includes('::') ? [...left, ...zeros, ...right] : left;
  return parts.map((part) => part.replace(/^0+(?=.)/, '').toUpperCase()).join(':');
}

/** Makes an EC P-256 certificate (SHA-256) for `hosts`, valid for 90 days, usable as its own CA by clients. */
export async function generateSelfSigned(
  hosts: readonly string[],
  nowMs: number = Date.now(),
): Promise<{ certPem: string; keyPem: string }> {
  const notBefore = new Date(nowMs - 60_000);
  const made = await generate([{ name: 'commonName', value: 'LocalRealtime (localhost)' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate: notBefore,
    notAfterDate: new Date(nowMs + SELF_SIGNED_DAYS * 24 * 60 * 60 * 1000),
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', digitalSignature: true, keyCertSign: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: hosts.map((host) =>
          isIP(host) ? { type: 7, ip: host } : { type: 2, value: host },
        ),
      },
    ],
  });
  return { certPem: made.cert, keyPem: made.private };
}

function uniqueHosts(hosts: readonly string[]): string[] {
  const out: string[] = [];
  for (const raw of hosts) {
    const host = raw.startsWith('[') && raw.endsWith(']') ? raw.slice(1, -1) : raw;
    if (host === '' || host === '0.0.0.0' || host === '::') continue;
    if (!out.includes(host)) out.push(host);
  }
  return out;
}
