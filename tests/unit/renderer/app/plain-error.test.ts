import { describe, expect, it } from 'vitest';
import { plainFileError } from '$renderer/app/plain-error';

describe('plainFileError', () => {
  it('says what a system error means, keeping the path', () => {
    expect(plainFileError("ENOTDIR: not a directory, mkdir '/home/me/.config/MLP Lab/models/mine'")).toBe(
      'a file is in the way where the model library folder should be (/home/me/.config/MLP Lab/models/mine)',
    );
    expect(plainFileError('ENOSPC: no space left on device, write')).toBe('the disk is full');
  });

  it('leaves other messages alone', () => {
    expect(plainFileError('The model settings are not usable')).toBe('The model settings are not usable');
    expect(plainFileError('EWHATEVER: odd')).toBe('EWHATEVER: odd');
  });
});
