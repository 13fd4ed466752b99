import { describe, expect, it } from 'vitest';
import { Latest } from '$renderer/lib/latest';

describe('Latest', () => {
  it('keeps only the newest ticket current', () => {
    const latest = new Latest();
    const first = latest.next();
    expect(first.current).toBe(true);
    const second = latest.next();
    expect([first.current, second.current]).toEqual([false, true]);
    latest.drop();
    expect(second.current).toBe(false);
  });

  it('holds a claimed id until a ticket, another claim or a drop replaces it', () => {
    const latest = new Latest<string>();
    expect(latest.holds('run-1')).toBe(false);
    latest.claim('run-1');
    expect(latest.holds('run-1')).toBe(true);
    latest.claim('run-2');
    expect([latest.holds('run-1'), latest.holds('run-2')]).toEqual([false, true]);
    const ticket = latest.next();
    expect([latest.holds('run-2'), ticket.current]).toEqual([false, true]);
    latest.claim('run-3');
    expect(ticket.current).toBe(false);
    latest.drop();
    expect(latest.holds('run-3')).toBe(false);
  });
});
