/**
 * A file-system failure in words a learner can act on: Node's "ENOTDIR: not a directory, mkdir '…'"
 * names a system call, not a problem. Anything else is returned as it came.
 */
const PLAIN: Record<string, string> = {
  ENOTDIR: 'a file is in the way where the model library folder should be',
  EEXIST: 'a file is in the way where the model library folder should be',
  EACCES: 'MLP Lab may not write to the model library folder',
  EPERM: 'MLP Lab may not write to the model library folder',
  EROFS: 'the model library folder is on a read-only disk',
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
};

export function plainFileError(message: string): string {
  const match = /\b(E[A-Z]+): [^,]*(?:, \w+ '([^']*)')?/.exec(message);
  const plain = match ? PLAIN[match[1]] : undefined;
  if (!plain) return message;
  return match![2] ? `${plain} (${match![2]})` : plain;
}
