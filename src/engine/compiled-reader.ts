// A zod schema compiled into a plain function that reads a value the way `schema.safeParse`
// does when it succeeds, and says only "no" when it would fail (the caller then asks zod, whose
// errors are the ones shown). For the webhook's hot path: zod runs every field through a result
// object and an issue list, and decoding a 4-container Deployment took 10-12 µs and 29 KB of
// garbage; the compiled reader took 3.1 µs and builds only the output (bench loop over 64 copies).
// zod 4.6's own `z.compile` was measured by a reviewer in another loop: 5.1 µs, against plain
// zod's 7.7 and this reader's 1.4 there.
//
// One source of truth: the reader is derived from the schema at start-up, not written beside
// it. The compiler models a short list of zod constructs, each recognised by its exact zod traits
// and definition fields (MODELLED): anything else, including a variant of a modelled construct
// (a string format such as z.email(), coercion, a refinement, z.exactOptional, z.xor, a strict
// object), makes compiling throw, so a change to the shapes cannot make the two disagree
// silently. The equivalence is tested on every object of the corpus, on generated values, and
// construct by construct on arbitrary values (test/engine/compiled-reader.test.ts).
//
// Objects and arrays become generated JavaScript (as zod's own JIT does), each field read by
// its literal name: a generic loop over a field list made every property read and every call
// megamorphic, and was slower than zod itself (measured: 12.7 µs against 10.5). The source is
// made from the schema's own field names only (JSON-quoted), never from input. A sub-schema used
// in several places (Probe, Container) is generated once.
import type { z } from 'zod';

/** What a reader returns when zod would refuse the value. */
export const REFUSED: unique symbol = Symbol('refused');
export type Reader<T> = (value: unknown) => T | typeof REFUSED;

/** The parts of zod's internal definition the compiler reads (zod 4's `schema._zod.def`). */
interface Def {
  readonly type: string;
  readonly checks?: readonly unknown[];
  readonly shape?: Readonly<Record<string, z.ZodType>>;
  readonly innerType?: z.ZodType;
  readonly element?: z.ZodType;
  readonly options?: readonly z.ZodType[];
  readonly values?: readonly unknown[];
  readonly check?: string;
  readonly fn?: (value: unknown) => unknown;
  /** zod's `default`: a getter that makes a fresh default each time it is read. */
  readonly defaultValue?: unknown;
}

/** zod 4's internals of a schema: its definition, its traits, and how absence passes it. */
interface Internals {
  readonly def: Def;
  readonly traits: ReadonlySet<string>;
  readonly optin?: 'optional' | 'defaulted';
  readonly optout?: 'optional';
}

const internalsOf = (schema: z.ZodType): Internals => (schema as unknown as { _zod: Internals })._zod;

/**
 * The constructs modelled, by `def.type`: the zod core traits (`$Zod…`) a schema may have besides
 * `$ZodType`, and the definition fields it may have besides `type` (and an empty `checks`). A
 * format (`$ZodStringFormat`), `z.xor` (`$ZodXor`, `inclusive`), `z.exactOptional`
 * (`$ZodExactOptional`), coercion (`coerce`) or a catchall (`catchall`) is outside the list.
 */
const MODELLED: Readonly<Record<string, { readonly traits: readonly string[]; readonly fields: readonly string[] }>> = {
  string: { traits: ['$ZodString'], fields: [] },
  number: { traits: ['$ZodNumber'], fields: [] },
  boolean: { traits: ['$ZodBoolean'], fields: [] },
  literal: { traits: ['$ZodLiteral'], fields: ['values'] },
  // z.custom(fn): its function is the one check; `abort` only changes which errors zod reports.
  custom: { traits: ['$ZodCustom', '$ZodCheck'], fields: ['check', 'fn', 'abort'] },
  optional: { traits: ['$ZodOptional'], fields: ['innerType'] },
  default: { traits: ['$ZodDefault'], fields: ['innerType', 'defaultValue'] },
  union: { traits: ['$ZodUnion'], fields: ['options'] },
  array: { traits: ['$ZodArray'], fields: ['element'] },
  object: { traits: ['$ZodObject', '$ZodObjectJIT'], fields: ['shape'] },
};

