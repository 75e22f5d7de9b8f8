// Literal env values of a container, expanded as the kubelet expands them.
import { containerExpander, referencedNames } from '../../engine/expand.js';
import { looksSecret, showValue } from '../../engine/mask.js';
import type { EnvVar } from '../../engine/objects.js';
import type { ContainerAt } from './containers.js';

/**
 * One literal env entry as the process sees it. A class, not an object literal with a closure
 * and a path string per entry: a review resolves every entry of every container (34 in a
 * 4-container Deployment) and a policy reads `path` and `show()` only for a finding.
 */
export class EnvAt {
  constructor(
    readonly env: EnvVar,
    /** The value the process sees: `value` after `$(VAR)` expansion from earlier entries; "" when absent. */
    readonly value: string,
    private readonly containerPath: string,
    private readonly written: string,
    private readonly carriesSecret: boolean,
  ) {}

  /** e.g. `spec.template.spec.containers[api].env[POOL_SIZE]` */
  get path(): string {
    return `${this.containerPath}.env[${this.env.name}]`;
  }

  /**
   * The value for a message, masked: `"expanded" (from "as written")` when expansion changed it, and
   * only as written when it expanded a secret-looking variable (`$(DB_PASSWORD)` must not leak
   * through `DATABASE_URL`). Masking runs regexes: only a finding needs it.
   */
  show(): string {
    return show(this.env.name, this.written, this.value, this.carriesSecret);
  }
}

// Several policies read the same container's env in one review: the last few containers
// resolved are remembered by identity. Not a WeakMap: V8's young-generation GC treats a WeakMap's
// values as live, so every review's env (and what it references) was promoted to the old
// generation; measured under load, that doubled GC time and made p99 latency 10x worse.
const RECENT = 16;
const recentContainers: object[] = [];
const recentEnv: EnvAt[][] = [];

/** Env entries given as literals (`value`, or neither `value` nor `valueFrom`, which means ""). */
export function literalEnv(c: ContainerAt): EnvAt[] {
  const i = recentContainers.indexOf(c.container);
  if (i !== -1) return recentEnv[i] as EnvAt[];
  const out = resolveLiterals(c);
  if (recentContainers.length >= RECENT) {
    recentContainers.shift();
    recentEnv.shift();
  }
  recentContainers.push(c.container);
  recentEnv.push(out);
  return out;
}

function resolveLiterals(c: ContainerAt): EnvAt[] {
  const defined = new Map<string, string>();
  /** Defined names whose value expanded a secret-looking variable (looksSecret is asked only when a value refers to a name). */
  const carrying = new Set<string>();
  const secret = (name: string) => defined.has(name) && (carrying.has(name) || looksSecret(name));
  const out: EnvAt[] = [];
  const expand = containerExpander();
  // A later entry of the same name replaces an earlier one (the kubelet keeps the last), so an
  // overridden entry's value never reaches the process: it is resolved (later entries may expand
  // it) but not returned.
  const last = new Map<string, EnvVar>();
  for (const env of c.container.env) last.set(env.name, env);
  for (const env of c.container.env) {
    const written = env.value ?? '';
    // Set at run time, or expanded past what the kernel passes to a process: no literal to check.
    const value = env.valueFrom ? undefined : expand(written, defined);
    if (value === undefined) {
      defined.delete(env.name);
      carrying.delete(env.name);
      continue;
    }
    // The names as the expansion read them: one linear pass (a regex over `$($($(…` without a `)`
    // rescanned the rest of the value from every `$(`: 128 KiB took seconds).
    const carriesSecret = referencedNames(written).some(secret);
    defined.set(env.name, value);
    if (carriesSecret) carrying.add(env.name);
    else carrying.delete(env.name);
    if (last.get(env.name) !== env) continue;
    out.push(new EnvAt(env, value, c.path, written, carriesSecret));
  }
  return out;
}

function show(key: string, written: string, value: string, carriesSecret: boolean): string {
  const asWritten = showValue(key, written);
  if (carriesSecret) return asWritten;
  const expanded = showValue(key, value);
  return expanded === asWritten ? expanded : `${expanded} (from ${asWritten})`;
}
