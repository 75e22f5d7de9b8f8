// The sentences for what the API server refuses while decoding a manifest (src/kube/structure.ts),
// each saying what the value is, that kubectl apply refuses it, and how to write it. A scalar of
// the wrong type is told exactly as describeWrongType tells it (with the YAML 1.1 reason).
import { renderPath } from '../engine/describe-zod-error.js';
import type { DescribedIssue } from '../engine/describe-zod-error.js';
import { explainTarget, type JsonKind, type StructuralIssue } from '../kube/structure.js';
import type { SourceDocument } from './read-documents.js';
import { isMap } from 'yaml';
import { named, nodeAt, plainText, valueAt, wrongTypeAt, yaml11Reason } from './wrong-type.js';

const REFUSED = 'so kubectl apply refuses it';

const KIND_NAMES: Record<JsonKind, string> = { string: 'a string', number: 'a number', boolean: 'a boolean', list: 'a list', map: 'a map' };

/** `the boolean true`, `a list`: the value as the sentence names it. */
function what(doc: Pick<SourceDocument, 'value'>, path: readonly PropertyKey[], is: JsonKind): string {
  const v = valueAt(doc.value, path);
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? named(v) : KIND_NAMES[is];
}

/** The YAML 1.1 reason for a plain scalar read as a number or boolean, if it needs one. */
function reasonAt(doc: Pick<SourceDocument, 'value' | 'node'>, path: readonly PropertyKey[]): string {
  const source = plainText(nodeAt(doc.node, path).node);
  const v = valueAt(doc.value, path);
  return source !== undefined && (typeof v === 'number' || typeof v === 'boolean') ? yaml11Reason(source, v) : '';
}

/** One issue as `{path, message}`, for the list an input error shows. */
export function describeStructuralIssue(doc: Pick<SourceDocument, 'value' | 'node'>, kind: string, issue: StructuralIssue): DescribedIssue {
  const path = renderPath(issue.path) || '(top level)';
  return { path, message: isSecretValue(kind, issue.path) ? secretMessage(issue) : message(doc, kind, issue) };
}

/** A value of a Secret's data or stringData: never shown, not even in the fix (CI logs keep it). */
const isSecretValue = (kind: string, path: readonly PropertyKey[]) => kind === 'Secret' && (path[0] === 'data' || path[0] === 'stringData') && path.length > 1;

function secretMessage(issue: StructuralIssue): string {
  const hidden = '(the value is not shown: it is a Secret\'s)';
  if (issue.code === 'not-base64') return `is not base64 text, ${REFUSED} (a Secret's data holds base64) ${hidden}; put text in stringData instead, or encode it with base64`;
  if (issue.code === 'wrong-type') return `is ${KIND_NAMES[issue.is]} where Kubernetes wants a string, ${REFUSED} ${hidden}; quote it`;
  return `${REFUSED} ${hidden}`;
}

function message(doc: Pick<SourceDocument, 'value' | 'node'>, kind: string, issue: StructuralIssue): string {
  switch (issue.code) {
    case 'unknown-field': {
      const field = String(issue.path.at(-1));
      const base = `is not a field of ${issue.type}, ${REFUSED} (unknown field "${field}")`;
      if (issue.didYouMean) return `${base}; did you mean ${issue.didYouMean}?`;
      if (issue.belongsAt !== undefined) {
        const places = issue.belongsAt.map((p) => (p === '' ? `the ${kind} itself` : p)).join(' and of ');
        return `${base}; ${field} is a field of ${places}: move it there`;
      }
      return `${base}; \`kubectl explain ${explainTarget(kind, issue.path.slice(0, -1))}\` lists the fields of ${issue.type}`;
    }
    case 'not-whole':
      return `is the number ${written(doc, issue.path, issue.value)} where Kubernetes wants a whole number, ${REFUSED}; write a whole number`;
    case 'out-of-range':
      return `is the number ${written(doc, issue.path, issue.value)}, more than a ${issue.bits}-bit integer holds (${issue.bits === 32 ? '-2147483648 to 2147483647' : 'about ±9.2e18'}), ${REFUSED}`;
    case 'not-base64':
      return `is not base64 text, ${REFUSED} (binaryData holds base64); put text in data instead, or encode it with base64`;
    case 'not-quantity':
      return `is ${JSON.stringify(issue.value)}, which is not a quantity, ${REFUSED}; write a number with at most one suffix: Ki Mi Gi Ti Pi Ei (powers of 1024), m k M G T P E (powers of 1000) or an exponent such as e3${quantityHint(issue.value)}`;
    case 'not-time':
      return `is ${JSON.stringify(issue.value)}, which is not an RFC 3339 time such as 2024-01-01T00:00:00Z, ${REFUSED}; remove it (the API server sets it)`;
    case 'wrong-type':
      return `${wrongType(doc, issue)}${templateAction(doc, issue.path) ? "; it is a Helm template action ({{ … }}), which YAML reads as a map: check the chart's render instead (helm template my-release CHART | rollsafe check -)" : ''}`;
  }
}

