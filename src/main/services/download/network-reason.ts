/** Why a fetch threw, as the mirror's failure row says it; the server's own words never reach the user whole. */
export function describeNetworkError(err: unknown): string {
  const cause = (err as { cause?: { code?: unknown; message?: unknown } }).cause;
  const code = typeof cause?.code === 'string' ? cause.code : (err as { code?: unknown }).code;
  // Node's fetch (undici) says so in the cause; Electron's net.fetch in the message (net::ERR_…).
  const said = `${err instanceof Error ? err.message : ''} ${typeof cause?.message === 'string' ? cause.message : ''}`;
  if (/URL scheme must be a HTTP\(S\) scheme|ERR_UNSAFE_REDIRECT|ERR_INVALID_REDIRECT|ERR_DISALLOWED_URL_SCHEME/.test(said)) {
    return 'redirected to an address that is not http or https, which is refused';
  }
  if (/redirect count exceeded|ERR_TOO_MANY_REDIRECTS/.test(said)) return 'redirected too many times (a redirect loop)';
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'host not found (offline?)';
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return 'the connection was cut';
  if (typeof code === 'string') return `network error (${code.slice(0, 40)})`;
  const message = err instanceof Error ? err.message : String(err);
  return `network error (${message.slice(0, 120)})`;
}
