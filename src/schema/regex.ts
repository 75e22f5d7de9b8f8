/** A pattern in a schema is a JavaScript regular expression with the `u` flag. */
export function validRegex(pattern: string): boolean {
  try {
    new RegExp(pattern, 'u');
    return true;
  } catch {
    return false;
  }
}