/** `{{ .Values.name }}` written unquoted: YAML reads a flow map whose one key is a flow map. */
function templateAction(doc: Pick<SourceDocument, 'node'>, path: readonly PropertyKey[]): boolean {
  const node = nodeAt(doc.node, path).node;
  if (!isMap(node) || !node.flow || node.items.length !== 1) return false;
  const key = node.items[0]?.key;
  return isMap(key) && key.flow === true;
}

function wrongType(doc: Pick<SourceDocument, 'value' | 'node'>, issue: Extract<StructuralIssue, { code: 'wrong-type' }>): string {
  const scalar = issue.is === 'string' || issue.is === 'number' || issue.is === 'boolean';
  const expected = issue.wanted === 'integer' ? 'number' : issue.wanted;
  if (scalar && (expected === 'string' || expected === 'number' || expected === 'boolean')) {
    // the same sentence as for a decode error on these fields, e.g. `quote it: value: "yes"`
    const told = wrongTypeAt(doc, 'Kubernetes', issue.path, expected);
    if (told !== undefined) return told;
  }
  const is = `is ${what(doc, issue.path, issue.is)} where Kubernetes wants`;
  const refused = `${reasonAt(doc, issue.path)}, ${REFUSED}`;
  switch (issue.wanted) {
    case 'quantity':
      return `${is} a quantity${refused}; write a quantity: a number, or a string such as "500m" or "1Gi"`;
    case 'int-or-string':
      return `${is} a number or a name${refused}; write a number such as 8080, or a string such as "http" or "25%"`;
    case 'bytes':
      return `${is} base64 text${refused}`;
    case 'time':
      return `${is} an RFC 3339 time such as "2024-01-01T00:00:00Z"${refused}`;
    case 'list':
      return `${is} a list${refused}; write its items as a list (each on a line starting with "- ")`;
    case 'map':
      return `${is} a map of keys to values${refused}`;
    case 'object':
      return `${is} ${issue.type ? `a ${issue.type}: ` : ''}a map of fields${refused}`;
    default:
      return `${is} ${issue.wanted === 'integer' ? 'a whole number' : `a ${issue.wanted}`}${refused}`;
  }
}

/** `1GB` is 1G or 1Gi, `512mb` 512M or 512Mi: the unit written as people write bytes. */
function quantityHint(value: string): string {
  const bytes = /^\s*([0-9.]+)\s*([kmgtpe])i?b\s*$/i.exec(value);
  if (bytes?.[1] && bytes[2]) {
    const unit = bytes[2].toUpperCase();
    return ` (for ${value.trim()}: ${bytes[1]}${unit === 'K' ? 'k' : unit} or ${bytes[1]}${unit}i)`;
  }
  if (/\s/.test(value.trim())) return ' (without spaces inside)';
  return '';
}

/** A number as the file writes it (`99999999999999999999999`, not 1e+23), when it is a plain scalar. */
function written(doc: Pick<SourceDocument, 'node'>, path: readonly PropertyKey[], value: number): string {
  return plainText(nodeAt(doc.node, path).node) ?? String(value);
}
