// One place renders a value seen in an object, so a secret never reaches a message.
const SECRET_KEY = /PASSWORD|PASSWD|TOKEN|SECRET|KEY|CREDENTIAL/i;
const MAX_SHOWN = 80;
const URL_SCANNED = 65_536;

export const looksSecret = (key: string): boolean => SECRET_KEY.test(key);

/**
 * JSON-quoted value, masked when the key looks secret (or `secret` says the value carries one:
 * `$(DB_PASSWORD)` expanded into it, or read from a ConfigMap key `db-password`), shortened when long.
 */
export function showValue(key: string, value: string, secret = looksSecret(key)): string {
  if (secret) return value === '' ? '""' : '"<masked>"';
  // Credentials in a URL are masked whatever the key: `postgres://app:<masked>@db`, a token used
  // as the user name (`https://<masked>@host`), and secret-looking query parameters. These
  // are linear; they read up to URL_SCANNED characters, so a long token is still found.
  let safe = value
    .slice(0, URL_SCANNED)
    .replace(/(\/\/[^/@:\s]*):[^/@\s]*@/g, '$1:<masked>@')
    .replace(/\/\/[^/@:\s]{16,}@/g, '//<masked>@');
  safe = maskQueryParameters(safe);
  let masked = false;
  // Past URL_SCANNED an `@` is not seen: shown text with a `//` ends there.
  const slashes = value.length > URL_SCANNED ? safe.indexOf('//') : -1;
  if (slashes !== -1 && slashes < MAX_SHOWN) {
    safe = `${safe.slice(0, slashes + 2)}<masked>`;
    masked = true;
  }
  // A document in the value (JSON, YAML, key=value, flags): nothing is shown after the first
  // secret-looking field name (its value may be quoted, multi-word or on the next lines). Only a
  // field that starts in the shown part matters, so only the start is searched (the pattern is
  // quadratic on a long run of word characters).
  const field = SECRET_FIELD.exec(safe.slice(0, MAX_SHOWN * 2));
  if (field) {
    const end = field.index + field[0].length;
    safe = `${safe.slice(0, end)}${safe[end - 1] === ':' ? ' ' : ''}<masked>`;
    masked = true;
  }
  // Cut by code points, so an emoji is never cut in half (a lone surrogate is not valid UTF-8).
  const points = [...safe];
  if (points.length > MAX_SHOWN) return JSON.stringify(`${points.slice(0, MAX_SHOWN).join('')}…`);
  return JSON.stringify(!masked && value.length > URL_SCANNED ? `${safe}…` : safe);
}

const SECRET_PARAMETER = /PASSWORD|PASSWD|TOKEN|SECRET|KEY|CREDENTIAL|SIG/i;
const PARAMETER_END = /[&#\s]/;

/**
 * `?access_token=<masked>&sig=<masked>`: the value of every parameter whose name looks secret. The
 * name runs from the first `?` or `&` before the `=` (it may hold more `?`), and stops at `=`, `&`,
 * `#` and white space; the value runs to the next `&`, `#` or white space. This is what the regex
 * `([?&][^=&#\s]*(?:PASSWORD|…)[^=&#\s]*=)[^&#\s]*` replaced, in one pass: that regex retried
 * from every `?` and every keyword, and a 20 KB value of `?KEY` repeated took minutes.
 */
function maskQueryParameters(s: string): string {
  let out = '';
  let copied = 0;
  /** Where the name of the parameter being read starts (its `?` or `&`); -1 outside one. */
  let start = -1;
  for (let i = 0; i < s.length; i++) {
    const c = s[i] as string;
    if (c === '&') start = i;
    else if (c === '?') {
      if (start === -1) start = i;
    } else if (c === '#' || PARAMETER_END.test(c)) start = -1;
    else if (c === '=') {
      if (start !== -1 && SECRET_PARAMETER.test(s.slice(start + 1, i))) {
        let end = i + 1;
        while (end < s.length && !PARAMETER_END.test(s[end] as string)) end++;
        out += `${s.slice(copied, i + 1)}<masked>`;
        copied = end;
        i = end - 1;
      }
      start = -1;
    }
  }
  return copied === 0 ? s : out + s.slice(copied);
}

/** `password:`, `"apiToken" :`, `client_secret=`, `'db.password':` and the like (not a query parameter masked above). */
const SECRET_FIELD = /(?:^|[^\w.-])['"]?[\w.-]*(?:PASSWORD|PASSWD|TOKEN|SECRET|KEY|CREDENTIAL)[\w.-]*['"]?\s*[:=](?!<masked>)/i;
