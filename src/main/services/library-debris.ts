import { readdir, rename, rm, rmdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { ModelListing } from '../../shared/models';
import { readModelFiles } from '../../engine/ml/model-files';
import { isStale } from './leftovers';

/** A library folder's name as slug() makes it: no dots, so never a temporary folder or a path. */
export const LIBRARY_ID = /^[a-z0-9_-]{1,80}$/;
/** writeModelFiles' folders beside `<id>`: `.tmp-` holds the new model, `.old-` the one it replaces. */
const SAVE_DEBRIS = /^(.+)\.(tmp|old)-[0-9a-f-]{36}$/;

/** The model ids that have a killed save's folders in `names`: such an id may yet be put back. */
export function idsWithLeftovers(names: readonly string[]): Set<string> {
  return new Set(names.flatMap((name) => SAVE_DEBRIS.exec(name)?.[1] ?? []));
}

interface Leftover {
  name: string;
  kind: 'tmp' | 'old';
  mtimeMs: number;
}

const isReadable = (folder: string): Promise<boolean> => readModelFiles(folder).then(() => true, () => false);

/** Runs a change of one model id after any other under way (ModelService.locks); by default at once. */
export type IdLock = <T>(id: string, task: () => Promise<T>) => Promise<T>;
const unlocked: IdLock = (_id, task) => task();

/**
 * What killed saves left in the library folder, by model id. An id is busy, and left alone, while any
 * of its .tmp-/.old- folders is fresh: a save may still be writing it. In practice that is a fresh
 * .tmp-, since a rename keeps a folder's mtime and a .old- so looks as old as the model it holds,
 * even in the instant between a live save's two renames.
 */
export class LibraryDebris {
  private constructor(
    private readonly dir: string,
    private readonly now: number,
    private readonly byId: ReadonlyMap<string, readonly Leftover[]>,
    private readonly busy: ReadonlySet<string>,
    private readonly lock: IdLock,
  ) {}

  /** `lock`: putting a model back or clearing its folders is a change of that model like a save or a rename. */
  static async scan(dir: string, names: readonly string[], now: number, lock: IdLock = unlocked): Promise<LibraryDebris> {
    const byId = new Map<string, Leftover[]>();
    const busy = new Set<string>();
    for (const name of names) {
      const match = SAVE_DEBRIS.exec(name);
      if (!match) continue;
      const info = await stat(path.join(dir, name)).catch(() => null);
      if (info && !info.isDirectory()) continue;
      // Gone since readdir: a live save has just renamed it.
      if (!info || !isStale(info.mtimeMs, now)) busy.add(match[1]);
      const leftovers = byId.get(match[1]) ?? [];
      leftovers.push({ name, kind: match[2] as Leftover['kind'], mtimeMs: info?.mtimeMs ?? now });
      byId.set(match[1], leftovers);
    }
    return new LibraryDebris(dir, now, byId, busy, lock);
  }

  /**
   * A save killed between writeModelFiles' two renames leaves no `<id>` (or, for a new model, only the
   * empty folder claimed for it): the model is then only in its .tmp- or .old-. The first readable of
   * these is renamed back to `<id>`. Returns the folder's names after that.
   */
  async restore(names: readonly string[]): Promise<Set<string>> {
    const present = new Set(names);
    for (const [id, leftovers] of this.byId) {
      if (this.busy.has(id) || !LIBRARY_ID.test(id)) continue;
      await this.lock(id, async () => {
        const slot = path.join(this.dir, id);
        if (present.has(id) && !(await this.isAbandoned(slot))) return;
        // .tmp- first: complete, it is the save that was under way; .old- is the model from before it.
        // Within a kind the newest first, the later model.
        const ordered = [...leftovers].sort((a, b) => (a.kind === b.kind ? b.mtimeMs - a.mtimeMs : a.kind === 'tmp' ? -1 : 1));
        const first = await firstReadable(ordered.map((l) => path.join(this.dir, l.name)));
        if (first === null) return;
        if (present.has(id)) await rmdir(slot).catch(() => undefined);
        // A failed rename stops here, not at an older copy: clear() would then delete the newer one.
        if (await rename(first, slot).then(() => true, () => false)) {
          present.delete(path.basename(first));
          present.add(id);
        }
      });
    }
    return present;
  }

  /**
   * Removes a folder that is not a readable model, once its id is not busy and it is old enough: a
   * .tmp- or .old- whose model is in place, a .tmp- cut short, an empty folder. Anything else may be
   * a model's only copy: kept, and reported if it is a save's. True when removed.
   */
  clear(name: string, readable: ReadonlySet<string>, problems: ModelListing['problems']): Promise<boolean> {
    return this.lock(SAVE_DEBRIS.exec(name)?.[1] ?? name, () => this.clearNow(name, readable, problems));
  }

  private async clearNow(name: string, readable: ReadonlySet<string>, problems: ModelListing['problems']): Promise<boolean> {
    const folder = path.join(this.dir, name);
    const save = SAVE_DEBRIS.exec(name);
    if (this.busy.has(save?.[1] ?? name) || !(await this.isStale(folder))) return false;
    const copy = save ? await isReadable(folder) : false;
    if (save && (readable.has(save[1]) || (save[2] === 'tmp' && !copy))) {
      await rm(folder, { recursive: true, force: true });
      return true;
    }
    // rmdir removes empty folders only: nothing of the user's can go this way.
    const removed = await rmdir(folder).then(
      () => true,
      () => false,
    );
    if (!removed && save) {
      problems.push({
        folder,
        message: copy
          ? `holds a copy of "${save[1]}" left by an interrupted save, and "${save[1]}" is missing or unreadable; kept, as it may be the only good copy`
          : `was left by an interrupted save of "${save[1]}" and is not a readable model; kept, as it may be the only copy`,
      });
    }
    return removed;
  }

  /** True while a save of `id` may still be writing: its folder is then not reported as unreadable. */
  isBusy(id: string): boolean {
    return this.busy.has(id);
  }

  /** A folder untouched for STALE_MS (leftovers.ts, the rule for every store): no save is still writing it. */
  private async isStale(folder: string): Promise<boolean> {
    const info = await stat(folder).catch(() => null);
    return info !== null && info.isDirectory() && isStale(info.mtimeMs, this.now);
  }

  /** An empty folder claimed for a new model (ModelService.claimFolder) long ago, that never got it. */
  private async isAbandoned(folder: string): Promise<boolean> {
    if (!(await this.isStale(folder))) return false;
    const entries = await readdir(folder).catch(() => null);
    return entries !== null && entries.length === 0;
  }
}

async function firstReadable(folders: readonly string[]): Promise<string | null> {
  for (const folder of folders) if (await isReadable(folder)) return folder;
  return null;
}

/**
 * The .tmp- and .old- folders of a model about to be deleted. They are named before the delete and
 * removed after it: the next list() would otherwise find the model missing and put one of them back,
 * and a save of a new model by that name, begun meanwhile, has folders of its own to keep.
 */
export async function leftoversOf(dir: string, id: string): Promise<string[]> {
  const names = await readdir(dir).catch(() => []);
  return names.filter((name) => SAVE_DEBRIS.exec(name)?.[1] === id).map((name) => path.join(dir, name));
}

export async function removeAll(folders: readonly string[]): Promise<void> {
  for (const folder of folders) await rm(folder, { recursive: true, force: true });
}
