import os from 'node:os';
import path from 'node:path';
import { app, clipboard, dialog, Menu, shell, type BrowserWindow } from 'electron';
import { requestedThreads } from '$engine/ml/cpu-cores';
import type { EventSink } from '$shared/ipc/contract';
import type { TrainingStatus } from '$shared/training';
import { menuTemplate } from '../menu/menu-template';
import { shortcutsText } from '../menu/shortcuts-text';
import { FileOpener, type OpenHandlers } from '../open-files';
import type { LessonService } from '../services/lessons/lesson-service';
import { diagnosticsText, type PersonalPaths } from './diagnostics-text';
import { ErrorLog } from './error-log';
import { RECENT_FILE, RecentFiles } from './recent-files';

export interface DesktopOptions {
  userDataDir: string;
  development: boolean;
  window: () => BrowserWindow | null;
}

/**
 * The desktop conventions in one place (issue 28): the application menu and its About and shortcuts
 * boxes, the error log, recent files and the opener of files the system hands the app. Electron glue
 * only: what it decides lives in the pure modules beside it, which the unit tests cover.
 */
export class Desktop {
  readonly log: ErrorLog;
  readonly recent: RecentFiles;
  readonly opener: FileOpener;
  #events: EventSink | null = null;
  #status: (() => TrainingStatus) | null = null;
  #lessons: Pick<LessonService, 'importFile'> | null = null;

  constructor(private readonly options: DesktopOptions) {
    this.log = new ErrorLog(path.join(options.userDataDir, 'logs'));
    this.recent = new RecentFiles(path.join(options.userDataDir, RECENT_FILE), () => this.installMenu(), (error) => this.log.write('recent files', error));
    this.opener = new FileOpener({
      handlers: this.#handlers(),
      report: (message) => this.notify(message),
      opened: (file) => {
        app.addRecentDocument(file);
        void this.recent.add(file);
      },
    });
  }

  /** Once services exist: where menu commands go, what About reads, and who imports a lesson file. */
  connect(events: EventSink, status: () => TrainingStatus, lessons: Pick<LessonService, 'importFile'>): void {
    this.#events = events;
    this.#status = status;
    this.#lessons = lessons;
  }

  #handlers(): OpenHandlers {
    return {
      // The window's Models import reads it, with the same checks and preview as a drop.
      model: async (file) => {
        if (!this.#events || !this.options.window()) throw new Error('the window is not open');
        this.#events('file:open-model', { path: file });
      },
      // Imported as one picked in the drawer; the window opens it, or says why it was refused.
      lesson: async (file) => {
        if (!this.#lessons || !this.options.window()) throw new Error('the window is not open');
        await this.#lessons.importFile(file);
      },
    };
  }

  installMenu(): void {
    const template = menuTemplate(
      { platform: process.platform, development: this.options.development, recent: this.recent.list() },
      {
        command: (command) => this.#events?.('menu:command', { command }),
        openRecent: (file) => void this.opener.open([file]),
        clearRecent: () => {
          app.clearRecentDocuments();
          void this.recent.clear();
        },
        showShortcuts: () => void this.#box('Keyboard shortcuts', shortcutsText(process.platform)),
        showAbout: () => void this.about(),
        showLog: () => void shell.openPath(this.log.dir),
      },
    );
    Menu.setApplicationMenu(Menu.buildFromTemplate(template));
  }

  diagnostics(): string {
    const status = this.#status?.();
    const personal: PersonalPaths = {
      home: os.homedir(),
      userData: this.options.userDataDir,
      appPath: app.getAppPath(),
      temp: os.tmpdir(),
      userName: os.userInfo().username,
    };
    return diagnosticsText(
      {
        version: app.getVersion(),
        versions: process.versions,
        platform: process.platform,
        arch: process.arch,
        osRelease: os.release(),
        backend: status?.backend ?? null,
        backendDetail: status?.backendDetail,
        requestedThreads: requestedThreads(),
        packaged: app.isPackaged,
        logTail: this.log.tail(),
      },
      personal,
    );
  }

  async about(): Promise<void> {
    const text = this.diagnostics();
    const summary = text.split('\n\n')[0];
    const response = await this.#box('About MLP Lab', summary, ['Copy diagnostics', 'Close']);
    if (response === 0) clipboard.writeText(text);
  }

  /** Tells the user something went wrong outside the window's reach (a file not opened, a crash). */
  notify(message: string): void {
    this.log.write('notice', message);
    if (app.isReady()) void this.#box('MLP Lab', message, ['OK'], 'warning');
  }

  async #box(title: string, detail: string, buttons = ['OK'], type: 'info' | 'warning' = 'info'): Promise<number> {
    const options: Electron.MessageBoxOptions = { type, title, message: title, detail, buttons, defaultId: buttons.length - 1, cancelId: buttons.length - 1 };
    const parent = this.options.window();
    const { response } = parent ? await dialog.showMessageBox(parent, options) : await dialog.showMessageBox(options);
    return response;
  }
}
