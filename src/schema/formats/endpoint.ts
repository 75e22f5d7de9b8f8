// Recognise "an endpoint a process connects to" in a config value: a URL or host:port. Shared by
// the env-loopback policy and the ConfigSchema `url` and `endpoint` types.
/**
 * The port a client of each scheme connects to when the URL gives none: the URL standards' own
 * (RFC 9110 4.2, RFC 6455 3) and the database and broker URLs whose clients document one (libpq
 * 5432, redis 6379, MySQL Connector 3306, the MongoDB URI 27017, AMQP 0-9-1 5672/5671, NATS 4222).
 * A Map: a scheme such as `constructor://` must not find a property of Object.prototype.
 */
export const DEFAULT_PORTS: ReadonlyMap<string, number> = new Map([
  ['http', 80],
  ['https', 443],
  ['ws', 80],
  ['wss', 443],
  ['grpc', 80],
  ['grpcs', 443],
  ['redis', 6379],
  ['rediss', 6379],
  ['postgres', 5432],
  ['postgresql', 5432],
  ['mysql', 3306],
  ['mongodb', 27017],
  ['amqp', 5672],
  ['amqps', 5671],
  ['nats', 4222],
]);

export interface Endpoint {
  readonly host: string;
  /** undefined when the URL gives no port and its scheme has no well-known default */
  readonly port: number | undefined;
}

const URL_RE = /^[a-z][a-z0-9+.-]*:\/\//i;
const HOST_PORT_RE = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+):(\d{1,5})$/i;

/** One endpoint, or undefined for values that are not (a bare host, a path, free text). */
export function parseEndpoint(raw: string): Endpoint | undefined {
  const value = raw.trim();
  if (URL_RE.test(value)) return plainUrl(value) ?? urlEndpoint(value);
  const m = HOST_PORT_RE.exec(value);
  if (!m?.[1] || !m[2]) return undefined;
  return { host: m[1].replace(/^\[|\]$/g, ''), port: Number(m[2]) };
}

/** The endpoint of a URL, as the WHATWG URL parser (and so Node clients) reads it. */
export function urlEndpoint(value: string): Endpoint | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  const scheme = url.protocol.slice(0, -1).toLowerCase();
  const port = url.port ? Number(url.port) : DEFAULT_PORTS.get(scheme);
  return { host: url.hostname.replace(/^\[|\]$/g, ''), port };
}

/** scheme://name[:port] followed by a path, query, fragment or nothing; the name a plain DNS name. */
const PLAIN_URL = /^([a-z][a-z0-9+.-]*):\/\/([a-z0-9_-]+(?:\.[a-z0-9_-]+)*\.?)(?::(\d{1,5}))?(?:[/?#]|$)/i;
/** Schemes whose hosts the URL parser lowercases (ftp and file, whose ports and hosts it treats apart, are left to it). */
const LOWERCASED = new Set(['http', 'https', 'ws', 'wss']);

/**
 * The common URL (`http://collector.monitoring:4318/v1/traces`) read without the URL parser,
 * which costs microseconds per value; undefined for anything the parser may read differently
 * (IPv4 numbers and IPv6 literals, user info, backslashes, control characters, IDNA labels,
 * ports over 65535, ftp and file). test/schema/endpoint.test.ts checks it against urlEndpoint.
 */
function plainUrl(value: string): Endpoint | undefined {
  const m = PLAIN_URL.exec(value);
  if (!m?.[1] || !m[2] || /[\\\t\n\r]/.test(value)) return undefined;
  const scheme = m[1].toLowerCase();
  if (scheme === 'ftp' || scheme === 'file') return undefined;
  const host = m[2];
  const last = host.replace(/\.$/, '').split('.').pop() ?? '';
  if (NUMERIC_LABEL.test(last) || /(^|\.)xn--/i.test(host)) return undefined;
  const port = m[3] === undefined ? DEFAULT_PORTS.get(scheme) : Number(m[3]);
  if (port !== undefined && port > 65535) return undefined;
  return { host: LOWERCASED.has(scheme) ? host.toLowerCase() : host, port };
}

/** Every endpoint in a value; lists such as Kafka brokers are comma-separated. */
export function parseEndpoints(value: string): Endpoint[] {
  return value.split(',').flatMap((part) => {
    const e = parseEndpoint(part);
    return e ? [e] : [];
  });
}

/**
 * A host as the URL parser writes it, so a rule and a value compare however each was spelled:
 * lower case, no trailing dot, IPv6 in its short form (2001:db8:0:0::1 is 2001:db8::1), IPv4
 * shorthands in dotted form (10.1 is 10.0.0.1).
 */
export function canonicalHost(host: string): string {
  const h = host.toLowerCase().replace(/\.$/, '');
  const numeric = NUMERIC_LABEL.test(h.slice(h.lastIndexOf('.') + 1));
  if (!h.includes(':') && !numeric) return h;
  try {
    const parsed = new URL(h.includes(':') ? `http://[${h.replace(/^\[|\]$/g, '')}]/` : `http://${h}/`).hostname;
    return parsed.replace(/^\[|\]$/g, '');
  } catch {
    return h;
  }
}

/** localhost, 127.0.0.0/8 and ::1 in any spelling the resolver reads (127.1, 2130706433, 0::1, ::ffff:127.0.0.1). */
export function isLoopbackHost(host: string): boolean {
  const h = canonicalHost(host);
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h)) return true;
  return h === '::1' || /^::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}$/.test(h);
}

