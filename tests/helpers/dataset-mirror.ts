import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync, gzipSync } from 'node:zlib';
import { DATASETS, type DatasetFile, type CatalogId, type DatasetInfo, type FileRole } from '../../src/shared/datasets/catalog';

/**
 * A loopback HTTP server (127.0.0.1 only) that serves a dataset's files under /<fault>/<name>, each
 * first path segment choosing how it misbehaves, and records the Range headers it was sent.
 */

export type Fault =
  | 'good'
  | 'status503'
  | 'html'
  | 'truncate'
  | 'wrong'
  | 'trickle'
  | 'stall'
  | 'norange'
  | 'redirect-file'
  | 'redirect-ftp'
  | 'redirect-data'
  | 'redirect-loop';

export interface MirrorServer {
  url(fault: Fault): string;
  /** A URL on which nothing listens. */
  deadUrl: string;
  ranges: { fault: string; name: string; range: string | null }[];
  close(): Promise<void>;
}

export function idxBytes(dims: number[], fill: (i: number) => number): Uint8Array {
  const header = 4 + 4 * dims.length;
  const length = dims.reduce((a, b) => a * b, 1);
  const out = new Uint8Array(header + length);
  out[2] = 0x08;
  out[3] = dims.length;
  dims.forEach((d, i) => new DataView(out.buffer).setUint32(4 + 4 * i, d, false));
  for (let i = 0; i < length; i++) out[header + i] = fill(i);
  return out;
}

/** Small valid files for `id` (noisy images, so gzip cannot shrink them to nothing) and a catalog describing them. */
export function smallDataset(id: CatalogId, train = 40, test = 20): { files: Map<string, Uint8Array>; catalog: Record<CatalogId, DatasetInfo> } {
  const info = DATASETS[id];
  let seed = 7;
  const noise = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) & 0xff;
  const raws: Record<FileRole, Uint8Array> = {
    trainImages: idxBytes([train, 28, 28], noise),
    trainLabels: idxBytes([train], (i) => i % 10),
    testImages: idxBytes([test, 28, 28], noise),
    testLabels: idxBytes([test], (i) => (i * 3) % 10),
  };
  const files = new Map<string, Uint8Array>();
  const entries = {} as Record<FileRole, DatasetFile>;
  for (const role of Object.keys(raws) as FileRole[]) {
    const gz = gzipSync(raws[role]);
    const name = info.files[role].name;
    files.set(name, gz);
    entries[role] = { name, archiveBytes: gz.length, archiveSha256: sha(gz), decompressedSha256: sha(raws[role]) };
  }
  const catalog = { ...DATASETS, [id]: { ...info, files: entries, counts: { train, test } } };
  return { files, catalog };
}

export const sha = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

export async function startMirror(files: Map<string, Uint8Array>): Promise<MirrorServer> {
  const ranges: MirrorServer['ranges'] = [];
  const sockets = new Set<import('node:net').Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const [, fault = '', name = ''] = (req.url ?? '').split('/');
    ranges.push({ fault, name, range: req.headers.range ?? null });
    const body = files.get(name);
    if (!body) return void res.writeHead(404).end('not found');
    serve(fault as Fault, body, req, res, timers);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: (fault) => `http://127.0.0.1:${port}/${fault}/`,
    // A privileged port nothing listens on, outside the ephemeral range every test server is given,
    // and not one fetch refuses to dial (as it does port 1). A port freed after listening on it could
    // be handed to a later server in the same run, which would answer 404 instead of refusing.
    deadUrl: 'http://127.0.0.1:1023/',
    ranges,
    close: async () => {
      for (const timer of timers) clearInterval(timer);
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function serve(fault: Fault, body: Uint8Array, req: IncomingMessage, res: ServerResponse, timers: Set<NodeJS.Timeout>): void {
  const gzipHeaders = { 'Content-Type': 'application/gzip' };
  switch (fault) {
    case 'status503':
      return void res.writeHead(503, 'Service Unavailable').end('busy');
    case 'html':
      return void res.writeHead(200, { 'Content-Type': 'text/html' }).end('<html><body>Moved</body></html>');
    case 'wrong': {
      // A valid archive of other data, as a cache serving the wrong file does.
      const raw = Uint8Array.from(gunzipSync(body));
      raw[raw.length - 1] ^= 0xff;
      const other = gzipSync(raw);
      return void res.writeHead(200, { ...gzipHeaders, 'Content-Length': other.length }).end(other);
    }
    case 'truncate': {
      res.writeHead(200, { ...gzipHeaders, 'Content-Length': body.length });
      res.write(body.subarray(0, Math.floor(body.length / 2)));
      // Cut the connection mid-body, as a dropped link does.
      return void setTimeout(() => res.socket?.destroy(), 20);
    }
    case 'trickle':
    case 'stall': {
      res.writeHead(200, { ...gzipHeaders, 'Content-Length': body.length });
      let sent = 0;
      const timer = setInterval(() => {
        if (fault === 'stall' && sent >= 64) return; // then silence, with the connection open
        if (sent >= body.length) return void (clearInterval(timer), res.end());
        res.write(body.subarray(sent, sent + 32));
        sent += 32;
      }, 20);
      timers.add(timer);
      res.on('close', () => clearInterval(timer));
      return;
    }
    // Redirects a mirror must not follow: out of http(s), or round and round.
    case 'redirect-file':
      return void res.writeHead(302, { Location: 'file:///etc/passwd' }).end();
    case 'redirect-ftp':
      return void res.writeHead(302, { Location: 'ftp://127.0.0.1/x.gz' }).end();
    case 'redirect-data':
      return void res.writeHead(302, { Location: 'data:application/gzip;base64,H4sI' }).end();
    case 'redirect-loop':
      return void res.writeHead(302, { Location: req.url ?? '/' }).end();
    case 'norange':
      return void res.writeHead(200, { ...gzipHeaders, 'Content-Length': body.length }).end(body);
    case 'good': {
      const match = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
      if (match) {
        const from = Number(match[1]);
        if (from >= body.length) return void res.writeHead(416).end();
        return void res
          .writeHead(206, { ...gzipHeaders, 'Content-Range': `bytes ${from}-${body.length - 1}/${body.length}`, 'Content-Length': body.length - from })
          .end(body.subarray(from));
      }
      return void res.writeHead(200, { ...gzipHeaders, 'Content-Length': body.length }).end(body);
    }
    default:
      return void res.writeHead(404).end();
  }
}
