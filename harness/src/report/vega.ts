// The one file that speaks Vega: a Vega-Lite spec in, an SVG out, in Node and
// without a browser (Vega's headless renderer; text widths are estimated).
// Each mark carries an aria-label with its values ("p95 (ms): 12.3"), which is
// what the report's tests read back.
import { Error as errorsOnly, View, logger, parse } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

export type ChartSpec = TopLevelSpec;

/** The shared look: system fonts, no border, white background (readable in dark-themed viewers too). */
const config = {
  background: 'white',
  font: 'system-ui, -apple-system, Segoe UI, Roboto, sans-serif',
  view: { stroke: null },
  axis: { labelFontSize: 11, titleFontSize: 11, grid: true, gridOpacity: 0.5 },
  legend: { labelFontSize: 11, titleFontSize: 11, orient: 'bottom' },
  title: { fontSize: 14, anchor: 'start', subtitleColor: '#555' },
} as const;

export async function renderSvg(spec: ChartSpec): Promise<string> {
  // Vega-Lite's warnings (a sort it resolved by itself) would land in the run's progress.
  const { spec: vega } = compile(
    { ...spec, config: { ...config, ...spec.config } },
    {
      logger: logger(errorsOnly),
    },
  );
  const view = new View(parse(vega), { renderer: 'none', logLevel: errorsOnly });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
