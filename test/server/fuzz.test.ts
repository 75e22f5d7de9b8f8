// Thousands of generated AdmissionReviews through /validate of the real server over TLS: every
// answer is a well-formed AdmissionReview or a 4xx JSON error, never a 5xx or a crash.
// `npm run fuzz` runs the same generators for as many cases as asked (through fastify inject,
// which jest's ESM mode cannot load).
import { Agent } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { sendAndJudge, type Sent } from '../helpers/fuzz-validate.js';
import { requestPayload } from '../helpers/review-arbitraries.js';
import { postJson } from './helpers/https-client.js';
import { startTestServer, type TestServer } from './helpers/test-server.js';

let server: TestServer;
const agent = new Agent({ keepAlive: true, maxSockets: 4 });
let send: (payload: string) => Promise<Sent>;

beforeAll(async () => {
  server = await startTestServer({ logLevel: 'fatal' });
  send = async (payload) => {
    const a = await postJson(server.url, payload, { ...server.trust, agent });
    return { statusCode: a.status, body: a.text };
  };
});
afterAll(async () => {
  agent.destroy();
  await server.stop();
});

describe('/validate on generated requests', () => {
  it('answers 3,000 generated requests with an AdmissionReview or a 4xx JSON error', async () => {
    await fc.assert(
      fc.asyncProperty(requestPayload, async (payload) => {
        expect(await sendAndJudge(send, payload)).toBeUndefined();
      }),
      { numRuns: 3000 },
    );
  });
});
