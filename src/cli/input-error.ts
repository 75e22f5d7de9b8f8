/** A user mistake in the input (unreadable file, invalid YAML, invalid object): exit 2, no stack trace. */
export class InputError extends Error {
  constructor(
    readonly file: string,
    readonly line: number | undefined,
    /** What is wrong, without the file and line. */
    readonly detail: string,
    /** A command-line option, not a file, is wrong (`file` names the option): no location in reports. */
    readonly option = false,
  ) {
    super(`${file}${line === undefined ? '' : `:${line}`}: ${detail}`);
    this.name = 'InputError';
  }
}

/**
 * Run `read`; an InputError it throws is added to `errors` and `undefined` returned, so one bad
 * file or document is reported without hiding what the others hold.
 */
export function collectInputError<T>(errors: InputError[], read: () => T): T | undefined {
  try {
    return read();
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    errors.push(err);
    return undefined;
  }
}

/**
 * Why stdin held nothing of `what`: most often a render that failed before the pipe, in a shell
 * without pipefail (sh -c, GitLab's default, Argo CD plugins). `also` adds another way out.
 */
export const emptyStdin = (what: string, also?: string): string =>
  `no ${what} on stdin: the command before the pipe printed none (if it failed, run the pipeline with set -o pipefail so its failure fails the job${also === undefined ? '' : `; ${also}`})`;
