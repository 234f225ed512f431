/**
 * A small layered ("Sugiyama") layout for backward graphs, so pictures need no external
 * program:
 *
 * 1. Layers: longest path from the outputs (outputs on layer 0, each node one layer above
 *    its farthest consumer). Drawn with the outputs at the bottom, leaves towards the top.
 * 2. Edges spanning several layers get a dummy vertex per crossed layer, so they can be
 *    ordered and routed around the nodes they pass.
 * 3. Order within layers: depth-first discovery order, then barycenter sweeps (up and down,
 *    a dozen passes), keeping the order with the fewest crossings.
 * 4. x coordinates: alternating sweeps pulling each vertex to the mean of its neighbours in
 *    the adjacent layer (consumers, then inputs), solved exactly under the order and spacing
 *    constraints by isotonic regression (pool adjacent violators).
 * 5. Edges: straight polylines from a port on the input's bottom side, through their dummy
 *    vertices, to a port on the consumer's top side (ports spread by the other end's x).
 *
 * Boxes are sized from the label with an approximate monospace glyph width (0.6 em).
 */
import { GraphEdge, GraphModel, GraphNode } from './model';

/** Options of the layout (and of `drawGraph`). */
export interface LayoutOptions {
  /** Label font size in pixels. Default 12. */
  fontSize?: number;
}

/** A node with its box: (x, y) is the centre. */
export interface PlacedNode {
  node: GraphNode;
  x: number;
  y: number;
  w: number;
  h: number;
}

/** An edge with its polyline, from the input's box to the consumer's box. */
export interface PlacedEdge {
  edge: GraphEdge;
  points: [number, number][];
}

/** The computed picture. */
export interface Layout {
  width: number;
  height: number;
  fontSize: number;
  lineHeight: number;
  paddingY: number;
  nodes: PlacedNode[];
  edges: PlacedEdge[];
}

const MARGIN = 16;
const PAD_X = 8;
const PAD_Y = 5;
const GAP_X = 22;
const GAP_X_DUMMY = 10;
const GAP_Y = 38;
const ORDER_PASSES = 12;
const X_PASSES = 10;

interface Vertex {
  rank: number;
  w: number;
  h: number;
  dummy: boolean;
  up: number[]; // neighbours one layer above (inputs)
  down: number[]; // neighbours one layer below (consumers)
  x: number;
}

