/**
 * The layer modules against PyTorch (test/fixtures/modules.json, made by
 * scripts/fixtures_modules.py): printed forms, forward values and gradients of inputs and
 * parameters with weights loaded from the fixture (float64), the containers' list and dict
 * behaviour, Embedding's padding row, Dropout's training flag, and a small training loop.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as tg from '../lib';
import { Tensor } from '../lib';
import { errorOf } from './helpers/check';
import { closeTo } from './helpers/make';
import nn = tg.nn;

const fx = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'modules.json'), 'utf8'));

const REPRS: Record<string, () => nn.Module> = {
  Identity: () => new nn.Identity(),
  Bilinear: () => new nn.Bilinear(2, 3, 4, { bias: false }),
  LayerNorm: () => new nn.LayerNorm([2, 3], { eps: 1e-6, elementwiseAffine: false }),
  'LayerNorm default': () => new nn.LayerNorm(5),
  Embedding: () => new nn.Embedding(7, 2),
  'Embedding pad': () => new nn.Embedding(7, 2, { paddingIdx: -1 }),
  Dropout: () => new nn.Dropout(),
  AlphaDropout: () => new nn.AlphaDropout(0.25),
  Flatten: () => new nn.Flatten(),
  Unflatten: () => new nn.Unflatten(1, [2, 5]),
  ReLU: () => new nn.ReLU(),
  'ReLU inplace': () => new nn.ReLU(true),
  ReLU6: () => new nn.ReLU6(),
  LeakyReLU: () => new nn.LeakyReLU(),
  'LeakyReLU 0.2': () => new nn.LeakyReLU(0.2),
  ELU: () => new nn.ELU(),
  SELU: () => new nn.SELU(),
  CELU: () => new nn.CELU(0.5),
  GELU: () => new nn.GELU(),
  'GELU tanh': () => new nn.GELU({ approximate: 'tanh' }),
  SiLU: () => new nn.SiLU(),
  Mish: () => new nn.Mish(),
  Softplus: () => new nn.Softplus(),
  Softsign: () => new nn.Softsign(),
  Hardtanh: () => new nn.Hardtanh(),
  'Hardtanh -0.5 6.5': () => new nn.Hardtanh(-0.5, 6.5),
  Hardsigmoid: () => new nn.Hardsigmoid(),
  Hardswish: () => new nn.Hardswish(),
  Sigmoid: () => new nn.Sigmoid(),
  Tanh: () => new nn.Tanh(),
  LogSigmoid: () => new nn.LogSigmoid(),
  Softmax: () => new nn.Softmax(1),
  LogSoftmax: () => new nn.LogSoftmax(-1),
  Softmin: () => new nn.Softmin(0),
  MSELoss: () => new nn.MSELoss(),
  CrossEntropyLoss: () => new nn.CrossEntropyLoss(),
  CosineSimilarity: () => new nn.CosineSimilarity(),
  PairwiseDistance: () => new nn.PairwiseDistance(),
  KLDivLoss: () => new nn.KLDivLoss(),
};

test.each(Object.keys(fx.layerReprs))('printing %s as PyTorch', (k) => {
  expect(REPRS[k]).toBeDefined();
  expect(REPRS[k]().toString()).toBe(fx.layerReprs[k]);
});

const f64 = (d: unknown): Tensor => tg.tensor(d as number[], { dtype: 'float64' });

interface LayerCase {
  name: string;
  params: Record<string, unknown>;
  inputs: { data: unknown; dtype: 'float64' | 'int64' }[];
  out: unknown;
  R: unknown;
  inputGrads: (unknown | null)[];
  paramGrads: Record<string, unknown>;
  gradFn: string | null;
}

const LAYERS: Record<string, (c: LayerCase) => nn.Module> = {
  Linear: () => new nn.Linear(4, 3),
  'Linear batched nobias': () => new nn.Linear(3, 2, { bias: false }),
  Bilinear: () => new nn.Bilinear(2, 3, 4),
  LayerNorm: () => new nn.LayerNorm(3),
  'Embedding pad': () => new nn.Embedding(5, 3, { paddingIdx: 1 }),
  'Sequential MLP': () => new nn.Sequential(new nn.Linear(3, 4), new nn.Tanh(), new nn.Linear(4, 2)),
  ReLU: () => new nn.ReLU(),
  ReLU6: () => new nn.ReLU6(),
  LeakyReLU: () => new nn.LeakyReLU(0.2),
  ELU: () => new nn.ELU(0.7),
  SELU: () => new nn.SELU(),
  CELU: () => new nn.CELU(1.3),
  GELU: () => new nn.GELU(),
  'GELU tanh': () => new nn.GELU({ approximate: 'tanh' }),
  SiLU: () => new nn.SiLU(),
  Mish: () => new nn.Mish(),
  Softplus: () => new nn.Softplus({ beta: 2, threshold: 5 }),
  Softsign: () => new nn.Softsign(),
  Hardtanh: () => new nn.Hardtanh(-0.5, 2),
  Hardsigmoid: () => new nn.Hardsigmoid(),
  Hardswish: () => new nn.Hardswish(),
  Sigmoid: () => new nn.Sigmoid(),
  Tanh: () => new nn.Tanh(),
  LogSigmoid: () => new nn.LogSigmoid(),
  Softmax: () => new nn.Softmax(1),
  LogSoftmax: () => new nn.LogSoftmax(0),
  Softmin: () => new nn.Softmin(-1),
  Flatten: () => new nn.Flatten(0),
  Unflatten: () => new nn.Unflatten(1, [5, 1]),
  Identity: () => new nn.Identity(),
  MSELoss: () => new nn.MSELoss(),
  'L1Loss sum': () => new nn.L1Loss({ reduction: 'sum' }),
  SmoothL1Loss: () => new nn.SmoothL1Loss({ beta: 0.5 }),
  HuberLoss: () => new nn.HuberLoss({ delta: 0.7 }),
  CrossEntropyLoss: () => new nn.CrossEntropyLoss({ weight: fixtureW3(), labelSmoothing: 0.1 }),
  NLLLoss: () => new nn.NLLLoss({ ignoreIndex: 0 }),
  BCELoss: () => new nn.BCELoss(),
  BCEWithLogitsLoss: () => new nn.BCEWithLogitsLoss({ posWeight: fixtureW3() }),
  KLDivLoss: () => new nn.KLDivLoss({ reduction: 'batchmean' }),
  MarginRankingLoss: () => new nn.MarginRankingLoss({ margin: 0.3 }),
  CosineSimilarity: () => new nn.CosineSimilarity({ dim: 1 }),
  PairwiseDistance: () => new nn.PairwiseDistance({ p: 3 }),
};

// Differences of the functional ops (not of the modules), left to their owners:
const GRADFN_DIFFERS: Record<string, string> = {
  // F.linear of a 3-D input ends in a view: PyTorch's is an _unsafe_view (UnsafeViewBackward0).
  'Linear batched nobias': 'ViewBackward0',
  // F.pairwiseDistance is a composition ending in pow; PyTorch's norm is one op (NormBackward1).
  PairwiseDistance: 'PowBackward0',
};
// PyTorch's float64 backward kernels of these use float32 constants (1/6 in hardsigmoid, 1/alpha
// in celu), so its gradients differ from the exact value in the 8th digit.
const GRAD_TOL: Record<string, number> = { Hardsigmoid: 1e-7, CELU: 1e-7 };

function fixtureW3(): Tensor {
  return f64(fx.w3);
}

describe('layers forward and backward match PyTorch (float64, fixture weights)', () => {
  test.each((fx.layers as LayerCase[]).map((c) => [c.name, c]))('%s', (_n, c) => {
    const make = LAYERS[c.name];
    expect(make).toBeDefined();
    const m = make(c).double();
    tg.noGrad(() => {
      for (const [k, v] of Object.entries(c.params)) m.getParameter(k).copy_(f64(v));
    });
    const xs = c.inputs.map((inp) =>
      inp.dtype === 'int64' ? tg.tensor(inp.data as number[], { dtype: 'int64' }) : f64(inp.data).requiresGrad_(),
    );
    const out = (m.call as (...a: Tensor[]) => Tensor)(...xs);
    closeTo(out.toArray(), c.out, 1e-10);
    if (!(c.name in GRADFN_DIFFERS)) expect(out.gradFn?.name ?? null).toBe(c.gradFn);
    out.mul(f64(c.R)).sum().backward();
    c.inputGrads.forEach((g, i) => {
      if (g !== null) closeTo(xs[i].grad!.toArray(), g, GRAD_TOL[c.name] ?? 1e-10);
    });
    const pg = Object.fromEntries(m.namedParameters().map(([k, p]) => [k, p.grad?.toArray()]));
    for (const [k, g] of Object.entries(c.paramGrads)) closeTo(pg[k], g, 1e-10);
  });
});

test('loss weights are buffers under PyTorch keys', () => {
  expect(Object.keys(new nn.CrossEntropyLoss({ weight: tg.ones(3) }).stateDict())).toEqual(fx.lossStateKeys['CrossEntropyLoss weight']);
  expect(Object.keys(new nn.BCEWithLogitsLoss({ weight: tg.ones(3), posWeight: tg.ones(3) }).stateDict())).toEqual(fx.lossStateKeys.BCEWithLogitsLoss);
  expect(Object.keys(new nn.MSELoss().stateDict())).toEqual(fx.lossStateKeys.MSELoss);
});

describe('default initialisation', () => {
  test('Linear: U(-1/sqrt(in), 1/sqrt(in)) for weight and bias', () => {
    tg.manualSeed(1);
    const lin = new nn.Linear(100, 64);
    const bound = fx.initStats['linear weight bound'];
    for (const p of [lin.weight, lin.bias!]) {
      expect(p.abs().max().item()).toBeLessThanOrEqual(bound);
      expect(p.abs().max().item()).toBeGreaterThan(bound * 0.9);
    }
    // uniform on [-b, b]: std = b / sqrt(3)
    expect(Math.abs((lin.weight.std().item() as number) - bound / Math.sqrt(3))).toBeLessThan(0.03 * bound);
  });

  test('LayerNorm ones/zeros; Embedding N(0, 1) with a zero padding row', () => {
    const ln = new nn.LayerNorm([2, 3]);
    expect(ln.weight!.toArray()).toEqual([[1, 1, 1], [1, 1, 1]]);
    expect(ln.bias!.toArray()).toEqual([[0, 0, 0], [0, 0, 0]]);
    tg.manualSeed(2);
    const e = new nn.Embedding(2000, 8, { paddingIdx: 3 });
    expect(e.weight.index(3).abs().sum().item()).toBe(0);
    expect(Math.abs(e.weight.mean().item() as number)).toBeLessThan(0.03);
    expect(Math.abs((e.weight.std().item() as number) - 1)).toBeLessThan(0.03);
  });

  test('Embedding: padding row gets no gradient; fromPretrained is frozen', () => {
    const e = new nn.Embedding(4, 2, { paddingIdx: 0 });
    e.call(tg.tensor([[0, 1], [0, 3]], { dtype: 'int64' })).sum().backward();
    expect(e.weight.grad!.toArray()).toEqual([[0, 0], [1, 1], [0, 0], [1, 1]]);
    const pre = nn.Embedding.fromPretrained(tg.tensor([[1, 2], [3, 4]]));
    expect(pre.weight.requiresGrad).toBe(false);
    expect(pre.call(tg.tensor([1], { dtype: 'int64' })).toArray()).toEqual([[3, 4]]);
    expect(errorOf(() => new nn.Embedding(3, 2, { paddingIdx: 3 })).message).toBe('Padding_idx must be within num_embeddings');
  });
});

describe('Dropout follows the training flag', () => {
  test('drops and rescales in training, identity in eval', () => {
    tg.manualSeed(3);
    const d = new nn.Dropout(0.25);
    const x = tg.ones(4000);
    const y = d.call(x);
    const zeros = 4000 - (y.ne(0).sum().item() as number);
    expect(Math.abs(zeros / 4000 - 0.25)).toBeLessThan(0.03);
    closeTo(y.max().item(), 1 / 0.75, 1e-6);
    d.eval();
    expect(d.call(x)).toBe(x);
    const a = new nn.AlphaDropout(0.2).eval();
    expect(a.call(x)).toBe(x);
    expect(errorOf(() => new nn.Dropout(1.5)).message).toBe('dropout probability has to be between 0 and 1, but got 1.5');
  });
});

describe('containers', () => {
  test('Sequential: indexing, length, append, insert, pop, slice, iteration', () => {
    const a = new nn.Linear(2, 3), b = new nn.ReLU(), c = new nn.Linear(3, 1);
    const s = new nn.Sequential(a, b);
    expect(s.length).toBe(2);
    expect(s[0]).toBe(a);
    expect(s.at(-1)).toBe(b);
    s.append(c);
    expect([...s]).toEqual([a, b, c]);
    expect(s.call(tg.ones(5, 2)).shape).toEqual([5, 1]);
    const t = s.slice(1);
    expect(t).toBeInstanceOf(nn.Sequential);
    expect(Object.keys(t.stateDict())).toEqual(['2.weight', '2.bias']);
    s.insert(1, new nn.Tanh());
    expect(s.children().map((m) => m.constructor.name)).toEqual(['Linear', 'Tanh', 'ReLU', 'Linear']);
    expect(Object.keys(s.stateDict())).toEqual(['0.weight', '0.bias', '3.weight', '3.bias']);
    expect(s.pop(1)).toBeInstanceOf(nn.Tanh);
    expect(Object.keys(s.stateDict())).toEqual(['0.weight', '0.bias', '2.weight', '2.bias']);
    expect(errorOf(() => s.at(3)).name).toBe('IndexError');
  });

  test('ModuleList and ModuleDict', () => {
    const l = new nn.ModuleList([new nn.Linear(1, 1)]);
    l.append(new nn.ReLU()).extend([new nn.Tanh()]);
    expect(l.length).toBe(3);
    expect(l[2]).toBeInstanceOf(nn.Tanh);
    expect(errorOf(() => l.call()).name).toBe('NotImplementedError');
    const d = new nn.ModuleDict({ enc: new nn.Linear(2, 2) });
    d.set('dec', new nn.Linear(2, 1));
    expect(d.keys()).toEqual(['enc', 'dec']);
    expect(d.has('dec')).toBe(true);
    expect(d.get('enc')).toBeInstanceOf(nn.Linear);
    expect(Object.keys(d.stateDict())).toEqual(['enc.weight', 'enc.bias', 'dec.weight', 'dec.bias']);
    d.pop('enc');
    expect(d.size).toBe(1);
    expect(errorOf(() => d.set('keys', new nn.ReLU())).message).toBe("attribute 'keys' already exists");
  });
});

test('a tiny training loop: the loss falls', () => {
  tg.manualSeed(0);
  const model = new nn.Sequential(new nn.Linear(2, 16), new nn.Tanh(), new nn.Linear(16, 1));
  const x = tg.rand(64, 2).mul(2).sub(1);
  const y = x.index(':', '0:1').mul(x.index(':', '1:2')); // target x0 * x1
  const lossFn = new nn.MSELoss();
  const losses: number[] = [];
  for (let step = 0; step < 300; step++) {
    model.zeroGrad();
    const loss = lossFn.call(model.call(x), y);
    loss.backward();
    nn.utils.clipGradNorm_(model.parameters(), 5);
    tg.noGrad(() => {
      for (const p of model.parameters()) p.sub_(p.grad!.mul(0.2));
    });
    losses.push(loss.item() as number);
  }
  expect(losses[losses.length - 1]).toBeLessThan(losses[0] * 0.3);
});

test('gradcheck / gradgradcheck through float64 modules, w.r.t. input and parameters', () => {
  tg.manualSeed(5);
  const model = new nn.Sequential(new nn.Linear(3, 4), new nn.GELU(), new nn.LayerNorm(4), new nn.Linear(4, 2)).double();
  const x = tg.randn([5, 3], { dtype: 'float64' }).requiresGrad_();
  expect(tg.gradcheck((xx: Tensor) => model.call(xx), [x])).toBe(true);
  expect(tg.gradgradcheck((xx: Tensor) => model.call(xx), [x])).toBe(true);
  // The same network with its parameters as explicit inputs, so they are checked too.
  const [l1, , ln, l2] = [...model] as [nn.Linear, nn.Module, nn.LayerNorm, nn.Linear];
  const F = tg.nn.functional;
  const f = (xx: Tensor, w1: Tensor, b1: Tensor, g: Tensor, w2: Tensor): Tensor =>
    F.linear(F.layerNorm(F.linear(xx, w1, b1).gelu(), [4], g, ln.bias, 1e-5), w2, l2.bias);
  const ps = [l1.weight, l1.bias!, ln.weight!, l2.weight] as [Tensor, Tensor, Tensor, Tensor];
  closeTo(f(x, ...ps).toArray(), model.call(x).toArray(), 1e-14);
  expect(tg.gradcheck(f as never, [x, ...ps])).toBe(true);
  expect(tg.gradgradcheck(f as never, [x, ...ps])).toBe(true);
});
