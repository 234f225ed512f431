/** SVG rendering of a computed layout: one rect + text per node, one path per edge. */
import { Layout } from './layout';

const COLORS: Record<string, string> = {
  darkolivegreen1: '#caff70',
  lightblue: '#add8e6',
  lightgrey: '#d3d3d3',
};

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Rounds to 0.1 px and refuses non-finite coordinates (a layout bug must not write "NaN"). */
function num(v: number): string {
  if (!Number.isFinite(v)) throw new Error(`drawGraph: internal layout error (coordinate ${v})`);
  return String(Math.round(v * 10) / 10);
}

/** The layout as a standalone SVG document. */
export function layoutToSvg(layout: Layout): string {
  const { width, height, fontSize, lineHeight, paddingY } = layout;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${num(width)}" height="${num(height)}" viewBox="0 0 ${num(width)} ${num(height)}" ` +
      `font-family="DejaVu Sans Mono, Menlo, Consolas, monospace" font-size="${fontSize}" style="background:#ffffff">`,
    '<defs><marker id="tg-arrow" viewBox="0 0 10 8" refX="10" refY="4" markerWidth="10" markerHeight="8" ' +
      'markerUnits="userSpaceOnUse" orient="auto"><polygon points="0,0 10,4 0,8" fill="#333333"/></marker></defs>',
    '<g class="edges" fill="none" stroke="#333333" stroke-width="1.2">',
  ];
  for (const e of layout.edges) {
    const d = e.points.map(([x, y], k) => `${k === 0 ? 'M' : 'L'}${num(x)},${num(y)}`).join(' ');
    out.push(`<path class="edge" data-from="${esc(e.edge.from)}" data-to="${esc(e.edge.to)}" d="${d}" marker-end="url(#tg-arrow)"/>`);
  }
  out.push('</g>', '<g class="nodes">');
  for (const p of layout.nodes) {
    const left = p.x - p.w / 2;
    const topY = p.y - p.h / 2;
    const fill = COLORS[p.node.fill] ?? p.node.fill;
    const spans = p.node.lines
      .map((line, k) => {
        const baseline = topY + paddingY + lineHeight * (k + 0.5) + fontSize * 0.35;
        return `<tspan x="${num(p.x)}" y="${num(baseline)}">${esc(line)}</tspan>`;
      })
      .join('');
    out.push(
      `<g class="node ${p.node.kind}" id="${esc(p.node.id)}">` +
        `<rect x="${num(left)}" y="${num(topY)}" width="${num(p.w)}" height="${num(p.h)}" rx="3" fill="${fill}" stroke="#333333"/>` +
        `<text text-anchor="middle" fill="#000000">${spans}</text></g>`,
    );
  }
  out.push('</g>', '</svg>');
  return out.join('\n') + '\n';
}
