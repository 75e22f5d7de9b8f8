// Notice when files change, whatever way they are replaced. Kubernetes Secret and ConfigMap
// volumes swap a `..data` symlink, which an inotify watch on the file itself never sees; editors
// and cert-manager rename or rewrite in place. So: watch the directories (prompt), poll as a
// fallback (slow but certain), and act only when the content read through the path changed.
import { createHash } from 'node:crypto';
import { type FSWatcher, readFileSync, statSync, watch } from 'node:fs';
import { dirname } from 'node:path';

export interface WatchOptions {
  /** Files and directories to watch; a directory is watched recursively. */
  readonly paths: readonly string[];
  /** A digest of what matters; onChange runs when it differs from the last one. */
  readonly fingerprint: () => string;
  readonly onChange: () => void;
  /** Poll period, the fallback when no directory event arrives (ms). */
  readonly intervalMs?: number;
  /** Wait after an event, so a pair of files written one after the other is read once (ms). */
  readonly debounceMs?: number;
}

export interface Watcher {
  close(): void;
}

/** sha256 over the paths and contents; an unreadable file counts by its error code. */
export function fingerprintFiles(files: readonly string[]): string {
  const hash = createHash('sha256');
  for (const file of files) {
    hash.update(file).update('\0');
    try {
      hash.update(readFileSync(file));
    } catch (err) {
      hash.update(`error:${(err as NodeJS.ErrnoException).code ?? 'unknown'}`);
    }
    hash.update('\0');
  }
  return hash.digest('hex');
}

const isDirectory = (p: string): boolean => {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
};

export function watchForChanges(options: WatchOptions): Watcher {
  const { intervalMs = 2000, debounceMs = 100 } = options;
  let last = options.fingerprint();
  let pending: NodeJS.Timeout | undefined;
  let closed = false;

  const check = () => {
    pending = undefined;
    if (closed) return;
    const now = options.fingerprint();
    if (now === last) return;
    last = now;
    options.onChange();
  };
  const soon = () => {
    if (closed || pending) return;
    pending = setTimeout(check, debounceMs);
    pending.unref();
  };

  const watchers: FSWatcher[] = [];
  const targets = new Map<string, boolean>();
  for (const p of options.paths) {
    if (isDirectory(p)) targets.set(p, true);
    else if (!targets.has(dirname(p))) targets.set(dirname(p), false);
  }
  for (const [dir, recursive] of targets) {
    try {
      const w = watch(dir, { persistent: false, recursive }, soon);
      w.on('error', () => undefined); // the directory went away: polling still covers it
      watchers.push(w);
    } catch {
      // no such directory yet, or no inotify watches left: polling covers it
    }
  }
  const poll = setInterval(soon, intervalMs);
  poll.unref();

  return {
    close() {
      closed = true;
      clearInterval(poll);
      if (pending) clearTimeout(pending);
      for (const w of watchers) w.close();
    },
  };
}
