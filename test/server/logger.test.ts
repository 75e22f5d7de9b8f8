// The root logger's redaction backstop: a log call that carries an object, its data, env or the
// requester's userInfo (at the top level, or under request/review) prints "[redacted]" instead.
// And the destination serve writes through: batched, each line out within LOG_FLUSH_MS.
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { createLogger, LOG_FLUSH_MS, logDestination } from '../../src/server/logger.js';

function rawLine(fields: Record<string, unknown>): string {
  const lines: string[] = [];
  createLogger('info', { write: (line: string) => void lines.push(line) }).info(fields, 'x');
  return lines[0] ?? '{}';
}

const logged = (fields: Record<string, unknown>): Record<string, unknown> => JSON.parse(rawLine(fields)) as Record<string, unknown>;

/** Top-level keys of a JSON object line in the order written, duplicates kept (JSON.parse keeps only the last). */
function topLevelKeys(line: string): string[] {
  const keys: string[] = [];
  let depth = 0;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '"') {
      let j = i + 1;
      while (line[j] !== '"') j += line[j] === '\\' ? 2 : 1;
      if (depth === 1 && line[j + 1] === ':') keys.push(JSON.parse(line.slice(i, j + 1)) as string);
      i = j;
    } else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') depth--;
  }
  return keys;
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

  it('writes each key of a review line once: no logger name beside the object name', () => {
    // pino writes its `name` option into every line; a review line's `name` (the object's) then
    // made a second "name" key, which strict JSON log pipelines refuse and others resolve either way.
    const keys = topLevelKeys(rawLine({ uid: 'u-1', kind: 'Deployment', namespace: 'shop', name: 'api', decision: 'allow' }));
    expect(keys.filter((k) => k === 'name')).toEqual(['name']);
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe('the serve log destination', () => {
  it('writes lines in batches, each within LOG_FLUSH_MS, and what waits at exit (flushSync)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rollsafe-log-'));
    const file = join(dir, 'log');
    const destination = logDestination(file);
    try {
      await once(destination, 'ready');
      const logger = createLogger('info', destination);
      logger.info({ n: 1 }, 'first');
      // Not written line by line: the line waits for a batch or the flush LOG_FLUSH_MS later.
      expect(readFileSync(file, 'utf8')).toBe('');
      const deadline = Date.now() + LOG_FLUSH_MS * 8;
      while (readFileSync(file, 'utf8') === '' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(readFileSync(file, 'utf8')).toContain('"msg":"first"');
      // Enough lines for batches go out without waiting; the rest when flushed (at exit, pino's flushSync).
      for (let n = 0; n < 200; n++) logger.info({ n }, 'more');
      await new Promise((resolve) => destination.flush(resolve));
      expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(201);
    } finally {
      destination.destroy();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
