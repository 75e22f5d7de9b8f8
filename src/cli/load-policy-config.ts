import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { defaultPolicyConfig, parsePolicyConfig, PolicyConfigError, type PolicyConfig } from '../config/policy-config.js';
import { InputError } from './input-error.js';

/** Read and validate `--config FILE`; every problem is an InputError naming the file and setting. */
export function loadPolicyConfig(file: string | undefined): PolicyConfig {
  if (file === undefined) return defaultPolicyConfig;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new InputError(file, undefined, `cannot read policy configuration: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  let raw: unknown;
  try {
    raw = parse(text, { prettyErrors: false });
  } catch (err) {
    const linePos = (err as { linePos?: { line: number }[] }).linePos;
    throw new InputError(file, linePos?.[0]?.line, `invalid YAML: ${(err as Error).message.split('\n')[0]}`);
  }
  try {
    return parsePolicyConfig(raw, file);
  } catch (err) {
    if (err instanceof PolicyConfigError) {
      throw new InputError(file, undefined, `invalid policy configuration:\n  ${err.problems.join('\n  ')}`);
    }
    throw err;
  }
}
