// url and endpoint values: scheme, host allow-list and loopback.
import { canonicalHost, isLoopbackHost, parseEndpoint } from './endpoint.js';

export interface HostRules {
  readonly hosts?: readonly string[] | undefined;
  readonly allowLoopback?: boolean | undefined;
}

/** `*.example.com` allows sub-domains of example.com; other entries match exactly (case-insensitive). */
export function hostAllowed(host: string, allowed: readonly string[]): boolean {
  const h = canonicalHost(host);
  return allowed.some((a) => {
    if (a.startsWith('*.')) {
      const parent = `.${canonicalHost(a.slice(2))}`;
      return h.endsWith(parent) && h.length > parent.length;
    }
    return h === canonicalHost(a);
  });
}

/** The unspecified addresses, as canonicalHost writes them (::ffff:0:0 is 0.0.0.0 mapped to IPv6). */
const UNSPECIFIED = new Set(['0.0.0.0', '::', '::ffff:0:0']);

function hostProblems(host: string, rules: HostRules): string[] {
  const out: string[] = [];
  if (!rules.allowLoopback && isLoopbackHost(host)) out.push(`points at loopback (${host}): inside a pod that is the pod itself`);
  // A client connecting to the unspecified address reaches its own host: the pod itself. Compared
  // in canonical form, as loopback is: [0::0]:4318 and 0.0.0.0.:4318 are the same address.
  else if (!rules.allowLoopback && UNSPECIFIED.has(canonicalHost(host))) out.push(`points at ${host}, which a client reaches as the pod itself`);
  if (rules.hosts && !hostAllowed(host, rules.hosts)) out.push(`has host ${host}, which is not one of the allowed hosts (${rules.hosts.join(', ')})`);
  return out;
}

/**
 * What the WHATWG URL parser (Node) reads differently from Go's net/url, Python's urllib and
 * Java's URI: it drops tabs and line breaks anywhere in a URL (`https://auth.exa\nmple.com` is
 * auth.example.com to Node; Go refuses it: "invalid control character in URL"), and skips a
 * slash or backslash after the `//` of http, https, ws, wss and ftp (`http:///collector` is host
 * collector to Node; Go, Python and Java read no host, and a Go client fails: "no Host in request URL").
 */
function misread(value: string): string | undefined {
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f\x7f]/.test(value)) return 'has a line break, tab or other control character, which Go and Java URL parsers refuse (Node drops it)';
  if (/^(https?|wss?|ftp):\/\/[/\\]/i.test(value)) return 'has no host to Go, Python or Java (a / or \\ right after ://)';
  return undefined;
}

/** Schemes whose URLs name a path on the machine, not a host. */
const HOSTLESS = new Set(['unix', 'file']);

/**
 * The schemes whose host the WHATWG parser reads as a domain name, yet it keeps characters no
 * name has: `https://a.example.com;https://b.example.com` is host `a.example.com;https`, which no
 * resolver finds. Other schemes keep theirs (MongoDB lists hosts with commas: `mongodb://a,b/db`).
 */
const DOMAIN_SCHEMES = new Set(['http', 'https', 'ws', 'wss', 'ftp']);
/** Labels of letters, digits, `-` (not first or last) and `_` (service records, some internal names), of any length (a resolver refuses what is too long); IPv4 passes too. */
const HOST_NAME = /^(?!-)[a-z0-9_-]+(?<!-)(?:\.(?!-)[a-z0-9_-]+(?<!-))*\.?$/i;

export function checkUrl(value: string, spec: HostRules & { schemes?: readonly string[] | undefined }): string[] {
  if (value.trim() !== value) return ['has leading or trailing spaces'];
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return ['is not an absolute URL (expected scheme://host…, e.g. https://auth.example.com)'];
  const why = misread(value);
  if (why) return [why];
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return ['is not a valid URL'];
  }
  const out: string[] = [];
  const scheme = url.protocol.slice(0, -1).toLowerCase();
  if (spec.schemes && !spec.schemes.includes(scheme)) out.push(`has scheme ${scheme}, expected ${spec.schemes.join(' or ')}`);
  // A socket or file path has no host (unix:///var/run/app.sock): fine when the schema names that scheme.
  if (url.hostname && DOMAIN_SCHEMES.has(scheme) && !url.hostname.startsWith('[') && !HOST_NAME.test(url.hostname)) {
    out.push(`has host ${url.hostname}, which is not a host name (letters, digits, "-" and "." only)${/[;,\s]/.test(url.hostname) ? ': two URLs in one value? separate them as the format says' : ''}`);
  } else if (url.hostname) out.push(...hostProblems(url.hostname.replace(/^\[|\]$/g, ''), spec));
  else if (!HOSTLESS.has(scheme)) out.push('has no host');
  else if (!spec.schemes?.includes(scheme)) out.push(`has no host (a ${scheme} path is accepted only when schemes lists ${scheme})`);
  return out;
}

export function checkEndpoint(value: string, spec: HostRules): string[] {
  if (value.trim() !== value) return ['has leading or trailing spaces'];
  const why = misread(value);
  if (why) return [why];
  const e = parseEndpoint(value);
  if (!e) return ['is not host:port or a URL (e.g. otel-collector.observability:4318)'];
  if (e.port !== undefined && (e.port < 1 || e.port > 65535)) return [`has port ${e.port}, not 1 to 65535`];
  return hostProblems(e.host, spec);
}
