import { createServer } from 'node:net';

/**
 * A loopback port that nothing listens on: taken from the system, then freed. For a server the test starts on it, or
 * for a connection the test wants refused.
 */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address !== null && typeof address === 'object') resolvePort(address.port);
        else reject(new Error('no port'));
      });
    });
  });
}
