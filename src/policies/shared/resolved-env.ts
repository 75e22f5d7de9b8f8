// The environment a container's process will see, resolved as the kubelet resolves it: envFrom
// sources first (in order, with their prefix), then env entries (later ones win), `$(VAR)`
// expanded from what is defined before. ConfigMap values come from the Lookup; Secret values are
// never read, so keys from Secrets (or from ConfigMaps not known yet) are "unverifiable".
import { containerExpander, EXPANDED_MAX, referencedNames } from '../../engine/expand.js';
import { configMapUnseen, type Lookup } from '../../engine/lookup.js';
import { looksSecret } from '../../engine/mask.js';
import type { ContainerAt } from './containers.js';

export type EnvValue =
  | {
      readonly known: true;
      readonly value: string;
      readonly path: string;
      /** Where the value came from, when a ConfigMap key. */
      readonly configMap?: { readonly name: string; readonly key: string };
      /** Never shown: its name, its ConfigMap key, or a variable it expands looks secret. */
      readonly secret: boolean;
      /**
       * A later envFrom source that cannot be read (a Secret, a ConfigMap not seen) and may set the
       * same name: the kubelet would give the container that one's value instead.
       */
      readonly shadowedBy?: { readonly path: string; readonly source: string; readonly unread: string };
    }
  | { readonly known: false; readonly path: string; readonly reason: string };

export interface ResolvedEnv {
  readonly values: ReadonlyMap<string, EnvValue>;
  /** Sources that may define any key but cannot be read (secretRef, a ConfigMap not found). */
  readonly opaque: readonly { readonly path: string; readonly reason: string }[];
}

/**
 * Names of the variables the kubelet derives from the Services a pod can see (pkg/kubelet/envvars:
 * `{NAME}_SERVICE_HOST`, `{NAME}_SERVICE_PORT[_{PORT NAME}]`, and the Docker link variables
 * `{NAME}_PORT`, `{NAME}_PORT_{port}_{PROTOCOL}[_PROTO|_PORT|_ADDR]`), NAME being the Service's
 * name in upper case with `-` as `_`. `$(NAME)` of one of them is expanded at pod start.
 */
const SERVICE_VAR_RE = /^[A-Z][A-Z0-9_]*_(?:SERVICE_HOST|SERVICE_PORT(?:_[A-Z0-9_]+)?|PORT(?:_\d+_(?:TCP|UDP|SCTP)(?:_(?:PROTO|PORT|ADDR))?)?)$/;
/**
 * The longest such name: a Service name of 63 characters, then `_SERVICE_PORT_` and a port name
 * of 15 (92). Longer names are not tried: the pattern backtracks at every `_`, quadratic on a
 * name an object's author writes (128 KiB took seconds).
 */
const SERVICE_VAR_MAX = 100;
const isServiceVar = (name: string): boolean => name.length <= SERVICE_VAR_MAX && SERVICE_VAR_RE.test(name);

