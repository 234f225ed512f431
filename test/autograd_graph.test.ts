/**
 * Pictures of the backward graph: `autograd.toDot` (torchviz-style DOT) and
 * `autograd.drawGraph` (SVG laid out in TypeScript), checked on the seed graph of seed
 * document 000 and on shared nodes, several outputs, leaves and deep chains.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tg from '../lib';
import { Tensor } from '../lib';

interface DotNode {
  id: string;
  label: string;
  fill: string;
}

/** Parses the node and edge statements of our DOT output. */
function parseDot(dot: string): { nodes: DotNode[]; edges: [string, string][] } {
  const nodes: DotNode[] = [];
  const edges: [string, string][] = [];
  for (const line of dot.split('\n')) {
    const n = /^\t(\w+) \[label="((?:[^"\\]|\\.)*)" fillcolor=(\w+)\]$/.exec(line);
    if (n) nodes.push({ id: n[1], label: n[2].replace(/\\n/g, '\n').replace(/\\(["\\])/g, '$1'), fill: n[3] });
    const e = /^\t(\w+) -> (\w+)$/.exec(line);
    if (e) edges.push([e[1], e[2]]);
  }
  return { nodes, edges };
}

function seedGraph() {
  const x1 = tg.ones([2, 2], { requiresGrad: true });
  const x2 = tg.tensor(1.1, { requiresGrad: true });
  const y = x1.mul(x2.add(2));
  const z = y.pow(2).mul(3);
  const out = z.mean();
  return { x1, x2, y, z, out };
}

const count = (s: string, sub: string): number => s.split(sub).length - 1;

/** A minimal XML well-formedness check: balanced tags, quoted attributes, no stray '<'. */
function checkXml(svg: string): void {
  const stack: string[] = [];
  const re = /<(\/?)([a-zA-Z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>/g;
  let last = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(svg)) !== null) {
    expect(svg.slice(last, m.index)).not.toMatch(/[<>]/);
    last = re.lastIndex;
    const [, close, name, , selfClose] = m;
    if (close) expect(stack.pop()).toBe(name);
    else if (!selfClose) stack.push(name);
  }
  expect(svg.slice(last).trim()).toBe('');
  expect(stack).toEqual([]);
}

describe('toDot', () => {
  test('seed graph (seed 000): exact node set', () => {
    const { out, x1, x2 } = seedGraph();
    const { nodes } = parseDot(tg.autograd.toDot(out, { params: { x1, x2 } }));
    expect(nodes.map((n) => n.label).sort()).toEqual(
      [
        'AccumulateGrad\nx1\n(2, 2)',
        'AccumulateGrad\nx2\n()',
        'AddBackward0',
        'MeanBackward0',
        'MulBackward0',
        'MulBackward0',
        'PowBackward0',
        'output\n()',
      ].sort(),
    );
    expect(new Set(nodes.map((n) => n.id)).size).toBe(8);
    const fill = (label: string) => nodes.find((n) => n.label === label)!.fill;
    expect(fill('output\n()')).toBe('darkolivegreen1');
    expect(fill('AccumulateGrad\nx1\n(2, 2)')).toBe('lightblue');
    expect(fill('MeanBackward0')).toBe('lightgrey');
  });

  test("seed graph: edges follow the seed's walk, from inputs toward the output", () => {
    const { out, x1, x2 } = seedGraph();
    const { nodes, edges } = parseDot(tg.autograd.toDot(out, { params: { x1, x2 } }));
    const label = new Map(nodes.map((n) => [n.id, n.label.split('\n').slice(0, 2).join(' ')]));
    // tell the two MulBackward0 apart: the inner one (x1 * (x2 + 2)) consumes x1's AccumulateGrad
    const x1Node = nodes.find((n) => n.label.includes('x1'))!.id;
    const inner = edges.find(([a]) => a === x1Node)![1];
    const name = (id: string) => (id === inner ? 'MulBackward0(inner)' : label.get(id)!.replace(/^MulBackward0$/, 'MulBackward0(outer)'));
    expect(edges.map(([a, b]) => `${name(a)} -> ${name(b)}`).sort()).toEqual(
      [
        'AccumulateGrad x1 -> MulBackward0(inner)',
        'AddBackward0 -> MulBackward0(inner)',
        'AccumulateGrad x2 -> AddBackward0',
        'MulBackward0(inner) -> PowBackward0',
        'PowBackward0 -> MulBackward0(outer)',
        'MulBackward0(outer) -> MeanBackward0',
        'MeanBackward0 -> output ()',
      ].sort(),
    );
  });

  test('the DOT header is torchviz-like and the ids are deterministic', () => {
    const a = tg.autograd.toDot(seedGraph().out);
    const b = tg.autograd.toDot(seedGraph().out);
    expect(a).toBe(b);
    expect(a.startsWith('digraph {\n\tgraph [size="12,12"]\n\tnode [align=left fontname=monospace')).toBe(true);
    expect(a.trimEnd().endsWith('}')).toBe(true);
    expect(a).toContain('\tout0 [label="output\\n()" fillcolor=darkolivegreen1]');
    expect(a).toContain('\tn0 [label="MeanBackward0" fillcolor=lightgrey]');
    expect(a).toContain('\tn0 -> out0');
  });

  test('without params, AccumulateGrad shows the leaf shape only', () => {
    const { nodes } = parseDot(tg.autograd.toDot(seedGraph().out));
    expect(nodes.filter((n) => n.label.startsWith('AccumulateGrad')).map((n) => n.label).sort()).toEqual([
      'AccumulateGrad\n()',
      'AccumulateGrad\n(2, 2)',
    ]);
  });

  test('x + x: two edges into the same AccumulateGrad; names are escaped', () => {
    const x = tg.tensor([1, 2], { requiresGrad: true });
    const dot = tg.autograd.toDot(x.add(x), { params: { 'my "x"': x } });
    const { nodes, edges } = parseDot(dot);
    const acc = nodes.filter((n) => n.label.startsWith('AccumulateGrad'));
    expect(acc.length).toBe(1);
    expect(acc[0].label).toBe('AccumulateGrad\nmy "x"\n(2)');
    expect(dot).toContain('label="AccumulateGrad\\nmy \\"x\\"\\n(2)"');
    expect(edges.filter(([a]) => a === acc[0].id).length).toBe(2);
  });

  test('several outputs share their common subgraph; a named output uses its name', () => {
    const a = tg.tensor([1, 2], { requiresGrad: true });
    const s = a.sin();
    const loss = s.sum();
    const { nodes, edges } = parseDot(tg.autograd.toDot([loss, s.exp()], { params: { a, loss } }));
    expect(nodes.filter((n) => n.label === 'SinBackward0').length).toBe(1);
    expect(nodes.find((n) => n.id === 'out0')!.label).toBe('loss\n()');
    expect(nodes.find((n) => n.id === 'out1')!.label).toBe('output 1\n(2)');
    const sin = nodes.find((n) => n.label === 'SinBackward0')!.id;
    expect(edges.filter(([from]) => from === sin).length).toBe(2);
  });

  test('leaves and tensors without a graph are a lone output node', () => {
    for (const t of [tg.tensor([1, 2], { requiresGrad: true }), tg.ones(3)]) {
      const { nodes, edges } = parseDot(tg.autograd.toDot(t));
      expect(nodes.length).toBe(1);
      expect(edges.length).toBe(0);
    }
  });

  test('special nodes drop the torch::autograd:: prefix', () => {
    const w = tg.tensor([2], { requiresGrad: true });
    const x = tg.zeros(3);
    x.indexPut_(0, w.index(0).mul(3));
    const { nodes } = parseDot(tg.autograd.toDot(x));
    expect(nodes.map((n) => n.label)).toContain('CopySlices');
  });

  test('showSaved lists the shapes each node saved for backward', () => {
    const { out } = seedGraph();
    const { nodes } = parseDot(tg.autograd.toDot(out, { showSaved: true }));
    const labels = nodes.map((n) => n.label);
    // y = x1 * (x2 + 2) saves x1 [2,2] and (x2 + 2) []; pow saves y [2,2]; mean saves nothing.
    expect(labels.some((l) => l.startsWith('MulBackward0') && l.includes('saved (2, 2)') && l.includes('saved ()'))).toBe(true);
    expect(labels.some((l) => l.startsWith('PowBackward0') && l.includes('saved (2, 2)'))).toBe(true);
    expect(labels.find((l) => l.startsWith('MeanBackward0'))).not.toContain('saved');
  });

  test('argument errors', () => {
    const { out } = seedGraph();
    expect(() => tg.autograd.toDot(out, { params: { w: 3 as unknown as Tensor } })).toThrow("params['w'] must be a Tensor");
  });
});

describe('drawGraph', () => {
  test('seed graph: a well-formed SVG with one box per node and one path per edge', () => {
    const { out, x1, x2 } = seedGraph();
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tg-graph-')), 'graph.svg');
    const svg = tg.autograd.drawGraph(out, file, { params: { x1, x2 } });
    expect(fs.readFileSync(file, 'utf8')).toBe(svg);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    checkXml(svg);
    expect(count(svg, '<rect')).toBe(8);
    expect(count(svg, '<text')).toBe(8);
    expect(count(svg, '<path')).toBe(7);
    expect(count(svg, '<line')).toBe(0);
    expect(svg).not.toMatch(/NaN|Infinity|undefined/);
    for (const label of ['MeanBackward0', 'PowBackward0', 'AddBackward0', 'AccumulateGrad', 'x1', '(2, 2)', 'output']) {
      expect(svg).toContain(`>${label}</tspan>`);
    }
    // edges are the DOT's edges
    const { edges } = parseDot(tg.autograd.toDot(out, { params: { x1, x2 } }));
    const drawn = [...svg.matchAll(/data-from="(\w+)" data-to="(\w+)"/g)].map((m) => `${m[1]}->${m[2]}`);
    expect(drawn.sort()).toEqual(edges.map(([a, b]) => `${a}->${b}`).sort());
  });

  test('layout: inputs above consumers, the output at the bottom, boxes disjoint and inside the canvas', () => {
    const { out, x1, x2 } = seedGraph();
    const svg = tg.autograd.drawGraph(out, null, { params: { x1, x2 } });
    const [, W, H] = /width="([\d.]+)" height="([\d.]+)"/.exec(svg)!.map(Number);
    const boxes = new Map<string, { x: number; y: number; w: number; h: number }>();
    for (const m of svg.matchAll(/id="(\w+)"><rect x="([\d.-]+)" y="([\d.-]+)" width="([\d.]+)" height="([\d.]+)"/g)) {
      boxes.set(m[1], { x: +m[2], y: +m[3], w: +m[4], h: +m[5] });
    }
    expect(boxes.size).toBe(8);
    for (const b of boxes.values()) {
      expect(b.x).toBeGreaterThanOrEqual(0);
      expect(b.y).toBeGreaterThanOrEqual(0);
      expect(b.x + b.w).toBeLessThanOrEqual(W);
      expect(b.y + b.h).toBeLessThanOrEqual(H);
    }
    const list = [...boxes.values()];
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        const a = list[i];
        const b = list[j];
        const overlap = a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
        expect(overlap).toBe(false);
      }
    }
    const outBox = boxes.get('out0')!;
    for (const b of boxes.values()) expect(b.y).toBeLessThanOrEqual(outBox.y);
    for (const m of svg.matchAll(/data-from="(\w+)" data-to="(\w+)" d="M([\d.]+),([\d.]+)[^"]* L([\d.]+),([\d.]+)"/g)) {
      const from = boxes.get(m[1])!;
      const to = boxes.get(m[2])!;
      expect(from.y + from.h).toBeLessThan(to.y); // drawn downwards, toward the output
      expect(+m[4]).toBeCloseTo(from.y + from.h, 0); // starts on the input's bottom side
      expect(+m[6]).toBeCloseTo(to.y, 0); // ends on the consumer's top side
    }
  });

  test('x + x draws two distinct paths', () => {
    const x = tg.tensor([1, 2], { requiresGrad: true });
    const svg = tg.autograd.drawGraph(x.add(x).sum(), null);
    const ds = [...svg.matchAll(/data-from="n2" data-to="n1" d="([^"]+)"/g)].map((m) => m[1]);
    expect(ds.length).toBe(2);
    expect(ds[0]).not.toBe(ds[1]);
  });

  test('long edges are routed through their layers; a deep chain lays out', () => {
    tg.manualSeed(0);
    const w = tg.randn([3, 3], { requiresGrad: true });
    const x = tg.randn(2, 3);
    const h = x.mm(w).tanh().mm(w).tanh();
    const loss = h.sum().add(w.pow(2).sum());
    const svg = tg.autograd.drawGraph(loss, null, { params: { w } });
    checkXml(svg);
    expect(svg).not.toMatch(/NaN|Infinity/);
    const { nodes, edges } = parseDot(tg.autograd.toDot(loss, { params: { w } }));
    expect(count(svg, '<rect')).toBe(nodes.length);
    expect(count(svg, '<path')).toBe(edges.length);
    expect(svg).toMatch(/d="M[\d.,]+( L[\d.,]+){3,}"/); // a polyline through dummy vertices

    let c = tg.tensor([1, 2], { requiresGrad: true });
    for (let i = 0; i < 1500; i++) c = c.mul(1.0001);
    const deep = tg.autograd.drawGraph(c.sum(), null);
    expect(count(deep, '<rect')).toBe(1503);
    expect(deep).not.toMatch(/NaN|Infinity/);
  });

  test('fontSize scales the boxes', () => {
    const { out } = seedGraph();
    const small = tg.autograd.drawGraph(out, null, { fontSize: 10 });
    const big = tg.autograd.drawGraph(out, null, { fontSize: 20 });
    const width = (s: string) => Number(/width="([\d.]+)"/.exec(s)![1]);
    expect(width(big)).toBeGreaterThan(width(small));
  });
});
