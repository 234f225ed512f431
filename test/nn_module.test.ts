/**
 * nn.Module and nn.Parameter against PyTorch (test/fixtures/modules.json, made by
 * scripts/fixtures_modules.py): registration order and dotted names, state-dict keys,
 * loadStateDict's error text, printing, train/eval, zeroGrad, apply, conversion, calling.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as tg from '../lib';
import { Tensor } from '../lib';
import { errorOf } from './helpers/check';

import nn = tg.nn;
const fx = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'modules.json'), 'utf8'));

// The fixture script's models, written the same way here.
class MLP extends nn.Module {
  fc1 = new nn.Linear(4, 8);
  act = new nn.ReLU();
  fc2 = new nn.Linear(8, 3, { bias: false });
  declare steps: Tensor;
  constructor() {
    super();
    this.registerBuffer('steps', tg.zeros([]));
    this.registerBuffer('scratch', tg.zeros(2), false);
  }
  override forward(x: Tensor): Tensor {
    return this.fc2.call(this.act.call(this.fc1.call(x)));
  }
}

class Net extends nn.Module {
  embed: nn.Embedding;
  body: nn.Sequential;
  heads: nn.ModuleList;
  norm: nn.LayerNorm;
  extra: nn.ModuleDict;
  constructor() {
    super();
    this.embed = new nn.Embedding(10, 4, { paddingIdx: 0 });
    this.body = new nn.Sequential(new nn.Linear(4, 4), new nn.GELU({ approximate: 'tanh' }), new nn.Dropout(0.1), new MLP());
    this.heads = new nn.ModuleList([new nn.Linear(3, 2), new nn.Linear(3, 2), new nn.Linear(3, 2), new nn.Tanh()]);
    this.norm = new nn.LayerNorm(3);
    this.extra = new nn.ModuleDict({ a: new nn.Identity(), b: new nn.Bilinear(2, 3, 4) });
  }
}

const models = (): Record<string, tg.nn.Module> => ({
  linear: new nn.Linear(4, 3),
  'linear nobias': new nn.Linear(4, 3, { bias: false }),
  mlp: new MLP(),
  net: new Net(),
  'sequential named': new nn.Sequential({ fc: new nn.Linear(2, 2), act: new nn.Sigmoid() }),
  'empty modulelist': new nn.ModuleList(),
});

describe('registration and traversal match PyTorch', () => {
  const ms = models();
  test.each(Object.keys(ms))('%s', (k) => {
    const m = ms[k];
    expect(m.namedParameters().map(([n, p]) => [n, p.shape])).toEqual(fx.namedParams[k]);
    expect(m.namedBuffers().map(([n]) => n)).toEqual(fx.namedBuffers[k]);
    expect(m.namedModules().map(([n, mod]) => [n, mod.constructor.name])).toEqual(fx.namedModules[k]);
    expect(Object.keys(m.stateDict())).toEqual(fx.stateKeys[k]);
    expect(m.parameters().reduce((s, p) => s + p.numel(), 0)).toBe(fx.paramCounts[k]);
    expect(m.toString()).toBe(fx.reprs[k]);
  });

  test('children, modules and parameters are the registered objects, each once', () => {
    const shared = new nn.Linear(2, 2);
    const seq = new nn.Sequential(shared, new nn.ReLU(), shared);
    expect(seq.parameters()).toEqual([shared.weight, shared.bias]);
    expect(seq.parameters()[0]).toBe(shared.weight);
    expect(seq.children().length).toBe(2);
    expect(seq.modules().length).toBe(3);
    // the state dict lists a shared module under every path, as PyTorch does
    expect(Object.keys(seq.stateDict())).toEqual(['0.weight', '0.bias', '2.weight', '2.bias']);
    expect(seq.parameters(false)).toEqual([]);
    expect(new MLP().namedParameters('model', true).map(([n]) => n)[0]).toBe('model.fc1.weight');
  });

  test('assigning replaces a registration; null keeps a placeholder', () => {
    const m = new MLP();
    const p = new nn.Parameter(tg.ones(3));
    (m as unknown as Record<string, unknown>).extraParam = p;
    expect(m.namedParameters().map(([n]) => n)).toContain('extraParam');
    m.fc2 = new nn.Linear(8, 5);
    expect(m.namedParameters().map(([n]) => n)).toEqual(['extraParam', 'fc1.weight', 'fc1.bias', 'fc2.weight', 'fc2.bias'].sort((a, b) => order(a) - order(b)));
    (m.fc1 as nn.Linear).bias = null;
    expect(Object.keys(m.stateDict())).not.toContain('fc1.bias');
    expect(m.fc1._parameters.has('bias')).toBe(true);
    delete (m as unknown as Record<string, unknown>).act;
    expect(m.children().map((c) => c.constructor.name)).toEqual(['Linear', 'Linear']);
    function order(n: string): number {
      return ['extraParam', 'fc1.weight', 'fc1.bias', 'fc2.weight', 'fc2.bias'].indexOf(n);
    }
  });

  test('bad registrations throw PyTorch errors', () => {
    const lin = new nn.Linear(2, 2);
    const e1 = errorOf(() => ((lin as unknown as Record<string, unknown>).weight = tg.ones(2, 2)));
    expect(e1.message).toBe("cannot assign 'torch.FloatTensor' as parameter 'weight' (torch.nn.Parameter or None expected)");
    const seq = new nn.Sequential(new nn.ReLU());
    expect(errorOf(() => ((seq as unknown as Record<string, unknown>)['0'] = 3)).message).toBe(
      "cannot assign 'int' as child module '0' (torch.nn.Module or None expected)",
    );
    expect(errorOf(() => lin.registerBuffer('a.b', tg.ones(1))).message).toBe('buffer name can\'t contain "."');
    expect(errorOf(() => lin.registerParameter('', null)).message).toBe('parameter name can\'t be empty string ""');
    expect(errorOf(() => lin.registerBuffer('weight', tg.ones(1))).message).toBe("attribute 'weight' already exists");
    expect(errorOf(() => lin.registerParameter('p', tg.ones(1) as never)).name).toBe('ArgumentTypeError');
    expect(errorOf(() => new nn.Module().call()).message).toBe('Module [Module] is missing the required "forward" function');
  });

  test('getSubmodule and getParameter follow dotted paths', () => {
    const net = new Net();
    expect(net.getSubmodule('body.3.fc2')).toBe(((net.body[3] as MLP).fc2));
    expect(net.getParameter('body.0.weight')).toBe((net.body[0] as nn.Linear).weight);
    expect(errorOf(() => net.getSubmodule('body.9')).name).toBe('ValueError');
  });
});

describe('Parameter', () => {
  test('aliases the data, requires grad, and is the wrapper native code returns', () => {
    const t = tg.tensor([1, 2, 3]);
    const p = new nn.Parameter(t);
    expect(p).toBeInstanceOf(nn.Parameter);
    expect(p).toBeInstanceOf(Tensor);
    expect(p.requiresGrad).toBe(true);
    expect(p.isLeaf).toBe(true);
    expect(t.requiresGrad).toBe(false);
    t.mul_(2); // shares storage and version counter
    expect(p.toArray()).toEqual([2, 4, 6]);
    const y = p.mul(3).sum();
    expect(y.gradFn!.nextFunctions[0][0]!.nextFunctions[0][0]!.variable).toBe(p);
    y.backward();
    expect(p.grad!.toArray()).toEqual([3, 3, 3]);
    expect(new nn.Parameter(tg.ones(2), false).requiresGrad).toBe(false);
    expect(p.toString()).toBe('Parameter containing:\ntensor([2., 4., 6.], requiresGrad=true)');
  });

  test('outlives a tidy scope it was created in (its module owns it)', () => {
    const lin = tg.tidy(() => new nn.Linear(2, 2));
    expect(lin.weight.isDisposed).toBe(false);
    expect(lin.call(tg.ones(1, 2)).shape).toEqual([1, 2]);
  });
});

describe('loadStateDict', () => {
  const errs = fx.loadErrors;
  const src = (): Record<string, Tensor> => new MLP().stateDict();

  test('round-trips values into the same parameter objects', () => {
    const a = new MLP(), b = new MLP();
    const w = b.fc1.weight;
    b.loadStateDict(a.stateDict());
    expect(b.fc1.weight).toBe(w);
    expect(b.fc1.weight.toArray()).toEqual(a.fc1.weight.toArray());
    expect(b.fc1.weight.requiresGrad).toBe(true);
    expect(b.fc1.weight.gradFn).toBeNull();
    // stateDict values are detached aliases of the parameters
    const sd = a.stateDict();
    expect(sd['fc1.weight'].requiresGrad).toBe(false);
    sd['fc1.weight'].fill_(0.5);
    expect(a.fc1.weight.toArray()).toEqual(sd['fc1.weight'].toArray());
    expect(a.stateDict({ keepVars: true })['fc1.weight']).toBe(a.fc1.weight);
  });

  test('missing, unexpected and size-mismatch errors have PyTorch text', () => {
    const m = new MLP();
    const missing = src();
    delete missing['fc1.bias'];
    const e1 = errorOf(() => m.loadStateDict(missing));
    expect(e1.name).toBe(errs.missing.type);
    expect(e1.message).toBe(errs.missing.message);
    const extra = { ...src(), 'fc3.weight': tg.zeros(1), 'fc1.foo': tg.zeros(1) };
    expect(errorOf(() => m.loadStateDict(extra)).message).toBe(errs.unexpected.message);
    const both: Record<string, Tensor> = { ...missing, bogus: tg.zeros(1) };
    expect(errorOf(() => m.loadStateDict(both)).message).toBe(errs.both.message);
    const wrong = { ...src(), 'fc2.weight': tg.zeros(3, 7) };
    expect(errorOf(() => m.loadStateDict(wrong)).message).toBe(errs.size.message);
    expect(errorOf(() => m.loadStateDict(wrong, { strict: false })).message).toBe(errs['size lenient'].message);
    expect(m.loadStateDict(both, { strict: false })).toEqual(errs.lenient);
    expect(m.loadStateDict(new Map(Object.entries(src())))).toEqual({ missingKeys: [], unexpectedKeys: [] });
  });

  test('loads into float64 parameters with conversion, without recording', () => {
    const m = new MLP().double();
    m.loadStateDict(new MLP().stateDict());
    expect(m.fc1.weight.dtype).toBe('float64');
    expect(m.fc1.weight.version).toBeGreaterThan(0);
  });
});

describe('modes, gradients and apply', () => {
  test('train/eval set the flag on every module', () => {
    const net = new Net();
    expect(net.modules().every((m) => m.training)).toBe(true);
    expect(net.eval()).toBe(net);
    expect(net.modules().every((m) => !m.training)).toBe(true);
    net.train();
    expect(net.body.at(2).training).toBe(true);
    net.body.train(false);
    expect(net.training).toBe(true);
    expect(net.body.at(-1).training).toBe(false);
    expect(errorOf(() => net.train(1 as never)).message).toBe('training mode is expected to be boolean');
  });

  test('zeroGrad sets grads to null, or zeros them in place', () => {
    const m = new MLP();
    m.call(tg.ones(2, 4)).sum().backward();
    expect(m.parameters().every((p) => p.grad !== null)).toBe(true);
    const g = m.fc1.weight.grad!;
    m.zeroGrad({ setToNone: false });
    expect(m.fc1.weight.grad).toBe(g);
    expect(g.abs().sum().item()).toBe(0);
    m.zeroGrad();
    expect(m.parameters().every((p) => p.grad === null)).toBe(true);
  });

  test('requiresGrad_ freezes every parameter', () => {
    const m = new MLP().requiresGrad_(false);
    expect(m.parameters().some((p) => p.requiresGrad)).toBe(false);
  });

  test('apply visits children first, then the module', () => {
    const seen: string[] = [];
    const m = new MLP();
    expect(m.apply((mod) => seen.push(mod.constructor.name))).toBe(m);
    expect(seen).toEqual(['Linear', 'ReLU', 'Linear', 'MLP']);
    m.apply((mod) => {
      if (mod instanceof nn.Linear) nn.init.zeros_(mod.weight);
    });
    expect(m.fc2.weight.abs().sum().item()).toBe(0);
  });

  test('to(dtype) / double() / float() convert parameters, buffers and grads', () => {
    const m = new MLP();
    m.call(tg.ones(1, 4)).sum().backward();
    const before = m.fc1.weight.toArray() as number[][];
    const w = m.fc1.weight, g = w.grad!, steps = m.steps;
    expect(m.double()).toBe(m);
    // parameters and grads are converted in place (the same objects); buffers are replaced
    expect(m.fc1.weight).toBe(w);
    expect(w.grad).toBe(g);
    expect(g.dtype).toBe('float64');
    expect(m.steps).not.toBe(steps);
    expect(m.namedBuffers().map(([, b]) => b)[0]).toBe(m.steps);
    // a backward after the conversion accumulates float64 grads into the same objects
    m.zeroGrad();
    m.call(tg.ones(2, 4, { dtype: 'float64' })).sum().backward();
    expect(w.grad!.dtype).toBe('float64');
    expect(w.grad!.shape).toEqual([8, 4]);
    expect(m.parameters().every((p) => p.dtype === 'float64' && p instanceof nn.Parameter && p.requiresGrad)).toBe(true);
    expect(m.buffers().every((b) => b.dtype === 'float64')).toBe(true);
    expect(m.fc1.weight.grad!.dtype).toBe('float64');
    expect(m.fc1.weight.toArray()).toEqual(before);
    expect(m.getParameter('fc1.weight')).toBe(m.fc1.weight);
    expect(m.call(tg.ones(1, 4, { dtype: 'float64' })).dtype).toBe('float64');
    m.float();
    expect(m.fc2.weight.dtype).toBe('float32');
    expect(errorOf(() => m.to('int64')).name).toBe('ArgumentTypeError');
  });
});

describe('calling', () => {
  test('call runs forward with hooks; callable() makes a function that is still the module', () => {
    const lin = new nn.Linear(3, 2);
    const x = tg.ones(4, 3);
    const y: Tensor = lin.call(x);
    expect(y.shape).toEqual([4, 2]);
    const f = nn.callable(lin);
    expect(f(x).toArray()).toEqual(y.toArray());
    expect(f).toBeInstanceOf(nn.Linear);
    expect(f.weight).toBe(lin.weight);
    expect(f.parameters().length).toBe(2);
    const seq = new nn.Sequential(f, new nn.ReLU());
    expect(seq.call(x).shape).toEqual([4, 2]);

    const calls: string[] = [];
    const h1 = lin.registerForwardPreHook((_m, args) => {
      calls.push('pre');
      return [(args[0] as Tensor).mul(0)];
    });
    const h2 = lin.registerForwardHook((_m, _a, out) => {
      calls.push('post');
      return (out as Tensor).add(1);
    });
    const z = lin.call(x);
    expect(calls).toEqual(['pre', 'post']);
    expect(z.toArray()).toEqual(lin.bias!.add(1).expand(4, 2).toArray());
    h1.remove();
    h2.remove();
    expect(lin.call(x).toArray()).toEqual(y.toArray());
  });
});
