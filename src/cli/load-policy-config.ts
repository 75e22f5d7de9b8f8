import { readFileSync } from 'node:fs';
import { LineCounter, type Node, parseDocument } from 'yaml';
import { defaultPolicyConfig, parsePolicyConfig, PolicyConfigError, type PolicyConfig } from '../config/policy-config.js';
import { describeFsError } from '../config/fs-error.js';
import { InputError } from './input-error.js';
import { locate } from './locate.js';

/** Read and validate `--config FILE`; every problem is an InputError naming the file and setting. */
export function loadPolicyConfig(file: string | undefined): PolicyConfig {
  if (file === undefined) return defaultPolicyConfig;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new InputError(file, undefined, `cannot read policy configuration: ${describeFsError(err)}`);
  }
  const lineCounter = new LineCounter();
  // Merge keys, as in manifests (read-documents.ts): options shared by overrides through an anchor.
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, merge: true, logLevel: 'error' });
  const error = doc.errors[0];
  if (error) throw new InputError(file, lineCounter.linePos(error.pos[0]).line, `invalid YAML: ${error.message.split('\n')[0]}`);
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    throw new InputError(file, undefined, `invalid YAML: ${(err as Error).message.split('\n')[0]}`);
  }
  // A file that says nothing is the wrong file, or one caught half-written (an editor that
  // truncates before it writes, a copy in progress): read as the defaults, a reload would drop
  // every action, exclusion and exemption in force. `{}` asks for the defaults on purpose.
  if (raw === null || raw === undefined) {
    throw new InputError(file, undefined, 'no policy configuration in the file (it is empty, or only comments or null); write {} for the built-in defaults');
  }
  try {
    return parsePolicyConfig(raw, file);
  } catch (err) {
    if (err instanceof PolicyConfigError) {
      // Each problem at the line of the setting it names (the file's first line when it is not
      // there), in the order of the file; the first one's line heads the message, for tools that
      // read `file:line:`. One problem: the heading's line is its line.
      const node = (doc.contents as Node | null) ?? undefined;
      const located = err.issues
        .map((i) => ({ text: `${i.path}: ${i.message}`, line: locate({ node, line: 1, lineCounter }, i.path) }))
        .sort((a, b) => a.line - b.line);
      const shown = located.map((p) => (located.length === 1 ? p.text : `line ${p.line}: ${p.text}`));
      throw new InputError(file, located[0]?.line, `invalid policy configuration:\n  ${shown.join('\n  ')}`);
    }
    throw err;
  }
}
