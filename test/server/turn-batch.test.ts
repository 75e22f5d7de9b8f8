// Calls of one event-loop turn are answered together, in order, after the turn's I/O; a call that
// throws fails alone.
import { describe, expect, it } from '@jest/globals';
import { turnBatched } from '../../src/server/turn-batch.js';

describe('turnBatched', () => {
  it('runs the calls of one turn together, in order, once the turn is over', async () => {
    const ran: string[] = [];
    const batched = turnBatched((x: string) => {
      ran.push(x);
      return x.toUpperCase();
    });
    const first = [batched('a'), batched('b'), batched('c')];
    // Nothing runs while the turn that made the calls goes on (microtasks included).
    await Promise.resolve();
    expect(ran).toEqual([]);
    const order: string[] = [];
    // A setImmediate queued after the calls runs after the batch: the batch runs in its check phase.
    setImmediate(() => order.push(`immediate after ${ran.length}`));
    expect(await Promise.all(first)).toEqual(['A', 'B', 'C']);
    expect(ran).toEqual(['a', 'b', 'c']);
    // A later turn makes a batch of its own.
    expect(await batched('d')).toBe('D');
    expect(ran).toEqual(['a', 'b', 'c', 'd']);
    expect(order).toEqual(['immediate after 3']);
  });

  it('rejects only the call that threw; the rest of its batch is answered', async () => {
    const batched = turnBatched((x: number) => {
      if (x === 2) throw new Error('two');
      return x * 10;
    });
    const results = await Promise.allSettled([batched(1), batched(2), batched(3)]);
    expect(results).toEqual([
      { status: 'fulfilled', value: 10 },
      { status: 'rejected', reason: new Error('two') },
      { status: 'fulfilled', value: 30 },
    ]);
  });
});