/** A DNS name whose last label is not numeric: the URL parser leaves it as written (no IPv4 forms). */
const DOMAIN = /^[a-z0-9_-]+(\.[a-z0-9_-]+)*\.?$/i;
const NUMERIC_LABEL = /^(0x[0-9a-f]*|\d+)$/i;

/**
 * Could this part of a value name a loopback host? A cheap test that never says no to one:
 * `parseEndpoints` builds a URL per value, and most values (paths, names, remote hosts) are not
 * loopback. Only a domain name that is not `localhost` is ruled out; anything else (IP literals,
 * numeric hosts the URL parser turns into 127.0.0.1) goes to the full parse.
 */
function mayBeLoopback(part: string): boolean {
  let host = part.trim();
  // A backslash ends the authority for some schemes and not others: leave it to the URL parser.
  if (host.includes('\\')) return true;
  const scheme = host.indexOf('://');
  if (scheme !== -1) {
    host = host.slice(scheme + 3);
    const end = host.search(/[/?#]/);
    if (end !== -1) host = host.slice(0, end);
    const at = host.lastIndexOf('@');
    if (at !== -1) host = host.slice(at + 1);
  }
  if (host.startsWith('[')) return true;
  const colon = host.lastIndexOf(':');
  if (colon !== -1) host = host.slice(0, colon);
  if (!DOMAIN.test(host)) return true;
  const h = host.toLowerCase().replace(/\.$/, '');
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  const last = h.slice(h.lastIndexOf('.') + 1);
  return NUMERIC_LABEL.test(last);
}

const JDBC = /^\s*jdbc:/i;

/** The endpoints of a value on a loopback host (a JDBC URL read as the URL after `jdbc:`). */
export function loopbackEndpoints(value: string): Endpoint[] {
  // Both forms of an endpoint (host:port, scheme://) have a colon; most values (paths, names,
  // numbers, flags) do not.
  if (!value.includes(':')) return [];
  const out: Endpoint[] = [];
  for (const raw of value.includes(',') ? value.split(',') : [value]) {
    // A JDBC URL is `jdbc:` before the database's own URL (jdbc:postgresql://host:5432/db).
    const part = JDBC.test(raw) ? raw.trim().slice(5) : raw;
    if (!mayBeLoopback(part)) continue;
    const e = parseEndpoint(part);
    if (e && isLoopbackHost(e.host)) out.push(e);
  }
  return out;
}
