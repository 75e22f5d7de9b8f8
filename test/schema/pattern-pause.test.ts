// The pattern time limit is wall-clock time, and a pod's whole process can stop: its CPU quota
// used up for the rest of a 100 ms period, a busy node, a long GC. A value that matches in
// microseconds must not come out as "could not be checked" because the process stood still while
// it was being matched (that denied a valid ConfigMap and left the key unchecked until a reload).
// A child matches in a loop; the test stops it with SIGSTOP for 250 ms, then continues it, until
// pauses have landed inside matches.
import { type ChildProcess, spawn } from 'node:child_process';
import { afterEach, expect, it } from '@jest/globals';
import { ROOT } from '../helpers/spawn-cli.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let child: ChildProcess | undefined;
afterEach(() => {
  child?.kill('SIGKILL');
});

it('a match the process was paused in the middle of still answers, and the pattern stays checked', async () => {
  child = spawn(process.execPath, ['--import', 'tsx', 'test/schema/helpers/match-loop.ts'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  const reports: { result: boolean | 'timeout'; ms: number }[] = [];
  let buffered = '';
  let ready = false;
  child.stdout?.on('data', (d: Buffer) => {
    buffered += d.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const l of lines) {
      if (l === 'ready') ready = true;
      else if (l !== '') reports.push(JSON.parse(l) as { result: boolean | 'timeout'; ms: number });
    }
  });
  for (const until = Date.now() + 30_000; !ready && Date.now() < until; ) await sleep(20);
  expect(ready).toBe(true);
  // Pause until three pauses have landed inside a call (a call that took longer than the limit).
  for (let i = 0; i < 40 && reports.filter((r) => r.ms > 100).length < 3; i++) {
    child.kill('SIGSTOP');
    await sleep(250);
    child.kill('SIGCONT');
    await sleep(100);
  }
  await sleep(200);
  expect(reports.filter((r) => r.ms > 100).length).toBeGreaterThanOrEqual(3);
  expect(reports.filter((r) => r.result !== true)).toEqual([]);
}, 60_000);
