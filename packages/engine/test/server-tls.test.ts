import { X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ServerConfigError } from '../src/server/options.js';
import { generateSelfSigned, loadTlsMaterial } from '../src/server/tls.js';
import { closeTestServers, startTestServer } from './helpers/test-server.js';
import { connect } from './helpers/ws-client.js';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'local-realtime-tls-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
afterEach(closeTestServers);

describe('self-signed TLS', () => {
  it('serves wss:// to a ws client that trusts the returned certificate', async () => {
    const { info, server } = await startTestServer({ tls: 'self-signed' });
    expect(info.url).toMatch(/^wss:\/\/127\.0\.0\.1:\d+\/v1\/realtime$/);
    expect(info.httpUrl).toMatch(/^https:\/\//);
    const ca = server.tls?.certPem;
    expect(ca).toContain('-----BEGIN CERTIFICATE-----');
    expect(server.tls?.selfSigned).toBe(true);

    const client = connect(`${info.url}?model=gpt-realtime`, { ca });
    expect((await client.next()).type).toBe('session.created');
    client.ws.close();
  });

  it('is refused by a client that does not trust it', async () => {
    const { info } = await startTestServer({ tls: 'self-signed' });
    const client = connect(`${info.url}?model=gpt-realtime`);
    await expect(client.opened).rejects.toThrow(/self[- ]signed/i);
  });

  it('covers localhost, 127.0.0.1 and ::1', async () => {
    const { certPem } = await generateSelfSigned(['localhost', '127.0.0.1', '::1']);
    const cert = new X509Certificate(certPem);
    expect(cert.subjectAltName).toContain('DNS:localhost');
    expect(cert.subjectAltName).toContain('IP Address:127.0.0.1');
    expect(cert.checkHost('localhost')).toBe('localhost');
    expect(cert.checkIP('::1')).toBe('::1');
  });

  it('reuses a cached certificate and writes the key readable by the owner only', async () => {
    const cacheDir = join(dir, 'cache');
    const first = await loadTlsMaterial('self-signed', { cacheDir });
    const second = await loadTlsMaterial('self-signed', { cacheDir });
    expect(second.certPem).toBe(first.certPem);
    expect(first.certPath).toBe(join(cacheDir, 'local-realtime-cert.pem'));
    const keyMode = (await stat(join(cacheDir, 'local-realtime-key.pem'))).mode & 0o777;
    expect(keyMode).toBe(0o600);
  });

  it('replaces a cached certificate that does not cover the bind host', async () => {
    const cacheDir = join(dir, 'cache-hosts');
    const first = await loadTlsMaterial('self-signed', { cacheDir });
    const second = await loadTlsMaterial('self-signed', { cacheDir, extraHosts: ['192.168.1.20'] });
    expect(second.certPem).not.toBe(first.certPem);
    expect(new X509Certificate(second.certPem).subjectAltName).toContain('IP Address:192.168.1.20');
  });
});

describe('given certificate', () => {
  it('loads a cert and key from files', async () => {
    const made = await generateSelfSigned(['localhost']);
    await writeFile(join(dir, 'cert.pem'), made.certPem);
    await writeFile(join(dir, 'key.pem'), made.keyPem);
    const loaded = await loadTlsMaterial({
      cert: join(dir, 'cert.pem'),
      key: join(dir, 'key.pem'),
    });
    expect(loaded.certPem).toBe(await readFile(join(dir, 'cert.pem'), 'utf8'));
    expect(loaded).toMatchObject({ selfSigned: false, certPath: join(dir, 'cert.pem') });
  });

  it('fails with a readable error for a missing file', async () => {
    await expect(
      loadTlsMaterial({ cert: join(dir, 'nope.pem'), key: join(dir, 'nope.pem') }),
    ).rejects.toThrow(/tls\.cert: cannot read .*nope\.pem.*ENOENT/);
  });

  it('fails with a readable error, without the key text, for a cert and key that do not match', async () => {
    const a = await generateSelfSigned(['localhost']);
    const b = await generateSelfSigned(['localhost']);
    const attempt = loadTlsMaterial({ cert: a.certPem, key: b.keyPem });
    await expect(attempt).rejects.toBeInstanceOf(ServerConfigError);
    const error = (await attempt.catch((err: unknown) => err)) as Error;
    expect(error.message).toMatch(/not a valid pair/);
    expect(error.message).not.toContain('PRIVATE KEY');
  });

  it('serves wss:// with a given PEM pair', async () => {
    const made = await generateSelfSigned(['localhost', '127.0.0.1']);
    const { info } = await startTestServer({ tls: { cert: made.certPem, key: made.keyPem } });
    const client = connect(`${info.url}?model=gpt-realtime`, { ca: made.certPem });
    expect((await client.next()).type).toBe('session.created');
    client.ws.close();
  });
});
