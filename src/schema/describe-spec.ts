// A declared type in words, for the "how to fix" part of a finding: "an integer from 1 to 500".
import type { ItemSpec, KeySpec } from './document.js';

const range = (min: unknown, max: unknown) =>
  min !== undefined && max !== undefined ? ` from ${min} to ${max}` : min !== undefined ? ` of at least ${min}` : max !== undefined ? ` of at most ${max}` : '';

export function describeSpec(spec: KeySpec | ItemSpec): string {
  switch (spec.type) {
    case 'string':
      return `text${spec.pattern ? ` matching ${spec.pattern}` : ''}${range(spec.minLength, spec.maxLength).replace(/(\d+)/g, '$1 characters').replace(' characters to', ' to').replace(/\b1 characters/, '1 character')}`;
    case 'integer':
      return `an integer${range(spec.minimum, spec.maximum)}`;
    case 'number':
      return `a number${range(spec.minimum, spec.maximum)}`;
    case 'boolean':
      return 'true or false';
    case 'duration':
      return `a duration like 5s or 1h30m${range(spec.minimum, spec.maximum)}`;
    case 'quantity':
      return `a quantity like 500m or 1Gi${range(spec.minimum, spec.maximum)}`;
    case 'port':
      return 'a port number from 1 to 65535';
    case 'url':
      return `a URL${spec.schemes ? ` (${spec.schemes.join(' or ')})` : ''}${spec.hosts ? ` on ${spec.hosts.join(', ')}` : ''}`;
    case 'endpoint':
      return `host:port or a URL${spec.hosts ? ` on ${spec.hosts.join(', ')}` : ''}${spec.allowLoopback ? '' : ', not on localhost'}`;
    case 'enum':
      return `one of ${spec.values.join(', ')}`;
    case 'list': {
      const format = { csv: 'comma-separated', lines: 'one per line', json: 'a JSON array', yaml: 'a YAML sequence' }[spec.format];
      return `a list, ${format}${spec.items ? `, each ${describeSpec(spec.items)}` : ''}`;
    }
    case 'json':
      return `a JSON document${spec.schema ? ' matching the schema' : ''}`;
    case 'yaml':
      return `a YAML document${spec.schema ? ' matching the schema' : ''}`;
  }
}
