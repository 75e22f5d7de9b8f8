// One watch request and its stream of events: one JSON object per line, as the API server writes
// them (k8s.io/apimachinery pkg/util/framer: the JSON framer). Replaces @kubernetes/client-node's
// Watch, which skipped a line it could not parse and carried on: the next event then moved the
// resourceVersion past the lost one, and the cache missed that change until a relist, which may
// never come. Here a line that cannot be read ends the watch with an error, so the reflector
// watches again from the last version it did read (as client-go's StreamWatcher ends the watch
// on a decode error). It also reads the API server's Status on a refused watch (a 403 names the
// verb, resource and user; the library only gave "Forbidden").
import { type Agent, request } from 'node:https';
import { StringDecoder } from 'node:string_decoder';
import { z } from 'zod';
import { ApiError } from './http.js';

/** An event line: the API server's watch.Event (type and object), checked before it is used. */
const WatchEvent = z.object({ type: z.string().min(1), object: z.record(z.string(), z.unknown()) });

/** Of a refused watch's body, only the Status message is read; more than this is not kept. */
const ERROR_BODY_LIMIT = 64 * 1024;

export interface WatchHandlers {
  /** The API server accepted the watch (200, headers received). */
  opened(): void;
  event(type: string, object: Record<string, unknown>): void;
  /** The stream ended: cleanly (no error) or not. Called once, and not after abort(). */
  ended(err?: Error): void;
}

export interface WatchRequest {
  readonly server: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string | undefined>>;
  readonly agent: Agent;
  readonly headers: Readonly<Record<string, string>>;
}

/** Starts the watch; the returned function ends it (no handler is called after that). */
export function openWatch(r: WatchRequest, on: WatchHandlers): () => void {
  const url = new URL(r.server + r.path);
  url.searchParams.set('watch', 'true');
  for (const [k, v] of Object.entries(r.query)) if (v !== undefined) url.searchParams.set(k, v);
  let done = false;
  const end = (err?: Error) => {
    if (done) return;
    done = true;
    req.destroy();
    on.ended(err);
  };
  const req = request(url, { method: 'GET', agent: r.agent, headers: { accept: 'application/json', ...r.headers } }, (res) => {
    const decoder = new StringDecoder('utf8'); // a character split between chunks is joined, not mangled
    if (res.statusCode !== 200) {
      let body = '';
      res.on('data', (c: Buffer) => {
        if (body.length < ERROR_BODY_LIMIT) body += decoder.write(c);
      });
      res.on('end', () => end(new ApiError(res.statusCode ?? 0, `watch ${url.pathname}: ${res.statusCode} ${statusMessage(body)}`)));
      res.on('error', (err) => end(err));
      res.on('close', () => end(new ApiError(res.statusCode ?? 0, `watch ${url.pathname}: ${res.statusCode} (the connection closed)`)));
      return;
    }
    on.opened();
    // The part of a line received so far; only each new chunk is searched for the line's end, so a
    // line of several MiB (a large ConfigMap) arriving in many chunks is not searched again and again.
    let partial: string[] = [];
    res.on('data', (chunk: Buffer) => {
      const text = decoder.write(chunk);
      let from = 0;
      for (let nl = text.indexOf('\n', from); nl !== -1 && !done; nl = text.indexOf('\n', from)) {
        const line = partial.length === 0 ? text.slice(from, nl) : partial.join('') + text.slice(from, nl);
        partial = [];
        from = nl + 1;
        readLine(line);
      }
      if (from < text.length) partial.push(text.slice(from));
    });
    res.on('end', () => {
      const rest = partial.join('') + decoder.end();
      // The server ends a watch only between events (its timeout): a part of one means a cut connection.
      if (rest.trim() !== '') end(new Error(`watch ${url.pathname}: the connection ended in the middle of an event`));
      else end();
    });
    res.on('error', (err) => end(err));
    res.on('close', () => end(new Error(`watch ${url.pathname}: the connection closed`)));
  });
  req.on('error', (err) => end(err));
  req.end();

  function readLine(text: string): void {
    if (text.trim() === '') return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      end(new Error(`watch ${url.pathname}: an event is not JSON (${text.length} characters); watching again from the last version read`));
      return;
    }
    const event = WatchEvent.safeParse(parsed);
    if (!event.success) {
      end(new Error(`watch ${url.pathname}: an event has no type or object; watching again from the last version read`));
      return;
    }
    on.event(event.data.type, event.data.object);
  }

  return () => {
    done = true;
    req.destroy();
  };
}

const Status = z.object({ message: z.string() });

function statusMessage(body: string): string {
  try {
    const status = Status.safeParse(JSON.parse(body));
    if (status.success) return status.data.message;
  } catch {
    // not JSON: the start of the body says more than nothing
  }
  return body.slice(0, 200);
}
