// `rollsafe serve` as a real process (bin/rollsafe.js), its JSON log lines parsed as they come.
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { withParentDeathSignal } from '../../helpers/parent-death.js';
import { ROOT } from '../../helpers/spawn-cli.js';

export interface ServeProcess {
  readonly child: ChildProcess;
  readonly logs: Record<string, unknown>[];
  stderr(): string;
  /** Resolves with the first log line that matches, or rejects after ms. */
  waitForLog(match: (line: Record<string, unknown>) => boolean, ms?: number): Promise<Record<string, unknown>>;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function spawnServe(args: string[], env: Record<string, string> = {}): ServeProcess {
  // A worker that dies without stopping it would leave the server holding its port.
  const [command, argv] = withParentDeathSignal(process.execPath, ['bin/rollsafe.js', 'serve', ...args]);
  const child = spawn(command, argv, { cwd: ROOT, env: { ...process.env, NO_COLOR: '1', ROLLSAFE_CLUSTER: 'off', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const logs: Record<string, unknown>[] = [];
  const waiters: { match: (l: Record<string, unknown>) => boolean; resolve: (l: Record<string, unknown>) => void }[] = [];
  let stderr = '';
  let partial = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop() ?? '';
    for (const text of parts) {
      if (!text.trim()) continue;
      const line = JSON.parse(text) as Record<string, unknown>;
      logs.push(line);
      for (const w of [...waiters]) if (w.match(line)) w.resolve(line);
    }
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return {
    child,
    logs,
    stderr: () => stderr,
    exited,
    waitForLog: (match, ms = 20000) =>
      new Promise((resolve, reject) => {
        const found = logs.find(match);
        if (found) return resolve(found);
        const timer = setTimeout(() => reject(new Error(`no matching log line in ${ms} ms; stderr: ${stderr}`)), ms);
        waiters.push({
          match,
          resolve: (l) => {
            clearTimeout(timer);
            resolve(l);
          },
        });
        void exited.then(() => reject(new Error(`exited before the log line; stderr: ${stderr}`)));
      }),
  };
}

/** A port free on 127.0.0.1 right now (serve takes a port number, not 0). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      s.close(() => resolve(port));
    });
  });
}