/** Computes node boxes and edge polylines for `model`. */
export function layoutModel(model: GraphModel, opts: LayoutOptions = {}): Layout {
  const fontSize = opts.fontSize ?? 12;
  const lineHeight = Math.round(fontSize * 1.3);
  const charW = fontSize * 0.6;
  const n = model.nodes.length;
  const index = new Map<string, number>();
  model.nodes.forEach((node, i) => index.set(node.id, i));

  // ---- 1. ranks: longest path from the sinks (Kahn's algorithm on the consumer side)
  const consumers: number[][] = model.nodes.map(() => []);
  const inputs: number[][] = model.nodes.map(() => []);
  for (const e of model.edges) {
    const a = index.get(e.from)!;
    const b = index.get(e.to)!;
    consumers[a].push(b);
    inputs[b].push(a);
  }
  const rank = new Array<number>(n).fill(0);
  const pending = consumers.map((c) => c.length);
  const queue: number[] = [];
  for (let i = 0; i < n; i++) if (pending[i] === 0) queue.push(i);
  for (let q = 0; q < queue.length; q++) {
    const v = queue[q];
    for (const u of inputs[v]) {
      rank[u] = Math.max(rank[u], rank[v] + 1);
      if (--pending[u] === 0) queue.push(u);
    }
  }

  // ---- 2. vertices (real, then dummies) and the chain of vertices of every edge
  const verts: Vertex[] = model.nodes.map((node, i) => {
    const longest = Math.max(...node.lines.map((l) => l.length));
    return {
      rank: rank[i],
      w: Math.ceil(longest * charW + 2 * PAD_X),
      h: node.lines.length * lineHeight + 2 * PAD_Y,
      dummy: false,
      up: [],
      down: [],
      x: 0,
    };
  });
  const chains: number[][] = model.edges.map((e) => {
    const a = index.get(e.from)!;
    const b = index.get(e.to)!;
    const chain = [a];
    for (let r = rank[a] - 1; r > rank[b]; r--) {
      verts.push({ rank: r, w: 0, h: 0, dummy: true, up: [], down: [], x: 0 });
      chain.push(verts.length - 1);
    }
    chain.push(b);
    for (let k = 0; k + 1 < chain.length; k++) {
      verts[chain[k]].down.push(chain[k + 1]);
      verts[chain[k + 1]].up.push(chain[k]);
    }
    return chain;
  });
  const maxRank = verts.reduce((m, v) => Math.max(m, v.rank), 0);

  // ---- 3. order within layers: discovery order from the outputs, then barycenter sweeps
  const layers: number[][] = Array.from({ length: maxRank + 1 }, () => []);
  const placed = new Array<boolean>(verts.length).fill(false);
  for (let i = 0; i < verts.length; i++) {
    if (placed[i] || verts[i].down.length > 0) continue; // start from sinks
    const stack = [i];
    while (stack.length > 0) {
      const v = stack.pop()!;
      if (placed[v]) continue;
      placed[v] = true;
      layers[verts[v].rank].push(v);
      for (let k = verts[v].up.length - 1; k >= 0; k--) if (!placed[verts[v].up[k]]) stack.push(verts[v].up[k]);
    }
  }
  for (let i = 0; i < verts.length; i++) if (!placed[i]) layers[verts[i].rank].push(i);

  const pos = new Array<number>(verts.length).fill(0);
  const setPositions = (): void => layers.forEach((layer) => layer.forEach((v, k) => (pos[v] = k)));
  setPositions();
  let best = layers.map((l) => [...l]);
  let bestCrossings = totalCrossings(layers, verts, pos);
  for (let pass = 0; pass < ORDER_PASSES && bestCrossings > 0; pass++) {
    const upward = pass % 2 === 0; // order layer r by its consumers (r-1), going up
    const ranks = upward ? range(1, maxRank) : range(maxRank - 1, 0);
    for (const r of ranks) {
      const layer = layers[r];
      const key = new Map<number, number>();
      for (const v of layer) {
        const nb = upward ? verts[v].down : verts[v].up;
        key.set(v, nb.length > 0 ? mean(nb.map((u) => pos[u])) : pos[v]);
      }
      layer.sort((a, b) => key.get(a)! - key.get(b)!);
      layer.forEach((v, k) => (pos[v] = k));
    }
    const c = totalCrossings(layers, verts, pos);
    if (c < bestCrossings) {
      bestCrossings = c;
      best = layers.map((l) => [...l]);
    }
  }
  best.forEach((l, r) => (layers[r] = l));
  setPositions();

  // ---- 4. x coordinates
  const sep = (a: number, b: number): number =>
    (verts[a].w + verts[b].w) / 2 + (verts[a].dummy || verts[b].dummy ? GAP_X_DUMMY : GAP_X);
  for (const layer of layers) {
    let x = 0;
    layer.forEach((v, k) => {
      if (k > 0) x += sep(layer[k - 1], v);
      verts[v].x = x;
    });
    const shift = x / 2;
    for (const v of layer) verts[v].x -= shift;
  }
  const align = (r: number, neighbours: (v: Vertex) => number[]): void => {
    const layer = layers[r];
    const desired = layer.map((v) => {
      const nb = neighbours(verts[v]);
      return nb.length > 0 ? mean(nb.map((u) => verts[u].x)) : verts[v].x;
    });
    const xs = constrainedFit(desired, layer.map((v, k) => (k === 0 ? 0 : sep(layer[k - 1], v))));
    layer.forEach((v, k) => (verts[v].x = xs[k]));
  };
  // alternate: towards consumers (bottom-up), towards inputs (top-down); ending top-down
  // centres every node under its inputs and keeps single-input chains straight
  for (let pass = 0; pass < X_PASSES; pass++) {
    if (pass % 2 === 0) for (const r of range(1, maxRank)) align(r, (v) => v.down);
    else for (const r of range(maxRank - 1, 0)) align(r, (v) => v.up);
  }

  // ---- coordinates: layer maxRank on top
  const layerH = layers.map((l) => Math.max(0, ...l.map((v) => verts[v].h)));
  const top = new Array<number>(maxRank + 1);
  let y = MARGIN;
  for (let r = maxRank; r >= 0; r--) {
    top[r] = y;
    y += layerH[r] + GAP_Y;
  }
  const height = y - GAP_Y + MARGIN;
  let minX = Infinity;
  let maxX = -Infinity;
  for (const v of verts) {
    minX = Math.min(minX, v.x - v.w / 2);
    maxX = Math.max(maxX, v.x + v.w / 2);
  }
  if (!Number.isFinite(minX)) {
    minX = 0;
    maxX = 0;
  }
  const dx = MARGIN - minX;
  for (const v of verts) v.x += dx;
  const width = maxX - minX + 2 * MARGIN;
  const cy = (v: number): number => top[verts[v].rank] + layerH[verts[v].rank] / 2;

  // ---- 5. edges: ports spread along the box sides, ordered by the other end's x
  const outPort = new Map<number, number>(); // edge index -> x offset at its input's bottom
  const inPort = new Map<number, number>(); // edge index -> x offset at its consumer's top
  const spread = (ids: number[], w: number, otherX: (e: number) => number, into: Map<number, number>): void => {
    const sorted = [...ids].sort((a, b) => otherX(a) - otherX(b) || a - b);
    const step = sorted.length > 1 ? Math.min(14, (w * 0.7) / (sorted.length - 1)) : 0;
    sorted.forEach((e, k) => into.set(e, (k - (sorted.length - 1) / 2) * step));
  };
  const outgoing: number[][] = model.nodes.map(() => []);
  const incoming: number[][] = model.nodes.map(() => []);
  chains.forEach((c, e) => {
    outgoing[c[0]].push(e);
    incoming[c[c.length - 1]].push(e);
  });
  for (let i = 0; i < n; i++) {
    spread(outgoing[i], verts[i].w, (e) => verts[chains[e][1]].x, outPort);
    spread(incoming[i], verts[i].w, (e) => verts[chains[e][chains[e].length - 2]].x, inPort);
  }
  const edges: PlacedEdge[] = model.edges.map((edge, e) => {
    const c = chains[e];
    const a = c[0];
    const b = c[c.length - 1];
    const points: [number, number][] = [[verts[a].x + outPort.get(e)!, cy(a) + verts[a].h / 2]];
    for (let k = 1; k + 1 < c.length; k++) {
      const r = verts[c[k]].rank;
      points.push([verts[c[k]].x, top[r]], [verts[c[k]].x, top[r] + layerH[r]]);
    }
    points.push([verts[b].x + inPort.get(e)!, cy(b) - verts[b].h / 2]);
    return { edge, points };
  });

  const nodes: PlacedNode[] = model.nodes.map((node, i) => ({ node, x: verts[i].x, y: cy(i), w: verts[i].w, h: verts[i].h }));
  return { width, height, fontSize, lineHeight, paddingY: PAD_Y, nodes, edges };
}

