/**
 * The one thing downloads need from the network: a WHATWG fetch. The app passes Electron's
 * `net.fetch` (it follows the system proxy); tests and the CLI pass Node's global fetch. Services
 * never import Electron, so this is the seam.
 */
export type Fetcher = (url: string, init: { headers: Record<string, string>; signal: AbortSignal }) => Promise<Response>;

export const nodeFetch: Fetcher = (url, init) => fetch(url, { ...init, redirect: 'follow' });

/**
 * `MLP_LAB_DATASET_MIRRORS=url1,url2` replaces every catalog mirror list (a local copy, a company
 * cache, a loopback server in tests). Only http(s) URLs are kept; each ends in a slash so file names
 * append cleanly.
 */
export function mirrorsFromEnv(value: string | undefined): string[] | null {
  if (value === undefined || value.trim() === '') return null;
  const urls = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .slice(0, 16)
    .map((s) => {
      let url: URL;
      try {
        url = new URL(s);
      } catch {
        throw new Error(`MLP_LAB_DATASET_MIRRORS: "${s.slice(0, 200)}" is not a URL`);
      }
      if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        throw new Error(`MLP_LAB_DATASET_MIRRORS: "${s.slice(0, 200)}" is not an http or https URL`);
      }
      return url.href.endsWith('/') ? url.href : `${url.href}/`;
    });
  return urls.length > 0 ? urls : null;
}
