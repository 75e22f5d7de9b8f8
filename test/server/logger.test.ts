// The root logger's redaction backstop: a log call that carries an object, its data, env or the
// requester's userInfo (at the top level, or under request/review) prints "[redacted]" instead.
import { describe, expect, it } from '@jest/globals';
import { createLogger } from '../../src/server/logger.js';

function logged(fields: Record<string, unknown>): Record<string, unknown> {
  const lines: string[] = [];
  createLogger('info', { write: (line: string) => void lines.push(line) }).info(fields, 'x');
  return JSON.parse(lines[0] ?? '{}') as Record<string, unknown>;
}

describe('log redaction', () => {
  const secret = { data: { DB_PASSWORD: 'hunter2' }, env: [{ name: 'TOKEN', value: 'abc' }] };
  it.each([
    ['at the top level', { object: secret, oldObject: secret, userInfo: { groups: ['admins'] }, data: secret.data, env: secret.env }],
    ['under request', { request: { object: secret, oldObject: secret, userInfo: { groups: ['admins'] } } }],
    ['under review.request', { review: { request: { object: secret, userInfo: { username: 'jane' } } } }],
    ['in request headers', { req: { headers: { authorization: 'Bearer abc', cookie: 'session=abc' } } }],
  ])('never prints secrets %s', (_, fields) => {
    const line = JSON.stringify(logged(fields));
    expect(line).not.toMatch(/hunter2|abc|admins|jane/);
    expect(line).toContain('[redacted]');
  });

  it('leaves the review line as it is', () => {
    const line = logged({ uid: 'u-1', kind: 'Deployment', namespace: 'shop', name: 'api', decision: 'allow', findings: { deny: 0, warn: 2, audit: 0 } });
    expect(line).toMatchObject({ uid: 'u-1', kind: 'Deployment', namespace: 'shop', name: 'api', decision: 'allow', findings: { deny: 0, warn: 2, audit: 0 }, msg: 'x' });
  });
});
