// Test children get SIGKILL when the jest worker that started them dies, whatever the way (a
// crashed or killed worker; jest does not deliver process 'exit' events to test code, so an exit
// handler would not do): setpriv (util-linux, present wherever flock is) sets the parent-death
// signal, then execs the binary, so the PID is still the binary's and signals reach it directly.
import { existsSync } from 'node:fs';

const SETPRIV = ['/usr/bin/setpriv', '/bin/setpriv'].find((p) => existsSync(p));

/** [command, args] that run `bin args` with the parent-death signal set, where setpriv exists. */
export const withParentDeathSignal = (bin: string, args: string[]): [string, string[]] =>
  SETPRIV ? [SETPRIV, ['--pdeathsig', 'KILL', '--', bin, ...args]] : [bin, args];
