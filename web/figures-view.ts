// The run's figures in the page: the report's own (src/report/figures/, the
// Vega-Lite specs `collapse-bench report` renders to SVG files), rendered by
// vega in the page as records stream in. Records go to the same streaming
// summary (SummaryBuilder) and figure collector (ReportCollector) as in
// `report`; the figures are rebuilt from them at most every REDRAW_MS (or
// three times the last redraw's cost, when that is longer), and at the end
// from the worker's summary, so the page's last figures are the report's.
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { familyOf } from '../src/families/index.js';
import { SummaryBuilder } from '../src/results/summary.js';
import { ReportCollector } from '../src/report/figures/collect.js';
import { runFigures, type Figure } from '../src/report/figures/index.js';
import { detExp } from '../src/kernels/detmath.js';
import type { ReplicateRecord, RunHeader, RunSummary } from '../src/results/types.js';

/** The shortest time between two redraws while records come in. */
const REDRAW_MS = 400;

interface Shown {
  figure: Figure;
  box: HTMLElement;
  view: vega.View;
}

export class LiveFigures {
  private builder: SummaryBuilder | undefined;
  private collector: ReportCollector | undefined;
  private shown = new Map<string, Shown>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastCostMs = 0;
  /** The redraw going on: redraws never overlap, and clear() waits for it. */
  private drawing: Promise<void> = Promise.resolve();
  private generation = 0;

  constructor(
    private readonly box: HTMLElement,
    private readonly onDownload: (f: Figure, view: vega.View) => void,
  ) {}

  /** A new run: its header starts the summary and the collector. */
  start(header: RunHeader): void {
    this.clear();
    this.builder = new SummaryBuilder(header, familyOf(header.config.family));
    this.collector = new ReportCollector(header);
  }

  /** One finished replicate; the figures show it at the next redraw. */
  add(record: ReplicateRecord): void {
    if (!this.builder || !this.collector) return;
    this.builder.add(record);
    this.collector.add(record);
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      void this.redraw(this.builder!.finish(null));
    }, this.shown.size === 0 ? 0 : Math.max(REDRAW_MS, 3 * this.lastCostMs));
  }

  /** The run's end: the figures of the worker's summary (the one the CLI prints). */
  async finish(summary: RunSummary): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.collector) await this.redraw(summary);
  }

  /** The figures shown, with their views (for the SVG downloads). */
  get figures(): { figure: Figure; view: vega.View }[] {
    return [...this.shown.values()];
  }

  clear(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.generation++;
    for (const s of this.shown.values()) s.view.finalize();
    this.shown = new Map();
    this.box.replaceChildren();
    this.builder = undefined;
    this.collector = undefined;
  }

  private redraw(summary: RunSummary): Promise<void> {
    const generation = this.generation;
    const collector = this.collector!;
    return (this.drawing = this.drawing.then(async () => {
      if (generation !== this.generation) return;
      const t0 = performance.now();
      const figures = runFigures(collector.finish(summary, ''), 0, detExp);
      for (const figure of figures) {
        const old = this.shown.get(figure.id);
        const plot = document.createElement('div');
        const view = new vega.View(vega.parse(compile(figure.spec as unknown as TopLevelSpec).spec), { renderer: 'svg', container: plot, hover: false });
        await view.runAsync();
        if (generation !== this.generation) {
          view.finalize();
          return;
        }
        if (old) {
          old.view.finalize();
          old.box.firstElementChild!.replaceWith(plot);
          old.figure = figure;
          old.view = view;
        } else {
          const box = document.createElement('div');
          box.className = 'chart';
          box.dataset.figure = figure.id;
          box.title = figure.caption;
          const link = document.createElement('a');
          link.href = '#';
          link.textContent = 'SVG';
          const shown: Shown = { figure, box, view };
          link.addEventListener('click', (e) => {
            e.preventDefault();
            this.onDownload(shown.figure, shown.view);
          });
          box.append(plot, link);
          this.box.append(box);
          this.shown.set(figure.id, shown);
        }
      }
      // the report's figures and order: a figure the summary no longer has goes
      const ids = new Set(figures.map((f) => f.id));
      for (const [id, s] of this.shown) {
        if (ids.has(id)) continue;
        s.view.finalize();
        s.box.remove();
        this.shown.delete(id);
      }
      this.box.append(...figures.map((f) => this.shown.get(f.id)!.box));
      this.lastCostMs = performance.now() - t0;
    }));
  }
}
