import type { Api } from '$shared/ipc/contract';
import type { LessonFacts } from '$shared/lessons/lesson-checks';
import { Latest } from '../../lib/latest';

export type FactsApi = Pick<Api, 'listRuns' | 'onRunsChanged' | 'listDatasets' | 'onDatasetsChanged'>;

/** What the window's app-wide state holds that lessons' checks read. */
export interface FactSources {
  app: { seen: ReadonlySet<string> };
  handwriting: { samples: readonly { label: number }[] };
  drawing: { isEmpty: boolean };
}

/**
 * The facts lessons' checks look at, kept current: the run history and the datasets on this machine
 * (fetched again on main's change events), your handwriting, the drawing and what the learner opened.
 */
export class LessonFactsState {
  runs = $state.raw<LessonFacts['runs']>([]);
  datasets = $state.raw<LessonFacts['datasets']>([]);
  readonly #sources: FactSources;
  readonly #runsAnswer = new Latest();

  constructor(sources: FactSources) {
    this.#sources = sources;
  }

  /** A getter, not $derived: field initialisers run before the constructor has the sources. Read inside a $derived, it is tracked all the same. */
  get facts(): LessonFacts {
    return {
      runs: this.runs,
      datasets: this.datasets,
      drawings: this.#sources.handwriting.samples.map((s) => s.label),
      seen: this.#sources.app.seen,
      drawingInk: !this.#sources.drawing.isEmpty,
    };
  }

  connect(api: FactsApi): () => void {
    const unsubscribe = [
      api.onRunsChanged(() => void this.#loadRuns(api)),
      api.onDatasetsChanged((list) => (this.datasets = list.map(({ id, available, source }) => ({ id, available, source })))),
    ];
    void this.#loadRuns(api);
    void api
      .listDatasets()
      .then((list) => (this.datasets = list.map(({ id, available, source }) => ({ id, available, source }))))
      .catch(() => undefined);
    return () => unsubscribe.forEach((u) => u());
  }

  async #loadRuns(api: FactsApi): Promise<void> {
    const answer = this.#runsAnswer.next();
    try {
      const { runs } = await api.listRuns();
      if (answer.current) this.runs = runs;
    } catch {
      // The Runs tab says why the history cannot be read; a check simply stays unticked.
    }
  }
}
