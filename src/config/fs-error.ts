// File system errors as a person reads them, for every message that names a file Rollsafe could
// not read: manifests and configuration (CLI), certificates (server), kubeconfig (cluster).

const FS_ERRORS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'is a directory, not a file',
  ENOTDIR: 'a part of the path is not a directory',
  ELOOP: 'too many levels of symbolic links',
  EMFILE: 'too many open files',
};

/** A file system error in words, with its code for searching (`no such file or directory (ENOENT)`). */
export function describeFsError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  if (code === undefined) return String(err);
  const words = FS_ERRORS[code];
  return words === undefined ? code : `${words} (${code})`;
}