export function resolveEnv(c: ContainerAt, namespace: string, lookup: Lookup): ResolvedEnv {
  const values = new Map<string, EnvValue>();
  const opaque: { path: string; reason: string }[] = [];
  const defined = new Map<string, string>();
  /** Defined names whose value is not known here, and why: `$(NAME)` expands to something unseen. */
  const unseen = new Map<string, string>();
  const set = (name: string, v: EnvValue) => {
    values.set(name, v);
    if (v.known) {
      defined.set(name, v.value);
      unseen.delete(name);
    } else {
      defined.delete(name);
      unseen.set(name, v.reason);
    }
  };
  c.container.envFrom.forEach((from, i) => {
    const path = `${c.path}.envFrom[${i}]`;
    const prefix = from.prefix ?? '';
    // A later source wins: what this one cannot show may replace the values read so far.
    const shadow = (source: string, unread: string) => {
      for (const [n, v] of values) if (v.known && n.startsWith(prefix)) values.set(n, { ...v, shadowedBy: { path, source, unread } });
    };
    if (from.secretRef?.name) {
      opaque.push({ path, reason: `values from Secret ${from.secretRef.name} are not read` });
      shadow(`Secret ${from.secretRef.name}`, 'Rollsafe never reads Secrets');
    }
    const name = from.configMapRef?.name;
    if (!name) return;
    const cm = lookup.getConfigMap(namespace, name);
    if (!cm) {
      // The kubelet skips an optional map that does not exist; it is known not to exist only when
      // the lookup holds every object. Otherwise it may exist and define any key.
      if (!from.configMapRef?.optional || !lookup.complete) {
        opaque.push({ path, reason: configMapUnseen(lookup, namespace, name) });
        shadow(`ConfigMap ${name}`, 'Rollsafe has not seen it');
      }
      return;
    }
    for (const [key, value] of Object.entries(cm.data)) {
      set(`${prefix}${key}`, { known: true, value, path, configMap: { name, key }, secret: looksSecret(key) || looksSecret(`${prefix}${key}`) });
    }
  });
  const expand = containerExpander();
  for (const env of c.container.env) {
    const path = `${c.path}.env[${env.name}]`;
    const ref = env.valueFrom;
    if (!ref) {
      // The kubelet expands a reference to a valueFrom variable too: the result is as unknown as it.
      // So is a reference to a name nothing known defines, when an envFrom source that cannot be
      // read (a Secret, a ConfigMap not seen) may define it.
      const names = referencedNames(env.value ?? '');
      const hidden = names.find((n) => unseen.has(n));
      const maybe = opaque.length > 0 ? names.find((n) => !defined.has(n)) : undefined;
      // The kubelet also expands the variables it derives from Services (`AUTH_SERVICE_HOST`,
      // `KUBERNETES_SERVICE_PORT`, `REDIS_PORT_6379_TCP_ADDR`) when the container does not define
      // the name: their values exist only when the pod starts.
      const service = names.find((n) => !defined.has(n) && isServiceVar(n));
      if (hidden !== undefined) set(env.name, { known: false, path, reason: `it expands $(${hidden}), and ${unseen.get(hidden) ?? ''}` });
      else if (maybe !== undefined) set(env.name, { known: false, path, reason: `it expands $(${maybe}), which may come from ${opaque[0]?.path ?? 'envFrom'}, and ${opaque[0]?.reason ?? ''}` });
      else if (service !== undefined) set(env.name, { known: false, path, reason: `it expands $(${service}), which the kubelet sets from a Service when the pod starts` });
      else {
        const value = expand(env.value ?? '', defined);
        const carries = names.some((n) => looksSecret(n) || (values.get(n) as { secret?: boolean } | undefined)?.secret === true);
        if (value !== undefined) set(env.name, { known: true, value, path, secret: carries || looksSecret(env.name) });
        else set(env.name, { known: false, path, reason: `it expands to more than ${EXPANDED_MAX / 1024} KiB (or the container's variables together to more than 2 MiB), which Linux does not pass to a process: the container would fail with "argument list too long"` });
      }
    } else if (ref.configMapKeyRef?.name) {
      const { name, key, optional } = ref.configMapKeyRef;
      const cm = lookup.getConfigMap(namespace, name);
      const value = cm && Object.hasOwn(cm.data, key) ? cm.data[key] : undefined;
      if (value !== undefined) set(env.name, { known: true, value, path, configMap: { name, key }, secret: looksSecret(env.name) || looksSecret(key) });
      // The kubelet skips an optional reference to a missing key or map: an earlier value (envFrom)
      // stays. A map is known to be missing only when the lookup holds every object.
      else if (optional && (cm || lookup.complete)) continue;
      else set(env.name, { known: false, path, reason: cm ? `ConfigMap ${namespace}/${name} has no key ${key}` : configMapUnseen(lookup, namespace, name) });
    } else if (ref.secretKeyRef) {
      set(env.name, { known: false, path, reason: `it comes from Secret ${ref.secretKeyRef.name ?? ''}, which Rollsafe does not read` });
    } else {
      set(env.name, { known: false, path, reason: 'it is set at run time (fieldRef or resourceFieldRef)' });
    }
  }
  return { values, opaque };
}
