/**
 * Pictures of the backward graph: `toDot` (Graphviz DOT, torchviz style) and `drawGraph`
 * (an SVG laid out in TypeScript, no external program needed).
 */
import * as fs from 'fs';
import { Tensor } from '../../tensor';
import { modelToDot } from './dot';
import { LayoutOptions, layoutModel } from './layout';
import { GraphOptions, buildModel } from './model';
import { layoutToSvg } from './svg';

export type { GraphOptions } from './model';
export type { LayoutOptions } from './layout';

/** Options of `drawGraph`. */
export interface DrawGraphOptions extends GraphOptions, LayoutOptions {}

/**
 * The backward graph of `tensor` (or of several outputs) in Graphviz DOT, like torchviz's
 * `make_dot`: one box per grad_fn labelled with its PyTorch name (`MulBackward0`), an
 * `AccumulateGrad` box per leaf labelled with the leaf's shape (and its name from
 * `params`), the output as a separate green box with its shape, and edges from inputs
 * toward the output (leaf -> AccumulateGrad -> ... -> output). Render it with
 * `dot -Tsvg graph.dot`, or use `drawGraph` to skip Graphviz.
 *
 * @example
 * const loss = x.mm(w).relu().sum();
 * fs.writeFileSync('loss.dot', tg.autograd.toDot(loss, { params: { x, w } }));
 */
export function toDot(tensor: Tensor | readonly Tensor[], opts: GraphOptions = {}): string {
  return modelToDot(buildModel(tensor, opts));
}

/**
 * Draws the backward graph of `tensor` (the same nodes and edges as `toDot`) as an SVG,
 * laid out in TypeScript: layered by longest path from the output, ordered by barycenter
 * sweeps to reduce crossings, straight edges with arrowheads. Writes it to `file` (when
 * given) and returns the SVG text.
 *
 * @example
 * tg.autograd.drawGraph(out, 'graph.svg', { params: { x1, x2 } });
 */
export function drawGraph(tensor: Tensor | readonly Tensor[], file?: string | null, opts: DrawGraphOptions = {}): string {
  const svg = layoutToSvg(layoutModel(buildModel(tensor, opts), opts));
  if (file) fs.writeFileSync(file, svg);
  return svg;
}