/** The schema's internals, when the compiler models it exactly; throws otherwise. */
function modelled(schema: z.ZodType, where: string): Internals {
  const internals = internalsOf(schema);
  const { def } = internals;
  const model = MODELLED[def.type];
  const refuse = (why: string) => new Error(`compileReader: ${where} is ${why}, which the compiled reader does not model`);
  if (!model) throw refuse(`a ${def.type} schema`);
  const trait = [...internals.traits].find((t) => t.startsWith('$') && t !== '$ZodType' && !model.traits.includes(t));
  if (trait !== undefined) throw refuse(`a ${def.type} schema with trait ${trait}`);
  for (const [field, value] of Object.entries(def)) {
    if (field === 'type' || model.fields.includes(field)) continue;
    if (field === 'checks' && Array.isArray(value) && value.length === 0) continue;
    throw refuse(field === 'checks' ? `a ${def.type} schema with checks` : `a ${def.type} schema with ${field}`);
  }
  if (def.type === 'custom' && (def.check !== 'custom' || typeof def.fn !== 'function')) throw refuse('a custom schema without its function');
  return internals;
}

type Read = (value: unknown) => unknown;

/**
 * Compile a schema; throws at start-up for a construct the reader does not model. Where Node
 * forbids making code from strings (`--disallow-code-generation-from-strings`: `rollsafe check`
 * can run so, fastify's router cannot), the reader is the schema itself: slower, the same
 * answers (zod falls back the same way).
 */
export function compileReader<T>(schema: z.ZodType<T>): Reader<T> {
  const unit = new Unit();
  const root = unit.reader(schema, '(root)');
  const source = `"use strict";\n${unit.helpers.map((_, i) => `const h${i} = H[${i}];`).join('\n')}\n${unit.functions.join('\n')}\nreturn ${root};`;
  let make: (r: typeof REFUSED, h: readonly Read[]) => Reader<T>;
  try {
    make = new Function('R', 'H', source) as typeof make;
  } catch (err) {
    if (!(err instanceof EvalError)) throw err;
    return (value) => {
      const parsed = schema.safeParse(value);
      return parsed.success ? parsed.data : REFUSED;
    };
  }
  return make(REFUSED, unit.helpers);
}

/** One compilation: the generated functions and the closures they call. */
class Unit {
  readonly functions: string[] = [];
  /** Closures for what is not generated (literals, custom checks, defaults). */
  readonly helpers: Read[] = [];
  /** The function generated for each schema met so far. */
  private readonly done = new Map<z.ZodType, string>();

  private helper(read: Read): string {
    this.helpers.push(read);
    return `h${this.helpers.length - 1}`;
  }

  /** The name of a function that reads a value of this schema. */
  reader(schema: z.ZodType, where: string): string {
    let name = this.done.get(schema);
    if (name === undefined) {
      name = this.build(schema, where);
      this.done.set(schema, name);
    }
    return name;
  }

  private build(schema: z.ZodType, where: string): string {
    const { def } = modelled(schema, where);
    const check = primitiveCheck(def.type, 'v');
    if (check !== undefined) return this.generate(`if (${check}) return R;\nreturn v;`);
    switch (def.type) {
      case 'literal': {
        const values = new Set(def.values);
        return this.helper((v) => (values.has(v) ? v : REFUSED));
      }
      case 'custom': {
        const fn = def.fn as (value: unknown) => unknown;
        return this.helper((v) => (fn(v) ? v : REFUSED));
      }
      case 'optional':
        // zod's optional leaves an undefined value alone unless its inner schema substitutes one.
        return this.generate(`if (v === undefined) return undefined;\nlet r = v;\n${this.checkInPlace(plainInner(def, where), where)}\nreturn r;`);
      case 'default': {
        // zod's getter makes a fresh default each time it is read.
        const fresh = this.helper(() => def.defaultValue);
        return this.generate(`if (v === undefined) return ${fresh}();\nlet r = v;\n${this.checkInPlace(plainInner(def, where), where)}\nreturn r === undefined ? ${fresh}() : r;`);
      }
      case 'union': {
        // zod answers with the first option that succeeds.
        const options = (def.options ?? []).map((o, i) => this.reader(o, `${where}|${i}`));
        return this.generate(`let r;\n${options.map((o) => `if ((r = ${o}(v)) !== R) return r;`).join('\n')}\nreturn R;`);
      }
      case 'array':
        // As zod: the length is read at each turn, and the output is a new array.
        return this.generate(`if (!Array.isArray(v)) return R;\nconst o = [];\nfor (let i = 0; i < v.length; i++) {\nlet r = v[i];\n${this.checkInPlace(need(def.element, where), `${where}[]`)}\no[i] = r;\n}\nreturn o;`);
      default:
        return this.object(def, where);
    }
  }

