import type { Api } from '$shared/ipc/contract';
import type { MenuCommand } from '$shared/menu-commands';
import { PANEL_SHORTCUTS, type PanelId } from '$shared/shortcuts';
import type { AppState } from './app-state.svelte';
import type { LessonsState } from './lessons/lessons.svelte';
import type { PanelAction, PanelActions } from './panel-actions';

export interface MenuTargets {
  app: Pick<AppState, 'panel' | 'report'>;
  actions: Pick<PanelActions, 'run'>;
  lessons: Pick<LessonsState, 'show'>;
}

type PanelCommands = Record<`panel:${PanelId}`, () => Promise<void>>;

/**
 * The window's one table of menu commands: every command the application menu sends
 * (src/shared/menu-commands.ts) maps to a function here, and the Record type makes a missing one a
 * compile error.
 */
export function menuCommands({ app, actions, lessons }: MenuTargets): Record<MenuCommand, () => Promise<void>> {
  const inPanel = (panel: PanelId, action: Exclude<PanelAction, 'import-model-file'>) => async (): Promise<void> => {
    app.panel = panel;
    if (!(await actions.run(action))) app.report(`The ${panel} panel is not ready yet; try again in a moment`);
  };
  const panels = Object.fromEntries(
    PANEL_SHORTCUTS.map((p) => [`panel:${p.panel}`, async () => void (app.panel = p.panel)]),
  ) as PanelCommands;
  return {
    ...panels,
    'dataset:import': inPanel('data', 'import-dataset'),
    'model:import': inPanel('models', 'import-model'),
    'model:export': inPanel('models', 'export-model'),
    'lessons:open': async () => lessons.show(),
  };
}

/** Subscribes the window to the menu's commands and to the model files the system opens with the app. */
export function connectMenu(api: Pick<Api, 'onMenuCommand' | 'onOpenModelFile'>, targets: MenuTargets): () => void {
  const table = menuCommands(targets);
  const offCommand = api.onMenuCommand(({ command }) => {
    const run = table[command];
    if (run) void run().catch((error: unknown) => targets.app.report('The menu command failed', error));
  });
  const offFile = api.onOpenModelFile(({ path }) => {
    targets.app.panel = 'models';
    void targets.actions.run('import-model-file', path).catch((error: unknown) => targets.app.report(`Could not open ${path}`, error));
  });
  return () => {
    offCommand();
    offFile();
  };
}
