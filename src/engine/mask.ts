// One place renders a value seen in an object, so a secret never reaches a message.
const SECRET_KEY = /PASSWORD|PASSWD|TOKEN|SECRET|KEY|CREDENTIAL/i;
const MAX_SHOWN = 80;

export const looksSecret = (key: string): boolean => SECRET_KEY.test(key);

/** JSON-quoted value, masked when the key looks secret, shortened when long. */
export function showValue(key: string, value: string): string {
  if (looksSecret(key)) return value === '' ? '""' : '"<masked>"';
  // Credentials in a URL are masked whatever the key: `postgres://app:<masked>@db`, a token used
  // as the user name (`https://<masked>@host`), and secret-looking query parameters.
  const safe = value
    .replace(/(\/\/[^/@:\s]*):[^/@\s]*@/g, '$1:<masked>@')
    .replace(/\/\/[^/@:\s]{16,}@/g, '//<masked>@')
    .replace(/([?&][^=&#\s]*(?:PASSWORD|PASSWD|TOKEN|SECRET|KEY|CREDENTIAL|SIG)[^=&#\s]*=)[^&#\s]*/gi, '$1<masked>');
  const shown = safe.length > MAX_SHOWN ? `${safe.slice(0, MAX_SHOWN)}…` : safe;
  return JSON.stringify(shown);
}
