// IP addresses and CIDRs as apimachinery's validation reads them with StrictIPCIDRValidation (on by
// default in Kubernetes 1.37): no leading zeros, no IPv4-mapped IPv6 address, and for a CIDR no
// bits set beyond the prefix length.
import { isIP } from 'node:net';

/** The 32 or 128 bits of an address node:net accepts; none for a zone id (fe80::1%eth0), which Go refuses. */
function bits(ip: string): { value: bigint; width: 32 | 128 } | undefined {
  if (ip.includes('%')) return undefined;
  const family = isIP(ip);
  if (family === 4) return { value: ip.split('.').reduce((n, o) => (n << 8n) | BigInt(Number(o)), 0n), width: 32 };
  if (family !== 6) return undefined;
  let text = ip;
  // an embedded IPv4 tail (::ffff:1.2.3.4, 64:ff9b::1.2.3.4) as two groups
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const n = v4[1]?.split('.').map(Number) ?? [];
    text = `${text.slice(0, -(v4[1]?.length ?? 0))}${(((n[0] ?? 0) << 8) | (n[1] ?? 0)).toString(16)}:${(((n[2] ?? 0) << 8) | (n[3] ?? 0)).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const groups = tail === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  return { value: groups.reduce((n, g) => (n << 16n) | BigInt(parseInt(g, 16)), 0n), width: 128 };
}

/** Netip's Is4In6: ::ffff:a.b.c.d in any spelling. */
const mapped = (b: { value: bigint; width: number }) => b.width === 128 && b.value >> 32n === 0xffffn;

/** What is wrong with an IP address, or undefined. */
export function ipProblem(value: string): string | undefined {
  const b = bits(value);
  if (!b) return /^\d+(\.\d+){3}$/.test(value) && isIP(value.replace(/(^|\.)0+(\d)/g, '$1$2')) === 4 ? 'has a leading 0 in a part: write it without (10.0.0.1, not 010.0.0.1)' : 'is not an IP address, such as 10.9.8.7 or 2001:db8::ffff';
  if (mapped(b)) return 'is an IPv4-mapped IPv6 address: write the IPv4 address';
  return undefined;
}

/** What is wrong with a CIDR, or undefined; `canonical`, the network it names, when host bits are set. */
export function cidrProblem(value: string): string | undefined {
  const slash = value.indexOf('/');
  const ip = slash === -1 ? value : value.slice(0, slash);
  const prefixText = slash === -1 ? '' : value.slice(slash + 1);
  const address = bits(ip);
  const max = address?.width ?? 32;
  if (!address && ipProblem(ip)?.startsWith('has a leading 0') && /^\d+$/.test(prefixText)) return 'has a leading 0 in the address: write it without (10.0.0.0/8, not 010.0.0.0/8)';
  if (!address || !/^\d+$/.test(prefixText) || Number(prefixText) > max) return 'is not a CIDR, such as 10.9.8.0/24 or 2001:db8::/64';
  if (prefixText.length > 1 && prefixText.startsWith('0')) return 'has a prefix length with a leading 0';
  if (mapped(address)) return 'has an IPv4-mapped IPv6 address: write the IPv4 CIDR';
  const prefix = BigInt(prefixText);
  const hostBits = BigInt(max) - prefix;
  const host = address.value & ((1n << hostBits) - 1n);
  if (host !== 0n) {
    const network = address.value - host;
    const shown = max === 32 ? [24n, 16n, 8n, 0n].map((s) => String((network >> s) & 255n)).join('.') : undefined;
    return `has bits set beyond its prefix length${shown ? `: the network is ${shown}/${prefixText}` : ''} (for one address, write /${max})`;
  }
  return undefined;
}

/** Whether CIDR `inner` is a strict subset of CIDR `outer` (both valid). */
export function strictSubset(inner: string, outer: string): boolean {
  const [ia = '', ip = ''] = inner.split('/');
  const [oa = '', op = ''] = outer.split('/');
  const i = bits(ia);
  const o = bits(oa);
  if (!i || !o || i.width !== o.width) return false;
  const ipx = BigInt(ip);
  const opx = BigInt(op);
  if (ipx <= opx) return false;
  const shift = BigInt(o.width) - opx;
  return i.value >> shift === o.value >> shift;
}
