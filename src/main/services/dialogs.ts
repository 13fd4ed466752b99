/**
 * The native dialogs main asks the user through. Electron's entry answers them with real dialogs
 * (src/main/window/native-dialogs.ts); the e2e harness answers them from the test (launchApp's
 * `dialogs`), so services never import Electron and tests never wait on a window.
 */

export interface FileFilter {
  name: string;
  /** Without the dot: 'zip', 'png'. */
  extensions: string[];
}

export interface Dialogs {
  /** Files or folders to read from (one unless `multiple`); empty when the user cancels. */
  openPaths(request: { title: string; kind: 'file' | 'folder'; multiple?: boolean; filters?: FileFilter[] }): Promise<string[]>;
  /** Where to write; null when the user cancels. */
  savePath(request: { title: string; defaultName: string; filters?: FileFilter[] }): Promise<string | null>;
  /** A yes/no question before something that cannot be undone; false when the user declines. */
  confirm(request: { title: string; message: string; detail?: string; confirmLabel: string }): Promise<boolean>;
}

const unanswered = (title: string): Error => new Error(`no answer was given for the dialog "${title}"`);

/** Dialogs for a process with no one to ask (a test that scripted none): each call says so plainly. */
export const NO_DIALOGS: Dialogs = {
  openPaths: (request) => Promise.reject(unanswered(request.title)),
  savePath: (request) => Promise.reject(unanswered(request.title)),
  confirm: (request) => Promise.reject(unanswered(request.title)),
};

/**
 * What a test answers, call by call: each open takes the next list of paths ([] cancels), each save
 * the next path ('' cancels), each confirm the next yes or no.
 */
export interface ScriptedAnswers {
  open?: string[][];
  save?: string[];
  confirm?: boolean[];
}

/** Dialogs answered from a script; a dialog the script has no answer left for fails, naming it. */
export function scriptedDialogs(answers: ScriptedAnswers): Dialogs {
  const open = [...(answers.open ?? [])];
  const save = [...(answers.save ?? [])];
  const confirm = [...(answers.confirm ?? [])];
  const take = async <T>(queue: T[], title: string): Promise<T> => {
    if (queue.length === 0) throw unanswered(title);
    return queue.shift() as T;
  };
  return {
    openPaths: (request) => take(open, request.title),
    savePath: async (request) => (await take(save, request.title)) || null,
    confirm: (request) => take(confirm, request.title),
  };
}
