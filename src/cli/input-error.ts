/** A user mistake in the input (unreadable file, invalid YAML, invalid object): exit 2, no stack trace. */
export class InputError extends Error {
  constructor(
    readonly file: string,
    readonly line: number | undefined,
    detail: string,
  ) {
    super(`${file}${line === undefined ? '' : `:${line}`}: ${detail}`);
    this.name = 'InputError';
  }
}
