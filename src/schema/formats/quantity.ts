// Kubernetes resource quantities (`500m`, `1.5Gi`, `2e3`, `128974848`), with the grammar of
// k8s.io/apimachinery/pkg/api/resource: a signed decimal number and one optional suffix, binary
// (Ki…Ei), decimal (n, u, m, k, M…E) or a decimal exponent (e3, E-2).
const BINARY: Readonly<Record<string, number>> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL: Readonly<Record<string, number>> = { n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

const QUANTITY = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?\d+)?$/;

export type QuantityResult = { ok: true; value: number } | { ok: false; reason: string };

export function parseQuantity(input: string): QuantityResult {
  const m = QUANTITY.exec(input);
  if (!m) {
    return {
      ok: false,
      reason: /^\s|\s$/.test(input)
        ? 'has leading or trailing spaces'
        : 'is not a Kubernetes quantity (expected e.g. 500m, 1.5Gi, 128Mi, 2)',
    };
  }
  const number = Number(m[1]);
  const suffix = m[2] ?? '';
  if (suffix in BINARY) return { ok: true, value: number * (BINARY[suffix] ?? 1) };
  if (suffix in DECIMAL) return { ok: true, value: number * (DECIMAL[suffix] ?? 1) };
  return { ok: true, value: number * 10 ** Number(suffix.slice(1)) };
}
