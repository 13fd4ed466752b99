import { existsSync } from 'node:fs';
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { EventSink } from '../../src/shared/ipc/contract';
import { createDispatch } from '../../src/main/ipc/dispatch';
import { createHandlers } from '../../src/main/handlers';
import { createServices } from '../../src/main/services/create-services';
import { scriptedDialogs, type ScriptedAnswers } from '../../src/main/services/dialogs';
import { folderTrash } from '../helpers/trash';
import { spawnTrainingWorker } from '../../src/engine/training/spawn-worker';
import { PRODUCTION_CSP } from '../../src/main/window/csp';
import { REPO_ROOT, RESOURCES_DIR } from '../helpers/datasets';
import { bridgeInitScript, encodeForPage } from './bridge-script';

export const RENDERER_DIR = path.join(REPO_ROOT, 'out', 'renderer');
/** The built renderer to serve: a benchmark may set MLP_LAB_RENDERER_DIR to another build, to compare two. */
const rendererDir = (): string => path.resolve(process.env.MLP_LAB_RENDERER_DIR ?? RENDERER_DIR);
export const CHROMIUM = process.env.MLP_LAB_CHROMIUM ?? '/usr/bin/chromium';
export const ARTIFACTS_DIR = path.join(REPO_ROOT, 'test-results');
/** The worker's TypeScript source, run through tsx: the same code electron-vite bundles for the app. */
export const TRAINING_WORKER = path.join(REPO_ROOT, 'src/engine/training/worker.ts');
export const TS_WORKER_LOADER = path.join(REPO_ROOT, 'tests/helpers/ts-worker.mjs');
/**
 * expect.poll's wait for what a worker job or a dataset read decides (a training run starts, logs an
 * epoch, reaches its test score; an import is listed): longer than the project's 15 s default, for a
 * busy 2-core machine.
 */
export const SLOW_POLL = { timeout: 30_000 };
/** For the first batch of a window's first run: the worker loads its backends first (tfjs-node's library is 800 MB). */
export const WORKER_START_POLL = { timeout: 90_000 };

