// List + watch of one resource into a store, as client-go's reflector: a paginated list, then a
// watch from its resourceVersion with bookmarks; a 410 Gone (the version is too old) relists;
// any other error reconnects with exponential backoff and jitter. The store keeps serving the
// last known objects meanwhile, and the reflector says how long it has been out of sync.
// The Watch module alone: the package index loads every generated API model (see connection.ts).
// Known limitation: client-node's Watch skips a line it cannot parse as JSON (and swallows an
// exception thrown by the callback) and reads on, so such an event would be lost until the next
// relist (client-go's StreamWatcher ends the watch instead). The API server writes one valid JSON
// object per line, so this is not expected to happen; docs/design-changes.md has the row.
import { Agent } from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node/dist/config.js';
import { Watch } from '@kubernetes/client-node/dist/watch.js';
import type { Logger } from 'pino';
import type { Connection } from './connection.js';
import { ApiError, getJson } from './http.js';
import type { ResourceSpec } from './resources.js';

const PAGE = 100;
const BACKOFF_MIN_MS = 500;
const BACKOFF_MAX_MS = 10_000;
/** An absent optional API (CRD not installed) is looked for again this often. */
const ABSENT_RETRY_MS = 60_000;
/** Watches are renewed about this often (the server ends each after its timeoutSeconds). */
const WATCH_SECONDS = 300;
/** A watch whose response headers take longer than this is given up. */
const HEADERS_MS = 30_000;
/** A watch with no event or bookmark for its timeout plus this long is taken for dead. */
const SILENT_GRACE_S = 60;
/**
 * Once the API server has sent a bookmark, a watch silent this long is taken for dead: its watch
 * cache sends every watcher one about every minute (apiserver storage/cacher: defaultBookmarkFrequency,
 * nextBookmarkTime), so a longer silence is a half-open connection (a node gone without a RST, a load
 * balancer that dropped the flow), which TCP alone notices only after many minutes. client-go
 * notices it in 45 s with HTTP/2 pings (apimachinery util/net: readIdleTimeout 30 s, pingTimeout 15 s).
 */
const BOOKMARK_SILENCE_MS = 75_000;
/** A watch that ends sooner than this having sent nothing proves nothing (client-go: VeryShortWatchError). */
const SHORT_WATCH_MS = 1000;

interface ListBody {
  metadata?: { resourceVersion?: string; continue?: string };
  items?: Record<string, unknown>[];
}

export interface ReflectorEvents {
  /** A list replaced the store (the first sync, or a relist after 410 Gone). */
  listed?(resource: string, count: number): void;
  /** The watch ended with an error; the reflector retries. */
  failed?(resource: string, reason: string): void;
}

const keyOf = (raw: Record<string, unknown>): string => {
  const m = (raw.metadata ?? {}) as { namespace?: string; name?: string };
  return `${m.namespace ?? ''}/${m.name ?? ''}`;
};

export class Reflector<T> {
  /** namespace -> name -> object. */
  private items = new Map<string, Map<string, T>>();
  private lists = new Map<string, readonly T[]>();
  /** Values computed from one namespace's objects, dropped whenever they change. */
  private derivedByNamespace = new Map<string, unknown>();
  private resourceVersion: string | undefined;
  private stopped = false;
  /** Ends the watch in progress. */
  private cancel: (() => void) | undefined;
  private wake: (() => void) | undefined;
  private connected = false;
  private outOfSyncSince: number;
  private firstSync = false;
  private absent = false;
  private size = 0;
  /** The API server sends bookmarks (its watch cache is on): silence then means a dead connection. */
  private bookmarks = false;
  private readonly syncWaiters: (() => void)[] = [];

  constructor(
    private readonly conn: Connection,
    readonly spec: ResourceSpec<T>,
    private readonly logger: Logger,
    private readonly events: ReflectorEvents = {},
    private readonly now: () => number = Date.now,
    private readonly timing: { readonly bookmarkSilenceMs: number } = { bookmarkSilenceMs: BOOKMARK_SILENCE_MS },
  ) {
    this.outOfSyncSince = now();
  }

  get synced(): boolean {
    return this.firstSync;
  }

  /** Resolves once the first list has completed. */
  whenSynced(): Promise<void> {
    return this.firstSync ? Promise.resolve() : new Promise((resolve) => this.syncWaiters.push(resolve));
  }

