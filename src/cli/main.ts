#!/usr/bin/env node
// Entry point of the `rollsafe` command. User mistakes exit 2 with one line; only a bug in
// Rollsafe itself prints a stack trace (and asks for a report).
import { readFileSync } from 'node:fs';
import { runCli } from './program.js';

const color = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;

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
