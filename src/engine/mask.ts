// One place renders a value seen in an object, so a secret never reaches a message.
const SECRET_KEY = /PASSWORD|PASSWD|TOKEN|SECRET|KEY|CREDENTIAL/i;
const MAX_SHOWN = 80;
const SCANNED = 1000;

export const looksSecret = (key: string): boolean => SECRET_KEY.test(key);

/** JSON-quoted value, masked when the key looks secret, shortened when long. */
export function showValue(key: string, value: string): string {
  if (looksSecret(key)) return value === '' ? '""' : '"<masked>"';
  // Credentials in a URL are masked whatever the key: `postgres://app:<masked>@db`, a token used
  // as the user name (`https://<masked>@host`), and secret-looking query parameters.
  // Only the start is ever shown: masking a bounded prefix keeps these regexes linear in practice
  // on a value of a megabyte (a `"KEYKEY…` run without a closing quote is quadratic in its length).
  const safe = value
    .slice(0, SCANNED)
    .replace(/(\/\/[^/@:\s]*):[^/@\s]*@/g, '$1:<masked>@')
    .replace(/\/\/[^/@:\s]{16,}@/g, '//<masked>@')
    .replace(/([?&][^=&#\s]*(?:PASSWORD|PASSWD|TOKEN|SECRET|KEY|CREDENTIAL|SIG)[^=&#\s]*=)[^&#\s]*/gi, '$1<masked>')
    // A document in the value (JSON, YAML, key=value lines): the values of secret-looking fields.
    .replace(/("[^"\n]*(?:PASSWORD|PASSWD|TOKEN|SECRET|KEY|CREDENTIAL)[^"\n]*"\s*:\s*)"(?:[^"\\]|\\.)*"?/gi, '$1"<masked>"')
    .replace(/(^|[\s{,;])([\w.-]*(?:PASSWORD|PASSWD|TOKEN|SECRET|KEY|CREDENTIAL)[\w.-]*\s*[:=][ \t]*)(?!<masked>|"<masked>")[^\s,;}]+/gim, '$1$2<masked>');
  // Cut by code points, so an emoji is never cut in half (a lone surrogate is not valid UTF-8).
  const points = safe.length > MAX_SHOWN ? [...safe] : undefined;
  const shown = (points && points.length > MAX_SHOWN) || value.length > SCANNED ? `${(points ?? [...safe]).slice(0, MAX_SHOWN).join('')}…` : safe;
  return JSON.stringify(shown);
}