  /** Seconds since the store was last known to match the API server (0 while a watch is open). */
  ageSeconds(): number {
    return this.connected || this.absent ? 0 : (this.now() - this.outOfSyncSince) / 1000;
  }

  get count(): number {
    return this.size;
  }

  get(namespace: string, name: string): T | undefined {
    return this.items.get(namespace)?.get(name);
  }

  list(namespace: string): readonly T[] {
    let l = this.lists.get(namespace);
    if (!l) {
      l = [...(this.items.get(namespace)?.values() ?? [])];
      this.lists.set(namespace, l);
    }
    return l;
  }

  /**
   * A value computed from the objects of one namespace (an index), kept until they change. One
   * derivation per reflector: `compute` must always be the same function.
   */
  derived<V>(namespace: string, compute: (items: readonly T[]) => V): V {
    if (!this.derivedByNamespace.has(namespace)) this.derivedByNamespace.set(namespace, compute(this.list(namespace)));
    return this.derivedByNamespace.get(namespace) as V;
  }

  start(): void {
    void this.run();
  }

  stop(): void {
    this.stopped = true;
    this.cancel?.();
    this.wake?.();
  }

  private async run(): Promise<void> {
    let backoff = BACKOFF_MIN_MS;
    const pause = async () => {
      await this.sleep(backoff * (0.8 + Math.random() * 0.4));
      backoff = Math.min(backoff * 2, BACKOFF_MAX_MS);
    };
    while (!this.stopped) {
      // What a failure is named after in the log: a relist after a 410 fails as a list.
      let phase: 'list' | 'watch' = 'list';
      try {
        if (this.resourceVersion === undefined) {
          await this.relist();
          // The API server answered a whole list: it is back, so what failed before does not count.
          backoff = BACKOFF_MIN_MS;
        }
        if (this.stopped) break;
        if (this.absent) {
          await this.sleep(ABSENT_RETRY_MS);
          this.resourceVersion = undefined;
          continue;
        }
        const started = this.now();
        phase = 'watch';
        try {
          await this.watch();
        } finally {
          // Whatever ended the watch, the store is in sync only up to now.
          this.disconnected();
        }
        const lasted = this.now() - started;
        if (lasted > 10_000) backoff = BACKOFF_MIN_MS;
        // Ended at once: never spin against the API server. A 410 Gone (the version is too old, as
        // after an API server restart) is an answer, not a failure: relist after the shortest pause
        // rather than the backoff an outage built up (it made the cache stale 10 s longer).
        else if (lasted < 1000) {
          if (this.resourceVersion === undefined) await this.sleep(BACKOFF_MIN_MS);
          else await pause();
        }
      } catch (err) {
        if (this.stopped) break;
        // The version is gone (410) or the resource is no longer served (404, a CRD removed): list again.
        const status = (err as { statusCode?: unknown }).statusCode;
        if (status === 404 || status === 410) this.resourceVersion = undefined;
        const reason = err instanceof Error ? err.message : String(err);
        this.events.failed?.(this.spec.name, reason);
        this.logger.warn({ resource: this.spec.name, err: reason, retryInMs: backoff }, `cluster cache: ${this.spec.name} ${phase} failed; retrying`);
        await pause();
      }
    }
    this.disconnected();
  }

  private changed(namespace: string): void {
    this.lists.delete(namespace);
    this.derivedByNamespace.delete(namespace);
  }

