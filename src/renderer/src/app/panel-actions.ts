/** The actions the application menu (or the system) asks of a panel, with their arguments. */
export interface PanelActionArgs {
  'import-dataset': [];
  'import-model': [];
  /** A model bundle the system handed the app. */
  'import-model-file': [path: string];
  'export-model': [];
}

export type PanelAction = keyof PanelActionArgs;

type Handler<A extends PanelAction> = (...args: PanelActionArgs[A]) => Promise<void>;

/**
 * Where a panel offers what the menu can ask of it: the panel's state registers its handler when App
 * creates it (panels never import each other or App), and the menu's table (menu-commands.ts) runs it.
 */
export class PanelActions {
  readonly #handlers = new Map<PanelAction, (...args: never[]) => Promise<void>>();

  on<A extends PanelAction>(action: A, handler: Handler<A>): void {
    this.#handlers.set(action, handler as (...args: never[]) => Promise<void>);
  }

  /** Runs the action; false when no panel offers it. */
  async run<A extends PanelAction>(action: A, ...args: PanelActionArgs[A]): Promise<boolean> {
    const handler = this.#handlers.get(action) as Handler<A> | undefined;
    if (!handler) return false;
    await handler(...args);
    return true;
  }
}
