// `npm run fuzz [-- COUNT]`: the /validate property test for COUNT generated requests
// (default 100,000; FUZZ_SEED to replay). Prints the count, the time and the first failure.
import fc from 'fast-check';
import { fuzzApp, injectInto, sendAndJudge } from '../test/helpers/fuzz-validate.js';
import { requestPayload } from '../test/helpers/review-arbitraries.js';

const count = Number(process.argv[2] ?? process.env.FUZZ_COUNT ?? 100_000);
const seed = process.env.FUZZ_SEED === undefined ? Date.now() : Number(process.env.FUZZ_SEED);
const app = await fuzzApp();
const send = injectInto(app);
const started = process.hrtime.bigint();
let done = 0;
const result = await fc.check(
  fc.asyncProperty(requestPayload, async (payload) => {
    const problem = await sendAndJudge(send, payload);
    done++;
    if (done % 50_000 === 0) process.stderr.write(`  ${done.toLocaleString('en')} requests…\n`);
    if (problem) throw new Error(problem);
  }),
  { numRuns: count, seed },
);
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
await app.close();
console.log(`fuzz: ${done.toLocaleString('en')} requests through /validate in ${seconds.toFixed(1)} s (${Math.round(done / seconds).toLocaleString('en')}/s), seed ${seed}`);
if (result.failed) {
  console.log(`FAILED after ${result.numRuns} runs: ${String(result.errorInstance ?? result.error)}\ncounterexample: ${JSON.stringify(result.counterexample)?.slice(0, 2000)}`);
  process.exitCode = 1;
} else {
  console.log('every answer was a well-formed AdmissionReview or a 4xx JSON error');
}
