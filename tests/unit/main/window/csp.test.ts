import { describe, expect, it } from 'vitest';
import { developmentCsp, PRODUCTION_CSP } from '$main/window/csp';

function directives(policy: string): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const part of policy.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) map.set(name, sources);
  }
  return map;
}

describe('PRODUCTION_CSP', () => {
  const policy = directives(PRODUCTION_CSP);

  it('allows no eval, no inline code and no WebAssembly compilation', () => {
    expect(PRODUCTION_CSP).not.toContain('unsafe-eval');
    expect(PRODUCTION_CSP).not.toContain('unsafe-inline');
    expect(PRODUCTION_CSP).not.toContain('wasm-unsafe-eval');
    expect(PRODUCTION_CSP).not.toContain('unsafe-hashes');
  });

  it('limits everything to the bundle itself', () => {
    expect(policy.get('default-src')).toEqual(["'self'"]);
    expect(policy.get('script-src')).toEqual(["'self'"]);
    expect(policy.get('style-src')).toEqual(["'self'"]);
    expect(policy.get('connect-src')).toEqual(["'self'"]);
    expect(policy.get('img-src')).toEqual(["'self'", 'data:', 'blob:']);
  });

  it('shuts plugins, base rewriting, forms and framing', () => {
    expect(policy.get('object-src')).toEqual(["'none'"]);
    expect(policy.get('base-uri')).toEqual(["'none'"]);
    expect(policy.get('form-action')).toEqual(["'none'"]);
    expect(policy.get('frame-ancestors')).toEqual(["'none'"]);
  });

  it('names no remote host and no wildcard', () => {
    expect(PRODUCTION_CSP).not.toMatch(/https?:|wss?:|\*/);
  });
});

describe('developmentCsp', () => {
  const dev = developmentCsp('http://localhost:5173/');
  const policy = directives(dev);

  it('admits the dev server origin and its HMR socket, and nothing else remote', () => {
    expect(policy.get('script-src')).toEqual(["'self'", 'http://localhost:5173']);
    expect(policy.get('connect-src')).toEqual(["'self'", 'http://localhost:5173', 'ws://localhost:5173']);
    expect(dev.match(/(?:https?|wss?):\/\/[^\s;]+/g)?.every((s) => s.includes('localhost:5173'))).toBe(true);
  });

  it('allows inline styles (Vite injects them) but still no eval', () => {
    expect(policy.get('style-src')).toContain("'unsafe-inline'");
    expect(policy.get('script-src')).not.toContain("'unsafe-inline'");
    expect(dev).not.toContain('unsafe-eval');
    expect(policy.get('object-src')).toEqual(["'none'"]);
    expect(policy.get('frame-ancestors')).toEqual(["'none'"]);
  });

  it('uses wss for an https dev server and refuses non-http URLs', () => {
    expect(developmentCsp('https://127.0.0.1:4000')).toContain('wss://127.0.0.1:4000');
    expect(() => developmentCsp('file:///tmp/index.html')).toThrow(/http/);
  });
});
