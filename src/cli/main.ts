#!/usr/bin/env node
// Entry point of the `rollsafe` command. User mistakes exit 2 with one line; only a bug in
// Rollsafe itself prints a stack trace (and asks for a report).
import { readFileSync } from 'node:fs';
import { runCli } from './program.js';

const color = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;

// A reader that stops early (`rollsafe check k8s/ | head`) closes the pipe: the rest of the
// output has nowhere to go, which is not a failure of the check. The exit code stays the check's.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code !== 'EPIPE') throw err;
});

runCli(process.argv.slice(2), {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  readStdin: () => readFileSync(0, 'utf8'),
  color,
}).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`rollsafe: internal error (please report it): ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 3;
  },
);
