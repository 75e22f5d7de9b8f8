import { z } from 'zod';
import type { Issue } from '../engine/finding.js';
import type { Lookup } from '../engine/lookup.js';
import type { Service } from '../engine/objects.js';
import { definePolicy } from '../engine/policy.js';
import { DEFAULT_PORTS } from '../schema/formats/endpoint.js';
import { podContainers, podSpec } from './shared/containers.js';
import { literalEnv } from './shared/env.js';

/**
 * `name.namespace.svc` or `name.namespace.svc.cluster.local`, optionally with `:port`, as a whole
 * host: not preceded by a label (that would be a pod of a headless Service, `db-0.db.ns.svc`).
 */
const SERVICE_HOST = /(?<![-.\w])([a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?)\.([a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?)\.svc(?:\.cluster\.local)?\.?(?::(\d{1,5}))?(?![-\w]|\.\w)/g;

export interface ServiceHost {
  readonly host: string;
  readonly name: string;
  readonly namespace: string;
  /** The port written after the host, if any. */
  readonly port: number | undefined;
  /** The URL's scheme (`http`), when the host is a URL's. */
  readonly scheme: string | undefined;
  /**
   * The port a URL with no port connects to, its scheme's default (schemeDefaultPort):
   * only when a path or query ends the host, so no port can be appended to it later (an nginx
   * `set $backend http://api.shop.svc;` is used as `proxy_pass $backend:3100`).
   */
  readonly schemePort: number | undefined;
}

/**
 * The port a URL with no port connects to: the shared table of scheme defaults (endpoint.ts),
 * but for `grpc://` and `grpcs://`: gRPC clients do not read those schemes (grpc-go wants
 * `dns:///host:port`), so no port follows from them here. `mongodb+srv://` has none in the table:
 * its port comes from DNS.
 */
const NO_PORT_OF_THEIR_OWN: ReadonlySet<string> = new Set(['grpc', 'grpcs']);
const schemeDefaultPort = (scheme: string): number | undefined => (NO_PORT_OF_THEIR_OWN.has(scheme) ? undefined : DEFAULT_PORTS.get(scheme));
/** One character more than the longest scheme of the table: `xhttp` is told apart from `http`. */
const SCHEME_SCAN = Math.max(...[...DEFAULT_PORTS.keys()].map((s) => s.length)) + 1;
/** Longest userinfo (`user:password@`) looked through for the scheme: a bound keeps the scan linear. */
const MAX_USERINFO = 256;
const SCHEME_CHAR = /[a-z0-9+.-]/;
const NOT_USERINFO = /[/@\s"'`]/;

/** The scheme of the URL whose host starts at `start` in `line` (lower case), if it is one. */
function schemeBefore(line: string, start: number): string | undefined {
  let at = start;
  if (line[at - 1] === '@') {
    const from = Math.max(0, at - 1 - MAX_USERINFO);
    let i = at - 2;
    while (i >= from && !NOT_USERINFO.test(line[i] ?? '/')) i--;
    at = i + 1;
  }
  if (line.slice(at - 3, at) !== '://') return undefined;
  const end = at - 3;
  let i = end;
  while (i > 0 && end - i < SCHEME_SCAN && SCHEME_CHAR.test(line[i - 1] ?? '')) i--;
  return line.slice(i, end);
}

/**
 * A whole-line comment in the config formats a ConfigMap carries (`#`: YAML, nginx, properties,
 * shell, TOML; `//`: HCL, JSON5; `;`: INI). An address there is not used, and the line usually
 * stays when its Service is deleted: warning on it would warn on every apply.
 */
const isCommentLine = (line: string): boolean => {
  const t = line.trimStart();
  return t.startsWith('#') || t.startsWith('//') || t.startsWith(';');
};

/** Every in-cluster Service address in a value (a URL, `host:port`, or a config file's text). */
export function serviceHosts(value: string): ServiceHost[] {
  const text = value.toLowerCase();
  if (!text.includes('.svc')) return [];
  // Line by line, so a comment is known without looking back from each match (linear).
  return text.split('\n').flatMap((line) => {
    if (!line.includes('.svc') || isCommentLine(line)) return [];
    return [...line.matchAll(SERVICE_HOST)].map((m) => {
      const port = m[3] === undefined ? undefined : Number(m[3]);
      const scheme = schemeBefore(line, m.index);
      const next = line[m.index + m[0].length];
      const endsHost = next === '/' || next === '?';
      return {
        host: m[0],
        name: m[1] ?? '',
        namespace: m[2] ?? '',
        port,
        scheme,
        schemePort: port === undefined && endsHost && scheme !== undefined ? schemeDefaultPort(scheme) : undefined,
      };
    });
  });
}

function problem(ref: ServiceHost, lookup: Lookup): string | undefined {
  const svc: Service | undefined = lookup.getService(ref.namespace, ref.name);
  if (!svc) return `names Service ${ref.namespace}/${ref.name}, which does not exist in the cluster`;
  const spec = svc.spec;
  // ExternalName is a CNAME: its ports are not used. A headless Service's name resolves to the ready
  // pods' own addresses (Kubernetes DNS spec 2.4.1) and nothing between client and pod looks at the
  // port: any port a container listens on works, listed in the Service or not (JMX beside CQL).
  const port = ref.port ?? ref.schemePort;
  if (port === undefined || spec?.type === 'ExternalName' || spec?.clusterIP === 'None' || !spec?.ports.length) return undefined;
  if (spec.ports.some((p) => p.port === port)) return undefined;
  const ports = spec.ports.map((p) => (p.name ? `${p.port} (${p.name})` : String(p.port))).join(', ');
  const which = ref.port === undefined ? `${port} (the ${ref.scheme ?? ''}:// default: the URL gives none)` : String(port);
  return `names port ${which} of Service ${ref.namespace}/${ref.name}, which has no such port (ports: ${ports})`;
}

const EXAMPLE_KEY = '_example';

const FIX = 'fix the host or port, or create the Service before the workload that calls it';

export default definePolicy({
  id: 'service-ref',
  kinds: ['Deployment', 'ConfigMap'],
  defaultAction: 'warn',
  crossObject: true,
  summary: 'In-cluster URLs name Services (and ports) that exist.',
  rationale:
    'A URL such as `http://auth.shop.svc.cluster.local:8080` in an env value or a ConfigMap names a ' +
    'Service by name and namespace. A typo, a wrong namespace or a port the Service does not expose ' +
    'passes every check and fails at the first request, often as a hang until a timeout. Only ' +
    'addresses of the form `name.namespace.svc[.cluster.local]` are checked (trailing dot and upper ' +
    'case allowed; `pod.name.namespace.svc`, a StatefulSet pod, is not a Service name). A short name ' +
    '(`auth`, `auth.shop`) is not: the pod\'s search path also holds the node\'s domains, and when no ' +
    'Service matches, `auth.shop` is tried as a public domain, so a missing Service cannot be told from an ' +
    'external host. `cluster.local` is taken as the cluster domain: in a cluster whose kubelets use ' +
    'another `--cluster-domain`, `name.namespace.svc.<domain>` is not checked, and a `.cluster.local` ' +
    'address that does not resolve there is not noticed. Checks run only against the ' +
    "webhook's complete view of the cluster: `rollsafe check` cannot know what else exists. A URL " +
    'without a port uses its scheme\'s default (`http`/`ws` 80, `https`/`wss` 443, `postgres`/`postgresql` ' +
    '5432, `redis`/`rediss` 6379, `mysql` 3306, `mongodb` 27017, `amqp` 5672, `amqps` 5671, `nats` 4222) ' +
    'when a path or query ' +
    'ends the host (`http://auth.shop.svc/login`); with nothing after the host the port may be added ' +
    'later, and it is not checked. For a ' +
    'headless Service (`clusterIP: None`) the port is not checked: its name resolves to the pods, and ' +
    "clients reach any port a pod listens on; nor for an ExternalName Service, whose ports are not used. " +
    "Commented-out lines (`#`, `//`, `;`) and Knative's `_example` key are not configuration and are " +
    'not read; a Service named several times in one value is reported once.',
  fix: FIX,
  options: z.strictObject({}),
  check(object, { lookup }) {
    if (!lookup.complete) return [];
    const issues: Issue[] = [];
    const report = (value: string, path: string, subject: string) => {
      // A config file names one backend in several places (nginx: one `set` per route): one warning.
      const seen = new Set<string>();
      for (const ref of serviceHosts(value)) {
        const key = `${ref.namespace}/${ref.name}:${ref.port ?? ref.schemePort ?? ''}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const why = problem(ref, lookup);
        if (why) issues.push({ path, value, message: `${subject} points at ${ref.host}, which ${why}` });
      }
    };
    if (object.kind === 'ConfigMap') {
      for (const [key, value] of Object.entries(object.data)) {
        // Knative's documentation key (knative.dev/pkg configmap.ExampleKey): shown to whoever runs
        // `kubectl edit`, never read; its sample addresses name Services nobody has to create.
        if (key !== EXAMPLE_KEY) report(value, `data[${key}]`, `key ${key}`);
      }
      return issues;
    }
    for (const c of podContainers(podSpec(object))) {
      for (const e of literalEnv(c)) report(e.value, e.path, `env var ${e.env.name} of container "${c.container.name}"`);
    }
    return issues;
  },
});
