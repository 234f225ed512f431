/**
 * The backward graph of a tensor as plain nodes and edges, shared by the DOT writer and the
 * SVG renderer. One node per grad_fn (AccumulateGrad nodes stand for their leaf), plus one
 * node per output tensor; edges run from inputs toward outputs, as in torchviz.
 */
import { ArgumentTypeError } from '../../errors';
import { GradFn, Tensor } from '../../tensor';

/** Options shared by `toDot` and `drawGraph`. */
export interface GraphOptions {
  /**
   * Names for tensors, e.g. `{ w1, b1 }` or `Object.fromEntries(model.namedParameters())`:
   * a leaf's AccumulateGrad node (and an output) is labelled with its name.
   */
  params?: Record<string, Tensor>;
  /** torchviz's `show_saved`: list the shapes of the tensors each node saved for backward. */
  showSaved?: boolean;
}

/** A node of the picture. */
export interface GraphNode {
  /** Stable id in DOT and SVG: `out0`, `out1`, ... for outputs, `n0`, `n1`, ... for grad_fns. */
  id: string;
  kind: 'output' | 'leaf' | 'fn';
  /** The node's grad_fn name (without `torch::autograd::`), or `output`. */
  name: string;
  /** Label lines: the name, then the tensor's name (if given) and shape for leaves/outputs. */
  lines: string[];
  /** Fill colour (torchviz's palette). */
  fill: string;
}

/** An edge from an input (`from`) to the node that consumes it (`to`). */
export interface GraphEdge {
  from: string;
  to: string;
}

/** The whole picture. */
export interface GraphModel {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

export const FILL = { output: 'darkolivegreen1', leaf: 'lightblue', fn: 'lightgrey' } as const;

/** torchviz's `size_to_str`: `(2, 2)`, `(3)`, `()`. */
export function shapeLabel(shape: number[]): string {
  return `(${shape.join(', ')})`;
}

function shortName(name: string): string {
  return name.startsWith('torch::autograd::') ? name.slice('torch::autograd::'.length) : name;
}

function paramNames(params: Record<string, Tensor> | undefined): Map<Tensor, string> {
  const names = new Map<Tensor, string>();
  if (!params) return names;
  for (const [name, t] of Object.entries(params)) {
    if (!(t instanceof Tensor)) {
      throw new ArgumentTypeError(`params['${name}'] must be a Tensor, not ${t === null ? 'null' : typeof t}`);
    }
    if (!names.has(t)) names.set(t, name);
  }
  return names;
}

/** Walks the backward graph of `roots` (depth first, inputs in argument order). */
export function buildModel(roots: Tensor | readonly Tensor[], opts: GraphOptions = {}): GraphModel {
  const outs: readonly Tensor[] = roots instanceof Tensor ? [roots] : roots;
  outs.forEach((t, i) => {
    if (!(t instanceof Tensor)) throw new ArgumentTypeError(`toDot(): output ${i} must be a Tensor`);
  });
  const names = paramNames(opts.params);
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  const ids = new Map<GradFn, string>();

  const visit = (fn: GradFn): string => {
    let id = ids.get(fn);
    if (id !== undefined) return id;
    id = `n${ids.size}`;
    ids.set(fn, id);
    const name = shortName(fn.name);
    if (name === 'AccumulateGrad') {
      const v = fn.variable;
      const lines = [name];
      const label = v ? names.get(v) : undefined;
      if (label !== undefined) lines.push(label);
      if (v) lines.push(shapeLabel(v.shape));
      nodes.push({ id, kind: 'leaf', name, lines, fill: FILL.leaf });
    } else {
      const lines = [name];
      if (opts.showSaved) for (const s of fn.savedShapes) lines.push(`saved ${shapeLabel(s)}`);
      nodes.push({ id, kind: 'fn', name, lines, fill: FILL.fn });
    }
    return id;
  };

  outs.forEach((t, i) => {
    const id = `out${i}`;
    const label = names.get(t);
    nodes.push({ id, kind: 'output', name: 'output', lines: [label ?? (outs.length > 1 ? `output ${i}` : 'output'), shapeLabel(t.shape)], fill: FILL.output });
    const root = t.gradFn;
    if (!root) return;
    const known = ids.has(root);
    edges.push({ from: visit(root), to: id });
    if (known) return;
    // iterative depth-first walk: deep graphs must not overflow the stack
    const stack: GradFn[] = [root];
    while (stack.length > 0) {
      const fn = stack.pop()!;
      const fnId = ids.get(fn)!;
      const fresh: GradFn[] = [];
      for (const [next] of fn.nextFunctions) {
        if (!next) continue;
        const seen = ids.has(next);
        edges.push({ from: visit(next), to: fnId });
        if (!seen) fresh.push(next);
      }
      for (let k = fresh.length - 1; k >= 0; k--) stack.push(fresh[k]);
    }
  });
  return { nodes, edges };
}