export interface LaunchedApp {
  page: Page;
  /** Page errors matching this are expected by the spec (e.g. a CSP violation it provokes). */
  expectProblem(pattern: RegExp): void;
  /** What the app last put on the clipboard (app:copy-text), which the harness keeps in memory. */
  clipboardText(): string;
  /** How many times the window has invoked a channel: a spec's check that it is not called again and again. */
  invocations(channel: string): number;
  close(): Promise<void>;
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

/** Serves the built renderer on loopback with the production CSP, as app://bundle/ does in the app. */
async function serveRenderer(): Promise<{ server: Server; url: string }> {
  const RENDERER_DIR = rendererDir();
  const server = createServer(async (request, response) => {
    const pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
    const file = path.resolve(RENDERER_DIR, `.${pathname === '/' ? '/index.html' : pathname}`);
    if (!file.startsWith(RENDERER_DIR + path.sep)) return void response.writeHead(403).end();
    try {
      const body = await readFile(file);
      response.writeHead(200, {
        'content-type': MIME[path.extname(file)] ?? 'application/octet-stream',
        'content-security-policy': PRODUCTION_CSP,
      });
      response.end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/index.html` };
}

/**
 * The built renderer (`npm run build`) in headless Debian Chromium, with window.api bridged to the real
 * main-process services and handler table running in this process: no mocks of ML, data or files.
 */
export async function launchApp(opts: { userDataDir?: string; dialogs?: ScriptedAnswers } = {}): Promise<LaunchedApp> {
  if (!existsSync(path.join(rendererDir(), 'index.html'))) {
    throw new Error(`${rendererDir()}/index.html is missing: run \`npm run build\` first`);
  }
  const ownUserData = opts.userDataDir ? null : await mkdtemp(path.join(tmpdir(), 'mlp-lab-e2e-'));
  const userDataDir = opts.userDataDir ?? ownUserData!;
  const { server, url } = await serveRenderer();
  const browser: Browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const page = await browser.newPage({ viewport: { width: 1100, height: 780 } });

  let pageReady = false;
  let clipboard = '';
  const events: EventSink = (event, payload) => {
    if (!pageReady) return;
    page
      .evaluate(([e, p]) => (window as unknown as { __mlpLabEmit(e: string, p: unknown): void }).__mlpLabEmit(e, p), [
        event,
        encodeForPage(payload),
      ] as const)
      .catch(() => undefined);
  };
  const services = createServices({
    resourcesDir: RESOURCES_DIR,
    userDataDir,
    version: 'e2e',
    events,
    resolveModule: createRequire(import.meta.url).resolve,
    spawnWorker: (config) => spawnTrainingWorker(TS_WORKER_LOADER, config, [TRAINING_WORKER]),
    // The test answers the native dialogs in order; one it did not script fails with the dialog's title.
    dialogs: scriptedDialogs(opts.dialogs ?? {}),
    // Deleted models land in <userData>/../<name>-trash rather than the machine's trash.
    trash: folderTrash(`${userDataDir}-trash`),
    clipboard: { writeText: (text) => (clipboard = text) },
  });
  const dispatch = createDispatch(createHandlers(services));
  const invoked = new Map<string, number>();
  await page.exposeBinding('__mlpLabInvoke', async (_source, channel: string, args: unknown[]) => {
    invoked.set(channel, (invoked.get(channel) ?? 0) + 1);
    try {
      return { value: encodeForPage(await dispatch(channel, args)) };
    } catch (error) {
      return { error: (error as Error).message };
    }
  });
  await page.addInitScript(bridgeInitScript());
  const problems: string[] = [];
  const expected: RegExp[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()} for ${response.url()}`);
  });
  page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()}`));
  await page.goto(url);
  pageReady = true;

  return {
    page,
    expectProblem: (pattern) => expected.push(pattern),
    clipboardText: () => clipboard,
    invocations: (channel) => invoked.get(channel) ?? 0,
    async close() {
      await services.training.dispose();
      await browser.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (ownUserData) await rm(ownUserData, { recursive: true, force: true });
      // CSP violations and uncaught errors surface here, so every spec fails on them.
      const unexpected = problems.filter((p) => !expected.some((pattern) => pattern.test(p)));
      if (unexpected.length > 0) throw new Error(`the page reported problems:\n${unexpected.join('\n')}`);
    },
  };
}

/**
 * launchApp, at `viewport` if given, once the window has loaded the active model (the bundled MNIST
 * default): where every spec that uses the app starts.
 */
export async function launchReady(opts: Parameters<typeof launchApp>[0] & { viewport?: { width: number; height: number } } = {}): Promise<LaunchedApp> {
  const { viewport, ...launch } = opts;
  const app = await launchApp(launch);
  if (viewport) await app.page.setViewportSize(viewport);
  await app.page.getByTestId('model-status').filter({ hasText: 'MNIST' }).waitFor();
  return app;
}

/**
 * Drops files on the window as a user dragging them from the file manager would. The page cannot learn
 * a File's path (the preload asks Electron's webUtils); here each file is named after the path it
 * stands for, and the bridge's pathsForFiles answers from those names.
 */
export async function dropFiles(page: Page, paths: readonly string[]): Promise<void> {
  await page.evaluate((dropped) => {
    const transfer = new DataTransfer();
    const known = (window as unknown as { __mlpLabDropped: Map<string, string> }).__mlpLabDropped;
    for (const p of dropped) {
      const name = p.split('/').pop() ?? p;
      known.set(name, p);
      transfer.items.add(new File([], name));
    }
    for (const type of ['dragenter', 'dragover', 'drop']) {
      document.body.dispatchEvent(new DragEvent(type, { dataTransfer: transfer, bubbles: true, cancelable: true }));
    }
  }, [...paths]);
}