function range(from: number, to: number): number[] {
  const r: number[] = [];
  if (from <= to) for (let i = from; i <= to; i++) r.push(i);
  else for (let i = from; i >= to; i--) r.push(i);
  return r;
}

function mean(xs: number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}

/** Crossings between consecutive layers: inversions of the segments' lower ends. */
function totalCrossings(layers: number[][], verts: Vertex[], pos: number[]): number {
  let total = 0;
  for (let r = 1; r < layers.length; r++) {
    const segs: [number, number][] = [];
    for (const u of layers[r]) for (const v of verts[u].down) segs.push([pos[u], pos[v]]);
    segs.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    total += inversions(segs.map((s) => s[1]), layers[r - 1].length);
  }
  return total;
}

/** Pairs i < j with a[i] > a[j], by a Fenwick tree over values in [0, size). */
function inversions(a: number[], size: number): number {
  const tree = new Array<number>(size + 1).fill(0);
  let count = 0;
  for (let i = a.length - 1; i >= 0; i--) {
    for (let k = a[i]; k > 0; k -= k & -k) count += tree[k]; // values < a[i] already seen
    for (let k = a[i] + 1; k <= size; k += k & -k) tree[k]++;
  }
  return count;
}

/**
 * The positions closest (least squares) to `desired` with `x[k] - x[k-1] >= gaps[k]`:
 * substitute y = x - cumulative gaps, then fit a non-decreasing y by pool adjacent violators.
 */
function constrainedFit(desired: number[], gaps: number[]): number[] {
  const offs: number[] = [];
  let acc = 0;
  gaps.forEach((g, k) => {
    acc += k === 0 ? 0 : g;
    offs.push(acc);
  });
  const blocks: { sum: number; count: number }[] = [];
  desired.forEach((d, k) => {
    blocks.push({ sum: d - offs[k], count: 1 });
    while (blocks.length > 1) {
      const b = blocks[blocks.length - 1];
      const a = blocks[blocks.length - 2];
      if (a.sum / a.count <= b.sum / b.count) break;
      a.sum += b.sum;
      a.count += b.count;
      blocks.pop();
    }
  });
  const out: number[] = [];
  for (const b of blocks) for (let k = 0; k < b.count; k++) out.push(b.sum / b.count + offs[out.length]);
  return out;
}