  /** Statements that replace `r` by the value read from it, or return R. */
  private checkInPlace(schema: z.ZodType, where: string): string {
    const { def } = modelled(schema, where);
    const check = primitiveCheck(def.type, 'r');
    if (check !== undefined) return `if (${check}) return R;`;
    return `r = ${this.reader(schema, where)}(r);\nif (r === R) return R;`;
  }

  private object(def: Def, where: string): string {
    const shape = def.shape ?? {};
    if (Object.getOwnPropertySymbols(shape).length > 0) throw new Error(`compileReader: ${where} has symbol keys, which the compiled reader does not model`);
    const fields = Object.entries(shape).map(([key, schema]) => {
      const at = `${where}.${key}`;
      if (key === '__proto__') throw new Error(`compileReader: ${at}: a field named __proto__ is not modelled`);
      const k = JSON.stringify(key);
      const { def: field, optin, optout } = modelled(schema, at);
      // Absence, as zod's handlePropertyResult reads a field's optin/optout: an absent optional
      // field stays absent, an absent defaulted one gets its default, an absent required one is
      // refused (whatever its schema makes of undefined). A present field is kept, even undefined.
      if (optin === 'optional' && optout === 'optional' && field.type === 'optional') {
        return `if (${k} in v) {\nlet r = v[${k}];\nif (r !== undefined) {\n${this.checkInPlace(plainInner(field, at), at)}\n}\no[${k}] = r;\n}`;
      }
      if (optin === 'defaulted' && optout === undefined && field.type === 'default') return `{\nlet r = v[${k}];\n${this.checkInPlace(schema, at)}\no[${k}] = r;\n}`;
      if (optin === undefined && optout === undefined) return `if (!(${k} in v)) return R;\n{\nlet r = v[${k}];\n${this.checkInPlace(schema, at)}\no[${k}] = r;\n}`;
      throw new Error(`compileReader: ${at} is a ${field.type} field that is ${optin ?? 'required'} in and ${optout ?? 'required'} out, which the compiled reader does not model`);
    });
    // As zod: any non-null object that is not an array; unknown keys are left out.
    return this.generate(`if (typeof v !== "object" || v === null || Array.isArray(v)) return R;\nconst o = {};\n${fields.join('\n')}\nreturn o;`);
  }

  private generate(body: string): string {
    const name = `g${this.functions.length}`;
    this.functions.push(`function ${name}(v) {\n${body}\n}`);
    return name;
  }
}

/** The condition under which a primitive schema refuses `x`, or undefined for other schemas. */
function primitiveCheck(type: string, x: string): string | undefined {
  switch (type) {
    case 'string':
      return `typeof ${x} !== "string"`;
    // As zod: NaN and the infinities are refused (JSON.parse never makes them).
    case 'number':
      return `typeof ${x} !== "number" || !Number.isFinite(${x})`;
    case 'boolean':
      return `typeof ${x} !== "boolean"`;
    default:
      return undefined;
  }
}

/**
 * The inner schema of an optional or a default, when absence does not pass through it (an
 * optional of a default fills the default in, which the generated code does not model).
 */
function plainInner(def: Def, where: string): z.ZodType {
  const inner = need(def.innerType, where);
  const { optin, optout } = internalsOf(inner);
  if (optin !== undefined || optout !== undefined) throw new Error(`compileReader: ${where} is a ${def.type} of a schema that is itself optional or defaulted, which the compiled reader does not model`);
  return inner;
}

function need(schema: z.ZodType | undefined, where: string): z.ZodType {
  if (!schema) throw new Error(`compileReader: ${where} has no inner schema`);
  return schema;
}
