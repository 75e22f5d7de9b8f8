// The webhook's view of the cluster: one reflector per resource the checks read, behind the
// engine's Lookup. Reviews read it synchronously and never wait for the API server; how far it
// can be trusted (stale or not) is reported beside it.
import type { Logger } from 'pino';
import type { CacheTrust } from '../admission/review.js';
import type { LoadedSchema, Lookup } from '../engine/lookup.js';
import { readersIndex } from '../engine/readers.js';
import type { Connection } from './connection.js';
import { Reflector, type ReflectorEvents } from './reflector.js';
import type { ConfigMap, Deployment, HorizontalPodAutoscaler, LimitRange, Namespace, Service } from '../engine/objects.js';
import { configMaps, configSchemas, deployments, horizontalPodAutoscalers, limitRanges, namespaces, type ResourceSpec, services } from './resources.js';

export interface ClusterCacheOptions {
  readonly connection: Connection;
  readonly logger: Logger;
  /** Cross-object findings are marked stale when any resource has been out of sync this long. */
  readonly staleAfterSeconds: number;
  readonly events?: ReflectorEvents;
}

export class ClusterCache {
  readonly configMaps: Reflector<ConfigMap>;
  readonly deployments: Reflector<Deployment>;
  readonly services: Reflector<Service>;
  readonly hpas: Reflector<HorizontalPodAutoscaler>;
  readonly limitRanges: Reflector<LimitRange>;
  readonly namespaces: Reflector<Namespace>;
  readonly configSchemas: Reflector<LoadedSchema>;
  private readonly staleAfterSeconds: number;
  private lookupFor: { schemas: readonly LoadedSchema[]; lookup: Lookup } | undefined;

  constructor(o: ClusterCacheOptions) {
    const make = <T>(spec: ResourceSpec<T>) => new Reflector(o.connection, spec, o.logger, o.events);
    this.configMaps = make(configMaps);
    this.deployments = make(deployments);
    this.services = make(services);
    this.hpas = make(horizontalPodAutoscalers);
    this.limitRanges = make(limitRanges);
    this.namespaces = make(namespaces);
    this.configSchemas = make(configSchemas);
    this.staleAfterSeconds = o.staleAfterSeconds;
  }

  get reflectors(): readonly Reflector<unknown>[] {
    return [this.configMaps, this.deployments, this.services, this.hpas, this.limitRanges, this.namespaces, this.configSchemas] as Reflector<unknown>[];
  }

  start(): void {
    for (const r of this.reflectors) r.start();
  }

  stop(): void {
    for (const r of this.reflectors) r.stop();
  }

  /** Seconds the least fresh resource has been out of sync. */
  ageSeconds(): number {
    return Math.max(...this.reflectors.map((r) => r.ageSeconds()));
  }

  trust(): CacheTrust {
    const age = this.ageSeconds();
    return age > this.staleAfterSeconds ? { stale: true, ageSeconds: age } : { stale: false };
  }

  namespaceLabels = (namespace: string): Readonly<Record<string, string>> | undefined => this.namespaces.get('', namespace)?.metadata.labels;

  /** The Lookup over the cache, with the ConfigSchemas from files added to the cluster's own. */
  lookup(fileSchemas: readonly LoadedSchema[]): Lookup {
    if (this.lookupFor?.schemas === fileSchemas) return this.lookupFor.lookup;
    const lookup: Lookup = {
      source: 'the cluster',
      complete: true,
      knowsObjects: true,
      getConfigMap: (ns, name) => this.configMaps.get(ns, name),
      getService: (ns, name) => this.services.get(ns, name),
      listDeployments: (ns) => this.deployments.list(ns),
      listConfigMapReaders: (ns, name) => this.deployments.derived(ns, readersIndex).get(name) ?? [],
      listHorizontalPodAutoscalers: (ns) => this.hpas.list(ns),
      listLimitRanges: (ns) => this.limitRanges.list(ns),
      listConfigSchemas: (ns) => {
        const fromCluster = this.configSchemas.list(ns);
        const fromFiles = fileSchemas.filter((s) => s.namespace === ns);
        return fromFiles.length === 0 ? fromCluster : [...fromCluster, ...fromFiles];
      },
    };
    this.lookupFor = { schemas: fileSchemas, lookup };
    return lookup;
  }
}
