import { describe, expect, it } from 'vitest';
import { boundMessage, MAX_MESSAGE_LENGTH } from '$shared/bounded-message';

describe('boundMessage', () => {
  it('keeps a short message as it is', () => {
    expect(boundMessage('file not found')).toBe('file not found');
    expect(boundMessage('x'.repeat(MAX_MESSAGE_LENGTH))).toHaveLength(MAX_MESSAGE_LENGTH);
  });

  it('cuts a long one to the bound with an ellipsis', () => {
    expect(boundMessage('abcdefgh', 5)).toBe('abcd…');
    expect(boundMessage('y'.repeat(10 ** 6))).toBe(`${'y'.repeat(MAX_MESSAGE_LENGTH - 1)}…`);
  });

  it('never leaves half of a surrogate pair before the ellipsis', () => {
    expect(boundMessage('abc😀def', 5)).toBe('abc…');
    expect(boundMessage('ab😀def', 5)).toBe('ab😀…');
  });
});
