// A steady stream of AdmissionReviews from several clients at once, half on kept-alive
// connections and half on a new connection (a new TLS handshake) per request, counting every
// failure: a connection error, a status other than 200, or an answer with another uid.
import { Agent } from 'node:https';
import { deployment, review } from '../../helpers/reviews.js';
import { postJson, type TrustOptions } from './https-client.js';

export interface LoadResult {
  readonly sent: number;
  readonly ok: number;
  readonly failed: number;
  readonly errors: string[];
  /** Server certificate serial numbers seen, with the time each was last seen. */
  readonly serials: Map<string, number>;
  /** Requests answered after `mark()` was called. */
  readonly okAfterMark: number;
}

export interface Load {
  /** Note a moment (e.g. the signal sent); answers after it are counted apart. */
  mark(): void;
  /** Requests answered so far, and the server certificate serials seen so far. */
  progress(): { readonly ok: number; readonly serials: ReadonlySet<string> };
  /** Stop sending; resolves when every request in flight has settled. */
  stop(): Promise<LoadResult>;
}

export function startLoad(url: string, trust: TrustOptions, concurrency = 8): Load {
  const keepAlive = new Agent({ keepAlive: true, maxSockets: concurrency });
  let running = true;
  let marked = false;
  let sent = 0;
  let ok = 0;
  let okAfterMark = 0;
  const errors: string[] = [];
  const serials = new Map<string, number>();
  const body = JSON.stringify(review(deployment({ image: 'shop/api:latest' })));

  const worker = async (i: number) => {
    while (running) {
      const uid = `load-${i}-${sent}`;
      sent++;
      try {
        const answer = await postJson(url, body.replace('705ab4f5-6393-11e8-b7cc-42010a800002', uid), { ...trust, agent: i % 2 === 0 ? keepAlive : false });
        const parsed = JSON.parse(answer.text) as { response?: { uid?: string } };
        if (answer.status !== 200 || parsed.response?.uid !== uid) errors.push(`status ${answer.status}: ${answer.text.slice(0, 200)}`);
        else {
          ok++;
          if (marked) okAfterMark++;
          serials.set(answer.serverSerial, Date.now());
        }
      } catch (err) {
        errors.push(`${(err as NodeJS.ErrnoException).code ?? ''} ${(err as Error).message}`);
      }
    }
  };
  const workers = Array.from({ length: concurrency }, (_, i) => worker(i));
  return {
    mark: () => {
      marked = true;
    },
    progress: () => ({ ok, serials: new Set(serials.keys()) }),
    stop: async () => {
      running = false;
      await Promise.all(workers);
      keepAlive.destroy();
      return { sent, ok, failed: errors.length, errors, serials, okAfterMark };
    },
  };
}
