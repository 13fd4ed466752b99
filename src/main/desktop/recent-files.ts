import { z } from 'zod';
import { readRegularFile } from '$engine/data/read-regular-file';
import { writeAtomically } from '../services/atomic-write';

export const RECENT_FILE = 'recent-files.json';
export const MAX_RECENT = 10;
const schema = z.array(z.string().min(1).max(4096)).max(100);

/**
 * File → Open Recent: the files MLP Lab opened, newest first, kept in <userData>/recent-files.json
 * (the OS's own recent list exists on macOS and Windows only). A damaged file is an empty list.
 */
export class RecentFiles {
  #list: string[] = [];

  constructor(
    private readonly file: string,
    private readonly onChange: (list: readonly string[]) => void = () => undefined,
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {}

  async load(): Promise<readonly string[]> {
    try {
      const bytes = await readRegularFile(this.file, { expected: 'a recent files list', maxBytes: 64 * 1024 });
      const parsed = schema.safeParse(JSON.parse(new TextDecoder().decode(bytes)));
      this.#list = parsed.success ? parsed.data.slice(0, MAX_RECENT) : [];
    } catch {
      this.#list = [];
    }
    return this.list();
  }

  list(): readonly string[] {
    return [...this.#list];
  }

  add(file: string): Promise<void> {
    return this.#set([file, ...this.#list.filter((f) => f !== file)].slice(0, MAX_RECENT));
  }

  clear(): Promise<void> {
    return this.#set([]);
  }

  async #set(list: string[]): Promise<void> {
    this.#list = list;
    this.onChange(this.list());
    await writeAtomically(this.file, `${JSON.stringify(list)}\n`).catch(this.onError);
  }
}
