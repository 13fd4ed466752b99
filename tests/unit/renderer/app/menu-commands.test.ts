import { describe, expect, it } from 'vitest';
import type { LibraryModel, ModelListing } from '$shared/models';
import { MENU_COMMANDS, type MenuCommand } from '$shared/menu-commands';
import { PANEL_SHORTCUTS } from '$shared/shortcuts';
import { AppState } from '$renderer/app/app-state.svelte';
import { connectMenu, menuCommands } from '$renderer/app/menu-commands';
import { PanelActions } from '$renderer/app/panel-actions';
import { ModelsState, type LibraryApi } from '$renderer/panels/models/models.svelte';

const model = (id: string): LibraryModel => ({
  id, name: id, builtIn: false, architecture: '784-10', parameters: 7850, datasetId: 'mnist', testAccuracy: 0.9, epochs: 1, created: '2026-01-01', backend: 'wasm', curve: [],
});

function libraryApi(calls: string[]): LibraryApi {
  const listing: ModelListing = { models: [model('mine')], problems: [] };
  return {
    listModels: async () => listing,
    exportModel: async ({ id, format }: { id: string; format: string }) => (calls.push(`export ${id} ${format}`), { path: `/tmp/${id}.zip` }),
    importModel: async (request: { kind: string; paths?: string[] }) => (calls.push(`import ${request.paths?.join(',') ?? 'dialog'}`), null),
    onModelChanged: () => () => undefined,
    onEvaluationProgress: () => () => undefined,
  } as unknown as LibraryApi;
}

/** The Lessons drawer as the menu sees it: it counts how often Help → Lessons showed it. */
const drawer = () => {
  const shown = { count: 0 };
  return { show: () => void shown.count++, shown };
};

describe("the window's menu command table", () => {
  it('has a function for every command the menu sends, and nothing else', () => {
    const table = menuCommands({ app: new AppState(), actions: new PanelActions(), lessons: drawer() });
    expect(Object.keys(table).sort()).toEqual([...MENU_COMMANDS].sort());
  });

  it('opens each panel', async () => {
    const app = new AppState();
    const table = menuCommands({ app, actions: new PanelActions(), lessons: drawer() });
    for (const p of PANEL_SHORTCUTS) {
      await table[`panel:${p.panel}`]();
      expect(app.panel).toBe(p.panel);
    }
  });

  it("runs the Models panel's import and export of the active saved model, and says why an unsaved one is not exported", async () => {
    const app = new AppState();
    const actions = new PanelActions();
    const classifier = { modelId: 'mine' as string | null };
    const calls: string[] = [];
    const models = new ModelsState({ actions, classifier });
    models.connect(libraryApi(calls));
    const table = menuCommands({ app, actions, lessons: drawer() });
    await table['model:import']();
    expect(app.panel).toBe('models');
    await table['model:export']();
    expect(calls).toEqual(['import dialog', 'export mine zip']);
    classifier.modelId = 'unsaved-run';
    await table['model:export']();
    expect(models.error).toMatch(/not saved in the library/);
  });

  it('shows the Lessons drawer for Help → Lessons', async () => {
    const lessons = drawer();
    await menuCommands({ app: new AppState(), actions: new PanelActions(), lessons })['lessons:open']();
    expect(lessons.shown.count).toBe(1);
  });

  it('reports a command whose panel has not registered, rather than doing nothing', async () => {
    const app = new AppState();
    await menuCommands({ app, actions: new PanelActions(), lessons: drawer() })['dataset:import']();
    expect(app.panel).toBe('data');
    expect(app.errors.at(-1)?.message).toMatch(/data panel is not ready/);
  });

  it('routes the menu event and a model file the system opened', async () => {
    const app = new AppState();
    const actions = new PanelActions();
    const opened: string[] = [];
    actions.on('import-model-file', async (path) => void opened.push(path));
    let onCommand: ((p: { command: MenuCommand }) => void) | null = null;
    let onFile: ((p: { path: string }) => void) | null = null;
    const off = connectMenu(
      {
        onMenuCommand: (listener) => ((onCommand = listener), () => (onCommand = null)),
        onOpenModelFile: (listener) => ((onFile = listener), () => (onFile = null)),
      },
      { app, actions, lessons: drawer() },
    );
    onCommand!({ command: 'panel:runs' });
    expect(app.panel).toBe('runs');
    onFile!({ path: '/home/u/a.mlpmodel' });
    await Promise.resolve();
    expect(app.panel).toBe('models');
    expect(opened).toEqual(['/home/u/a.mlpmodel']);
    off();
    expect(onCommand).toBeNull();
    expect(onFile).toBeNull();
  });
});
