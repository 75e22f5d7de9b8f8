// List + watch of one resource into a store, as client-go's reflector: a paginated list, then a
// watch from its resourceVersion with bookmarks; a 410 Gone (the version is too old) relists;
// any other error reconnects with exponential backoff and jitter. The store keeps serving the
// last known objects meanwhile, and the reflector says how long it has been out of sync.
// The Watch module alone: the package index loads every generated API model (see connection.ts).
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
/** Watches are renewed about this often, so a half-open connection cannot last. */
const WATCH_SECONDS = 300;

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
  private abort: AbortController | undefined;
  private wake: (() => void) | undefined;
  private connected = false;
  private outOfSyncSince: number;
  private firstSync = false;
  private absent = false;
  private size = 0;
  private readonly syncWaiters: (() => void)[] = [];

  constructor(
    private readonly conn: Connection,
    readonly spec: ResourceSpec<T>,
    private readonly logger: Logger,
    private readonly events: ReflectorEvents = {},
    private readonly now: () => number = Date.now,
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
    this.abort?.abort();
    this.wake?.();
  }

  private async run(): Promise<void> {
    let backoff = BACKOFF_MIN_MS;
    while (!this.stopped) {
      try {
        if (this.resourceVersion === undefined) await this.relist();
        if (this.stopped) break;
        if (this.absent) {
          await this.sleep(ABSENT_RETRY_MS);
          this.resourceVersion = undefined;
          continue;
        }
        const started = this.now();
        await this.watch();
        const lasted = this.now() - started;
        if (lasted > 10_000) backoff = BACKOFF_MIN_MS;
        else if (lasted < 1000 && this.resourceVersion !== undefined) {
          // Closed at once without an error: do not spin.
          await this.sleep(backoff);
          backoff = Math.min(backoff * 2, BACKOFF_MAX_MS);
        }
      } catch (err) {
        this.disconnected();
        if (this.stopped) break;
        const reason = err instanceof Error ? err.message : String(err);
        this.events.failed?.(this.spec.name, reason);
        this.logger.warn({ resource: this.spec.name, err: reason, retryInMs: backoff }, `cluster cache: ${this.spec.name} ${this.firstSync ? 'watch' : 'list'} failed; retrying`);
        await this.sleep(backoff * (0.8 + Math.random() * 0.4));
        backoff = Math.min(backoff * 2, BACKOFF_MAX_MS);
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
    try {
      do {
        const query = `?limit=${PAGE}${cont ? `&continue=${encodeURIComponent(cont)}` : ''}`;
        const body = (await getJson(this.conn, this.spec.path + query)) as ListBody;
        for (const raw of body.items ?? []) {
          if (this.put(next, raw)) count++;
        }
        version = body.metadata?.resourceVersion;
        cont = body.metadata?.continue || undefined;
      } while (cont);
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

  /** One watch from the current resourceVersion, until it ends (server timeout) or fails. */
  private watch(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      let settled = false;
      const finish = (err?: Error) => {
        if (settled) return;
        settled = true;
        if (err) reject(err);
        else resolve();
      };
      const onEvent = (type: string, raw: Record<string, unknown>) => {
        if (type === 'ERROR') {
          const status = raw as { code?: number; message?: string };
          if (status.code === 410) {
            this.logger.info({ resource: this.spec.name }, `cluster cache: ${this.spec.name} watch expired (410 Gone); relisting`);
            this.resourceVersion = undefined;
            this.abort?.abort();
            finish();
            return;
          }
          finish(new Error(`watch error ${status.code ?? ''}: ${status.message ?? 'unknown'}`));
          return;
        }
        const version = (raw.metadata as { resourceVersion?: string } | undefined)?.resourceVersion;
        if (type === 'ADDED' || type === 'MODIFIED') {
          const [namespace = ''] = keyOf(raw).split('/');
          const before = this.items.get(namespace)?.has(keyOf(raw).split('/')[1] ?? '') ?? false;
          const kept = this.put(this.items, raw);
          this.size += (kept ? 1 : 0) - (before ? 1 : 0);
          this.changed(namespace);
        } else if (type === 'DELETED') {
          const [namespace = '', name = ''] = keyOf(raw).split('/');
          if (this.remove(this.items, namespace, name)) this.size--;
          this.changed(namespace);
        }
        if (version) this.resourceVersion = version;
      };
      const watch = new Watch(watchConfig(this.conn));
      watch
        .watch(
          this.spec.path,
          { resourceVersion: this.resourceVersion, allowWatchBookmarks: true, timeoutSeconds: Math.round(WATCH_SECONDS * (0.9 + Math.random() * 0.2)) },
          (type: string, obj: unknown) => onEvent(type, (obj ?? {}) as Record<string, unknown>),
          (err: unknown) => finish(err ? (err instanceof Error ? err : new Error(String(err))) : undefined),
        )
        .then((controller: AbortController) => {
          this.abort = controller;
          if (this.stopped) controller.abort();
          else if (!settled) this.connected = true;
        }, (err: unknown) => finish(err instanceof Error ? err : new Error(String(err))));
    });
  }
}

/**
 * What Watch reads of a KubeConfig: the server URL and, per request, fetch options with the
 * agent (CA, client certificate) and the bearer token.
 */
function watchConfig(conn: Connection): KubeConfig {
  const config = {
    getCurrentCluster: () => ({ name: 'rollsafe', server: conn.server, skipTLSVerify: false }),
    applyToFetchOptions: async () => ({ agent: conn.agent, headers: conn.requestOptions().headers }),
  };
  return config as unknown as KubeConfig;
}
