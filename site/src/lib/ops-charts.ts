/**
 * The overview's time-series charts, drawn by uPlot (a kept chart library: canvas, no inline markup, so it runs
 * under the site's CSP). One chart per card; each keeps its uPlot instance and is given new data on every poll, so
 * a refresh redraws in place rather than rebuilding the chart (and the reader's hover stays put).
 */
import uPlot from "uplot";
import { h } from "./ops-ui";

export type SeriesSpec = { label: string; color: string; dashed?: boolean };

const HEIGHT = 220;
/** The y axis's steps for a chart of counts: whole numbers only. */
const COUNT_STEPS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000, 1_000_000];

export class TimeChart {
  readonly card: HTMLElement;
  private readonly plotBox: HTMLElement;
  private plot: uPlot | undefined;

  private readonly counts: boolean;
  private readonly unit: (v: number) => string;

  /** `unit` formats the y axis and the legend's values (a duration in ms); without one, the chart counts. */
  constructor(
    title: string,
    private readonly series: SeriesSpec[],
    unit?: (v: number) => string,
  ) {
    this.counts = unit === undefined;
    this.unit = unit ?? ((v) => String(Math.round(v)));
    this.plotBox = h("div", { class: "ops-chart-plot" });
    this.card = h("figure", { class: "card ops-chart" }, h("figcaption", { text: title }), this.plotBox);
    // The chart fills its card: when the card's width changes (a window resized, a sidebar), so does the canvas.
    new ResizeObserver(() => this.plot?.setSize({ width: this.width(), height: HEIGHT })).observe(this.plotBox);
  }

  private width(): number {
    return Math.max(this.plotBox.clientWidth, 240);
  }

  /** Draws `values` (one array per series, null where nothing was measured) over the buckets' start times. */
  set(buckets: string[], values: (number | null)[][]): void {
    const xs = buckets.map((iso) => Date.parse(iso) / 1000);
    const data: uPlot.AlignedData = [xs, ...values];
    if (this.plot) {
      this.plot.setData(data);
      return;
    }
    const format = (_u: uPlot, v: number | null) => (v === null || v === undefined ? "—" : this.unit(v));
    this.plot = new uPlot(
      {
        width: this.width(),
        height: HEIGHT,
        series: [
          {},
          ...this.series.map((s) => ({ label: s.label, stroke: s.color, width: 2, value: format, ...(s.dashed ? { dash: [6, 4] } : {}), points: { show: xs.length <= 31 } })),
        ],
        // Counts step by whole numbers (a chart of 0–2 dead letters would otherwise label 0.5 as "1").
        axes: [{}, { values: (_u: uPlot, splits: number[]) => splits.map((v) => this.unit(v)), size: 60, ...(this.counts ? { incrs: COUNT_STEPS } : {}) }],
        // From zero, and never flatter than 1 (a count) or 1 s (a duration): a quiet range reads as quiet, not as noise.
        scales: { y: { range: (_u: uPlot, _min: number, max: number) => [0, Math.max(max, this.counts ? 1 : 1000)] } },
        cursor: { drag: { x: false, y: false } },
      },
      data,
      this.plotBox,
    );
  }
}