  private disconnected(): void {
    if (this.connected) this.outOfSyncSince = this.now();
    this.connected = false;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  /** A full, paginated list; the store is replaced only once every page has arrived. */
  private async relist(): Promise<void> {
    const next = new Map<string, Map<string, T>>();
    let count = 0;
    let cont: string | undefined;
    let version: string | undefined;
    // stop() cuts a list in flight: an API server slow to answer would otherwise keep the process
    // alive after shutdown until the list timed out (30 s), past the pod's grace period.
    const abort = new AbortController();
    this.cancel = () => abort.abort();
    try {
      do {
        const query = `?limit=${PAGE}${cont ? `&continue=${encodeURIComponent(cont)}` : ''}`;
        const body = (await getJson(this.conn, this.spec.path + query, abort.signal)) as ListBody;
        for (const raw of body.items ?? []) {
          if (this.put(next, raw)) count++;
        }
        version = body.metadata?.resourceVersion;
        cont = body.metadata?.continue || undefined;
      } while (cont && !this.stopped);
      if (this.stopped) return;
    } catch (err) {
      if (err instanceof ApiError && err.statusCode === 410) {
        // The continue token expired mid-list: start over.
        throw new Error(`${this.spec.name}: list expired (410 Gone); listing again`);
      }
      if (this.spec.optional && err instanceof ApiError && err.statusCode === 404) {
        if (!this.absent) this.logger.warn({ resource: this.spec.name }, `cluster cache: ${this.spec.path} is not served (CRD not installed?); treating it as empty and looking again every ${ABSENT_RETRY_MS / 1000} s`);
        this.absent = true;
        this.replace(new Map(), 0);
        return;
      }
      throw err;
    }
    if (this.absent) this.logger.info({ resource: this.spec.name }, `cluster cache: ${this.spec.path} is now served`);
    this.absent = false;
    this.resourceVersion = version;
    this.replace(next, count);
    this.connected = true;
    this.events.listed?.(this.spec.name, count);
  }

  private replace(next: Map<string, Map<string, T>>, count: number): void {
    this.items = next;
    this.lists = new Map();
    this.derivedByNamespace = new Map();
    this.size = count;
    if (!this.firstSync) {
      this.firstSync = true;
      for (const w of this.syncWaiters.splice(0)) w();
    }
  }

  /** Decode and store one raw object; false when it cannot be kept (logged). */
  private put(into: Map<string, Map<string, T>>, raw: Record<string, unknown>): boolean {
    const d = this.spec.decode(raw);
    const [namespace = '', name = ''] = keyOf(raw).split('/');
    if (!d.ok) {
      this.logger.warn({ resource: this.spec.name, object: `${namespace}/${name}`, problem: d.reason }, `cluster cache: cannot use ${this.spec.kind} ${namespace}/${name}; checks see it as absent`);
      this.remove(into, namespace, name);
      return false;
    }
    let ns = into.get(namespace);
    if (!ns) into.set(namespace, (ns = new Map()));
    ns.set(name, d.value);
    return true;
  }

  private remove(from: Map<string, Map<string, T>>, namespace: string, name: string): boolean {
    const ns = from.get(namespace);
    const had = ns?.delete(name) ?? false;
    if (ns && ns.size === 0) from.delete(namespace);
    return had;
  }

  /**
   * One watch from the current resourceVersion, until it ends (the server's timeout) or fails.
   * A watch whose headers do not come within HEADERS_MS, or that stays silent (no event, no
   * bookmark) past its own timeout, is ended here: a half-open connection must not look fresh.
   * Each watch has its own agent, so one still waiting for its answer can be cut.
   */
  private watch(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const { headers, ...tls } = this.conn.requestOptions();
      const agent = new Agent({ ...tls, keepAlive: false });
      const timeoutSeconds = Math.round(WATCH_SECONDS * (0.9 + Math.random() * 0.2));
      let settled = false;
      let silentTimer: NodeJS.Timeout | undefined;
      /** Ends the request; set once Watch has answered (finish may run before: stopped, no answer, refused). */
      let abort: (() => void) | undefined;
      // Until this watch has delivered something, the store is only as fresh as it was before it.
      const syncedBefore = this.connected ? this.now() : this.outOfSyncSince;
      let openedAt = 0;
      let heardAt = 0;
      let events = 0;
      const finish = (err?: Error, expired = false) => {
        if (settled) return;
        settled = true;
        clearTimeout(headersTimer);
        clearTimeout(silentTimer);
        abort?.();
        agent.destroy();
        if (this.connected && events === 0 && (expired || openedAt === 0 || this.now() - openedAt < SHORT_WATCH_MS)) {
          // Reconnected only to be told the version is gone, never answered, or cut at once: nothing
          // was caught up, so a relist that takes minutes after an outage must not count as fresh
          // from here.
          this.connected = false;
          this.outOfSyncSince = syncedBefore;
        }
        if (err) reject(err);
        else resolve();
      };
      const silent = (ms: number) => () => {
        const since = heardAt;
        finish(new Error(`watch silent for ${Math.round(ms / 1000)} s; reconnecting`));
        // Dead since it last said something, not since now.
        if (this.connected) {
          this.connected = false;
          this.outOfSyncSince = since;
        }
      };
      const headersTimer = setTimeout(() => finish(new Error(`no answer to the watch in ${HEADERS_MS / 1000} s`)), HEADERS_MS);
      const alive = () => {
        heardAt = this.now();
        clearTimeout(silentTimer);
        const ms = this.bookmarks ? this.timing.bookmarkSilenceMs : (timeoutSeconds + SILENT_GRACE_S) * 1000;
        silentTimer = setTimeout(silent(ms), ms);
      };
      const onEvent = (type: string, raw: Record<string, unknown>) => {
        if (settled) return;
        alive();
        if (type === 'ERROR') {
          const status = raw as { code?: number; message?: string };
          if (status.code === 410) {
            this.logger.info({ resource: this.spec.name }, `cluster cache: ${this.spec.name} watch expired (410 Gone); relisting`);
            this.resourceVersion = undefined;
            finish(undefined, true);
            return;
          }
          finish(new Error(`watch error ${status.code ?? ''}: ${status.message ?? 'unknown'}`));
          return;
        }
        events++;
        const version = (raw.metadata as { resourceVersion?: string } | undefined)?.resourceVersion;
        if (type === 'BOOKMARK' && !this.bookmarks) {
          this.bookmarks = true;
          alive(); // from now on, the shorter bound
        }
        if (type === 'ADDED' || type === 'MODIFIED') {
          const [namespace = '', name = ''] = keyOf(raw).split('/');
          const before = this.items.get(namespace)?.has(name) ?? false;
          const kept = this.put(this.items, raw);
          this.size += (kept ? 1 : 0) - (before ? 1 : 0);
          this.changed(namespace);
        } else if (type === 'DELETED') {
          const [namespace = '', name = ''] = keyOf(raw).split('/');
          if (this.remove(this.items, namespace, name)) this.size--;
          this.changed(namespace);
        } else if (type !== 'BOOKMARK') {
          // As client-go's reflector: logged, and its version still taken (the server sent it in order).
          this.logger.warn({ resource: this.spec.name, type }, `cluster cache: ${this.spec.name} watch sent an event of unknown type ${type}; ignored`);
        }
        if (version) this.resourceVersion = version;
      };
      this.cancel = () => finish();
      if (this.stopped) return finish();
      new Watch(watchConfig(this.conn.server, agent, headers))
        .watch(
          this.spec.path,
          { resourceVersion: this.resourceVersion, allowWatchBookmarks: true, timeoutSeconds },
          (type: string, obj: unknown) => onEvent(type, (obj ?? {}) as Record<string, unknown>),
          (err: unknown) => finish(err ? this.watchError(err) : undefined),
        )
        .then(
          // Resolved once the API server has answered 200 and the stream is being read (on any
          // other answer, or a failed request, `done` has already run: settled).
          (c: AbortController) => {
            abort = () => c.abort();
            clearTimeout(headersTimer);
            if (settled) {
              c.abort();
              return;
            }
            this.connected = true;
            openedAt = this.now();
            alive();
          },
          (err: unknown) => finish(this.watchError(err)),
        );
    });
  }

  /**
   * A watch's error as the log shows it. A refused watch reaches here as client-node's Error with
   * the HTTP status text only ("Forbidden"): it does not read the API server's Status, so the verb
   * and user the API server names are not available; the status and what it means here are said.
   */
  private watchError(err: unknown): Error {
    const status = (err as { statusCode?: unknown } | undefined)?.statusCode;
    const text = err instanceof Error ? err.message : String(err);
    if (typeof status !== 'number') return err instanceof Error ? err : new Error(text);
    const what = `watch ${this.spec.path}: ${status} ${text}`;
    if (status === 403) return new ApiError(status, `${what}; the ServiceAccount (or kubeconfig user) needs watch on ${this.spec.name}`);
    if (status === 401) return new ApiError(status, `${what}; the API server did not accept the credentials`);
    return new ApiError(status, what);
  }
}

/** What Watch reads of a KubeConfig: the server URL and, per request, fetch options (agent, token). */
function watchConfig(server: string, agent: Agent, headers: Record<string, string>): KubeConfig {
  const config = {
    getCurrentCluster: () => ({ name: 'rollsafe', server, skipTLSVerify: false }),
    applyToFetchOptions: async () => ({ agent, headers }),
  };
  return config as unknown as KubeConfig;
}
