// `rollsafe explain ID`: everything about one policy, from its own metadata.
import { POLICIES, policyById } from '../policies/index.js';
import { optionsReference } from '../policies/reference.js';
import { InputError } from './input-error.js';

export function explainPolicy(id: string): string {
  const policy = policyById(id);
  if (!policy) {
    throw new InputError('explain', undefined, `unknown policy "${id}"; known policies: ${POLICIES.map((p) => p.id).join(', ')}`);
  }
  const lines = [
    `${policy.id} (${policy.kinds.join(', ')}; default action: ${policy.defaultAction})`,
    '',
    policy.summary,
    '',
    wrap(policy.rationale),
    '',
    `How to fix: ${policy.fix}.`,
  ];
  const options = optionsReference(policy.options);
  if (options.length > 0) {
    lines.push('', 'Options (policy configuration: policies.<id>.options):');
    for (const o of options) lines.push(`  ${o.name}: ${o.description} (${o.type}; default ${JSON.stringify(o.default)})`);
  }
  // The example must change something: `warn` was shown for every policy, a no-op for those that already warn.
  const example = policy.defaultAction === 'deny' ? 'warn' : 'off';
  lines.push('', `Turn it off or change its action in the policy configuration: policies: {${policy.id}: ${example}} (actions: deny, warn, audit, off)`);
  return `${lines.join('\n')}\n`;
}

function wrap(text: string, width = 96): string {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + word.length + 1 > width) {
      out.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) out.push(line);
  return out.join('\n');
}
