// The default listen address: `::` (IPv6 and IPv4) where the node has IPv6, 0.0.0.0 with a log line where it has none.
import { Writable } from 'node:stream';
import type { NetworkInterfaceInfo } from 'node:os';
import { describe, expect, it } from '@jest/globals';
import { createLogger } from '../../src/server/logger.js';
import { listenHost, oneListener } from '../../src/server/start.js';

const v4: NetworkInterfaceInfo = { address: '127.0.0.1', netmask: '255.0.0.0', family: 'IPv4', mac: '00:00:00:00:00:00', internal: true, cidr: '127.0.0.1/8' };
const v6: NetworkInterfaceInfo = { address: '::1', netmask: 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', family: 'IPv6', mac: '00:00:00:00:00:00', internal: true, cidr: '::1/128', scopeid: 0 };

function withLog(): { logger: ReturnType<typeof createLogger>; lines: () => Record<string, unknown>[] } {
  let text = '';
  const logger = createLogger('info', new Writable({ write: (c, _e, done) => ((text += String(c)), done()) }));
  return { logger, lines: () => text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('listenHost', () => {
  it('keeps :: where the node has an IPv6 address', () => {
    const { logger, lines } = withLog();
    expect(listenHost('::', { lo: [v4, v6] }, logger)).toBe('::');
    expect(lines()).toEqual([]);
  });

  it('listens on 0.0.0.0 and says so where the node has no IPv6 (listening on :: would fail with EAFNOSUPPORT)', async () => {
    const { logger, lines } = withLog();
    expect(listenHost('::', { lo: [v4], eth0: [{ ...v4, address: '10.0.0.5', internal: false }] }, logger)).toBe('0.0.0.0');
    await new Promise((r) => setImmediate(r));
    expect(lines()).toEqual([expect.objectContaining({ level: 40, msg: 'no IPv6 address on this node: listening on 0.0.0.0 (IPv4 only)' })]);
  });

  it('leaves an address the admin chose alone', () => {
    const { logger } = withLog();
    expect(listenHost('127.0.0.1', { lo: [v4] }, logger)).toBe('127.0.0.1');
    expect(listenHost('0.0.0.0', { lo: [v4, v6] }, logger)).toBe('0.0.0.0');
  });
});

describe('oneListener', () => {
  it('turns localhost into one address (fastify would listen on each of its addresses, the second beyond --max-connections: hostile-load.test.ts)', async () => {
    const { isIP } = await import('node:net');
    expect(isIP(await oneListener('localhost'))).not.toBe(0);
    expect(await oneListener('::')).toBe('::');
    expect(await oneListener('127.0.0.1')).toBe('127.0.0.1');
  });
});
