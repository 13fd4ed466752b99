import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CatalogId } from '$shared/datasets/catalog';
import type { DownloadProgress } from '$shared/datasets/download';
import { loadImageSet } from '$engine/data/load-dataset';
import { DatasetDownloadService } from '$main/services/dataset-download-service';
import type { MinSpeed } from '$main/services/download/download-file';
import { mirrorsFromEnv, nodeFetch } from '$main/services/download/fetcher';
import { smallDataset, startMirror, type Fault, type MirrorServer } from '$tests/helpers/dataset-mirror';

const ID: CatalogId = 'fashion-mnist';
const { files, catalog } = smallDataset(ID);
const NAMES = [...files.keys()];
let server: MirrorServer;
const dirs: string[] = [];
beforeAll(async () => {
  server = await startMirror(files);
});
afterAll(async () => {
  await server.close();
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

function service(mirrors: string[], stallMs = 2000, minSpeed?: MinSpeed) {
  const events: DownloadProgress[] = [];
  const downloaded: CatalogId[] = [];
  const userDataDir = path.join(tmpdir(), `mlp-lab-dl-${process.pid}-${dirs.length}`);
  dirs.push(userDataDir);
  const downloads = new DatasetDownloadService({
    fetch: nodeFetch,
    userDataDir,
    events: (event, payload) => {
      expect(event).toBe('dataset:download-progress');
      events.push(payload as DownloadProgress);
    },
    mirrors: () => mirrors,
    catalog,
    stallMs,
    minSpeed,
    onDownloaded: (id) => downloaded.push(id),
  });
  return { downloads, events, downloaded, dir: downloads.dir(ID) };
}

async function expectAllFilesServed(dir: string): Promise<void> {
  for (const name of NAMES) {
    expect(Buffer.compare(await readFile(path.join(dir, name)), files.get(name)!)).toBe(0);
    expect(existsSync(path.join(dir, `${name}.part`))).toBe(false);
  }
  const set = await loadImageSet(path.join(dir, NAMES[0]), path.join(dir, NAMES[1]), { numClasses: 10 });
  expect(set.count).toBe(40);
}

const via = (...faults: Fault[]) => faults.map((f) => server.url(f));

describe('dataset downloads from a loopback mirror', () => {
  it('downloads every file, verified, with progress in bytes to the total', async () => {
    const { downloads, events, downloaded, dir } = service(via('good'));
    const result = await downloads.download(ID);
    expect(result.state).toBe('done');
    expect(result.failures).toEqual([]);
    expect(result.received).toBe(result.total);
    expect(result.files.every((f) => f.state === 'done')).toBe(true);
    expect(events.at(-1)?.state).toBe('done');
    expect(events.length).toBeGreaterThan(1);
    expect(downloaded).toEqual([ID]);
    await expectAllFilesServed(dir);
  });

  it.each([
    ['a dead first mirror', 'dead', /^connection refused$/],
    ['a 503', 'status503', /^HTTP 503 Service Unavailable$/],
    ['an HTML page', 'html', /^served an HTML page instead of the gzip file$/],
    ['the wrong hash', 'wrong', /^the file has the wrong SHA-256/],
    ['a truncated body', 'truncate', /^the connection was cut after \d+ bytes$|^the body ended early/],
  ] as const)('falls back past %s, naming the mirror and the reason', async (_, fault, reason) => {
    const first = fault === 'dead' ? server.deadUrl : server.url(fault);
    const { downloads, dir } = service([first, server.url('good')]);
    const result = await downloads.download(ID);
    expect(result.state).toBe('done');
    expect(result.failures.length).toBe(NAMES.length);
    for (const failure of result.failures) {
      expect(failure.mirror).toBe(first);
      expect(failure.reason).toMatch(reason);
    }
    await expectAllFilesServed(dir);
  });

  it('resumes a truncated file on the next mirror with an HTTP Range request', async () => {
    const { downloads, dir } = service(via('truncate', 'good'));
    server.ranges.length = 0;
    expect((await downloads.download(ID)).state).toBe('done');
    const resumed = server.ranges.filter((r) => r.fault === 'good');
    expect(resumed.length).toBe(NAMES.length);
    for (const r of resumed) {
      const half = Math.floor(files.get(r.name)!.length / 2);
      expect(r.range).toMatch(/^bytes=\d+-$/);
      const from = Number(/\d+/.exec(r.range!)![0]);
      expect(from).toBeGreaterThan(0);
      expect(from).toBeLessThanOrEqual(half);
    }
    await expectAllFilesServed(dir);
  });

  it('starts over when a server answers a Range request with 200', async () => {
    const { downloads, dir } = service(via('norange'));
    await mkdir(dir, { recursive: true });
    const name = NAMES[2];
    await writeFile(path.join(dir, `${name}.part`), files.get(name)!.subarray(0, 100).map((b) => b ^ 0x55));
    server.ranges.length = 0;
    expect((await downloads.download(ID)).state).toBe('done');
    expect(server.ranges.find((r) => r.name === name)?.range).toBe('bytes=100-');
    await expectAllFilesServed(dir);
  });

  it('gives up on a stalled mirror and says so', async () => {
    // The stall limit applies to the good mirror too, and a busy CI machine can pause it for a few
    // hundred milliseconds; the stalled mirror sends nothing at all.
    const { downloads, dir } = service(via('stall', 'good'), 2000);
    const result = await downloads.download(ID);
    expect(result.state).toBe('done');
    expect(result.failures[0].reason).toBe('stalled: no data for 2 s');
    await expectAllFilesServed(dir);
  });

  it('cancels a slow trickle at once, keeps the partial file, and resumes it next time', async () => {
    const slow = service(via('trickle'));
    const running = slow.downloads.download(ID);
    // The labels go first and are tiny; wait until the trickle is inside the images.
    await waitFor(() => (slow.events.at(-1)?.received ?? 0) > 400);
    slow.downloads.cancel(ID);
    const cancelled = await running;
    expect(cancelled.state).toBe('cancelled');
    expect(cancelled.message).toMatch(/^Cancelled/);
    const partial = cancelled.files.find((f) => f.state === 'waiting' && f.received > 0);
    expect(partial).toBeDefined();
    const first = partial!.name;
    expect(existsSync(path.join(slow.dir, `${first}.part`))).toBe(true);
    expect(existsSync(path.join(slow.dir, first))).toBe(false);

    server.ranges.length = 0;
    const again = new DatasetDownloadService({
      fetch: nodeFetch,
      userDataDir: path.dirname(path.dirname(slow.dir)),
      events: () => {},
      mirrors: () => via('good'),
      catalog,
    });
    expect((await again.download(ID)).state).toBe('done');
    expect(server.ranges.find((r) => r.name === first)?.range).toMatch(/^bytes=[1-9]\d*-$/);
    await expectAllFilesServed(slow.dir);
  });

  it('says there is no connection when no mirror can be reached', async () => {
    const { downloads } = service([server.deadUrl]);
    const result = await downloads.download(ID);
    expect(result.state).toBe('failed');
    expect(result.message).toBe(
      'No connection: Fashion-MNIST could not be downloaded because none of its download sites answered. Check that this computer is online and try again, or, if you have its files, add them with Data → Import → IDX.',
    );
    expect(result.files[0].state).toBe('failed');
  });

  it('gives the real reason for a mirror that answered: a refused redirect, a redirect loop, a body cut short', async () => {
    for (const [fault, reason] of [
      ['redirect-file', /^redirected to an address that is not http or https, which is refused$/],
      ['redirect-ftp', /^redirected to an address that is not http or https, which is refused$/],
      ['redirect-data', /^redirected to an address that is not http or https, which is refused$/],
      ['redirect-loop', /^redirected too many times \(a redirect loop\)$/],
      ['truncate', /^the connection was cut after \d+ bytes$/],
    ] as const) {
      const { downloads } = service(via(fault));
      const result = await downloads.download(ID);
      expect(result.state).toBe('failed');
      expect(result.failures[0].reason).toMatch(reason);
      expect(result.message).not.toMatch(/No connection/);
      expect(result.message).toContain(result.failures[0].reason);
    }
  });

  it('ends a trickle slower than the minimum speed over a window, keeping its bytes for the next mirror', async () => {
    // The speed is measured on a clock that moves 250 ms a chunk: the trickle's 32-byte chunks make
    // 128 bytes a second on it, under the 1 KiB a second asked for, whatever the machine's pace.
    let t = 0;
    const { downloads, dir } = service(via('trickle', 'good'), 10_000, { bytesPerSecond: 1024, windowMs: 2000, now: () => (t += 250) });
    server.ranges.length = 0;
    const result = await downloads.download(ID);
    expect(result.state).toBe('done');
    expect(result.failures[0]).toMatchObject({ reason: expect.stringMatching(/^too slow: \d+ bytes in 2 s, below the 1024 bytes a second/) });
    expect(server.ranges.find((r) => r.fault === 'good')?.range).toMatch(/^bytes=[1-9]\d*-$/);
    await expectAllFilesServed(dir);
  });

  it('fetches again a corrupt file already in place, and keeps a good one', async () => {
    const { downloads, dir } = service(via('good'));
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, NAMES[0]), new TextEncoder().encode('<html>cached error page</html>'));
    await writeFile(path.join(dir, NAMES[1]), files.get(NAMES[1])!);
    server.ranges.length = 0;
    expect((await downloads.download(ID)).state).toBe('done');
    const asked = server.ranges.map((r) => r.name);
    expect(asked).toContain(NAMES[0]);
    expect(asked).not.toContain(NAMES[1]);
    await expectAllFilesServed(dir);
  });

  it('refuses to download a bundled dataset', async () => {
    const { downloads } = service(via('good'));
    await expect(downloads.download('mnist')).rejects.toThrow(/MNIST comes with the app/);
  });
});

describe('MLP_LAB_DATASET_MIRRORS', () => {
  it('is a comma-separated list of http(s) base URLs, each ending in a slash', () => {
    expect(mirrorsFromEnv(undefined)).toBeNull();
    expect(mirrorsFromEnv('  ')).toBeNull();
    expect(mirrorsFromEnv('http://127.0.0.1:9/a, https://example.org/b/')).toEqual([
      'http://127.0.0.1:9/a/',
      'https://example.org/b/',
    ]);
    expect(() => mirrorsFromEnv('file:///etc/')).toThrow(/"file:\/\/\/etc\/" is not an http or https URL/);
    expect(() => mirrorsFromEnv('nonsense')).toThrow(/"nonsense" is not a URL/);
  });
});

async function waitFor(condition: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
