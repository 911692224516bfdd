// report.html: report.md as one page that needs nothing beside it to show its
// pictures (the charts are inline SVG), for a browser or an artefact viewer.
// Links to k6's dashboard, the screenshots and the trace stay relative.
import { marked } from 'marked';
import { renderMarkdown } from './markdown.ts';
import type { ChartName } from './charts.ts';
import type { SimReport } from './types.ts';

const style = `
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; max-width: 70rem; margin: 2rem auto; padding: 0 1rem; color: #1b1f23; }
h1 { font-size: 1.6rem; } h2 { margin-top: 2rem; border-bottom: 1px solid #d0d7de; }
table { border-collapse: collapse; margin: 1rem 0; font-size: 0.9rem; }
th, td { border: 1px solid #d0d7de; padding: 0.3rem 0.6rem; text-align: left; vertical-align: top; }
tr:nth-child(even) td { background: #f6f8fa; }
code { background: #f6f8fa; padding: 0.1rem 0.3rem; border-radius: 4px; }
pre { background: #f6f8fa; padding: 0.8rem; overflow-x: auto; }
figure { margin: 1rem 0; overflow-x: auto; } figure svg { max-width: 100%; height: auto; }
`;

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;');

/** The page, with each chart's SVG (by name) inline. */
export function renderHtml(report: SimReport, svgs: Partial<Record<ChartName, string>>): string {
  const markdown = renderMarkdown(report, (name) => {
    const svg = svgs[name];
    // A raw HTML block ends at a blank line: the SVG is kept on one line.
    return svg ? [`<figure>${svg.replace(/\r?\n/g, ' ')}</figure>`, ''] : [];
  });
  const title = /^# (.*)$/m.exec(markdown)?.[1] ?? report.runId;
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escape(title)}</title>`,
    `<style>${style}</style>`,
    '</head>',
    '<body>',
    marked.parse(markdown, { async: false, gfm: true }),
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
