// A child for test/schema/pattern-pause.test.ts: matches a value that matches at once, against a
// pattern that runs under the time limit, until killed. Reports each call that did not answer true
// or that took more than the limit (a pause landed inside it); stdout to a pipe is synchronous.
import { matchPattern, PATTERN_TIME_LIMIT_MS } from '../../../src/schema/regex.js';

const owner = {};
process.stdout.write('ready\n');
for (;;) {
  const started = performance.now();
  const result = matchPattern('^(\\.[a-z]+)*$', '.ab.cd', owner);
  const ms = performance.now() - started;
  if (result !== true || ms > PATTERN_TIME_LIMIT_MS) process.stdout.write(`${JSON.stringify({ result, ms: Math.round(ms) })}\n`);
}
