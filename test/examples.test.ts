/**
 * The seed-document examples (examples/seed00*.ts) print what the documents print: run each
 * example's main with a capturing logger and check the printed text and numbers.
 */
import { main as seed000 } from '../examples/seed000_autograd_basics';
import { main as seed001 } from '../examples/seed001_pytorch_autograd_engine';
import { main as seed002 } from '../examples/seed002_autograd_notebook';
import { main as seed003 } from '../examples/seed003_introducing_torch_autograd';
import { main as seed004 } from '../examples/seed004_two_layer_net';
import { main as demo } from '../examples/demo';
import { rNum } from '../examples/util';

type Main = (log: (...args: unknown[]) => void) => void;

/** Runs an example and returns what it printed, one entry per log call. */
function capture(main: Main): string[] {
  const lines: string[] = [];
  main((...args: unknown[]) => {
    lines.push(args.map(String).join(' '));
  });
  return lines;
}

/** The numbers in a printed tensor, without its gradFn / requiresGrad / dtype suffixes. */
function numbersIn(printed: string): number[] {
  const body = printed.replace(/gradFn=<[^>]*>|requiresGrad=true|dtype=\w+/g, '');
  return (body.match(/-?(?:inf|nan)|-?\d+(?:\.\d*)?(?:e[+-]?\d+)?/g) ?? []).map((s) => (s.endsWith('inf') ? Number(s.replace('inf', 'Infinity')) : Number(s)));
}

function expectAllClose(values: number[], expected: number, count: number, rtol = 1e-5): void {
  expect(values).toHaveLength(count);
  for (const v of values) expect(Math.abs(v - expected)).toBeLessThanOrEqual(rtol * Math.abs(expected));
}

// Printed forms of the gradients of the "digging deeper" example (seeds 000 and 003).
const Z_GRAD = 'tensor([[0.2500, 0.2500],\n        [0.2500, 0.2500]])';
const Y_GRAD = 'tensor([[4.6500, 4.6500],\n        [4.6500, 4.6500]])';
const X2_GRAD = 'tensor([18.6000])';
const X1_GRAD = 'tensor([[14.4150, 14.4150],\n        [14.4150, 14.4150]])';

// out.grad_fn, then next_functions of each node down to x2's AccumulateGrad, R-list style.
// (R's MulBackward1 / AddBackward1 are MulBackward0 / AddBackward0 in PyTorch 2.x.)
const GRAPH_WALK = [
  'MeanBackward0',
  '[[1]]', 'MulBackward0',
  '[[1]]', 'PowBackward0', '[[2]]', 'NULL',
  '[[1]]', 'MulBackward0',
  '[[1]]', 'torch::autograd::AccumulateGrad', '[[2]]', 'AddBackward0',
  '[[1]]', 'torch::autograd::AccumulateGrad', '[[2]]', 'NULL',
];

/** Checks the autograd-basics part shared by seeds 000 and 003; returns the remaining lines. */
function checkAutogradBasics(lines: string[]): string[] {
  // y$grad_fn, x$grad
  expect(lines[0]).toBe('MeanBackward0');
  expect(lines[1]).toBe(Z_GRAD);
  expectAllClose(numbersIn(lines[1]), 0.25, 4);

  // the graph walk from out$grad_fn
  expect(lines.slice(2, 2 + GRAPH_WALK.length)).toEqual(GRAPH_WALK);

  // z$grad, y$grad, x2$grad, x1$grad
  const [z, y, x2, x1] = lines.slice(2 + GRAPH_WALK.length, 6 + GRAPH_WALK.length);
  expectAllClose(numbersIn(z), 0.25, 4);
  expectAllClose(numbersIn(y), 4.65, 4);
  expectAllClose(numbersIn(x2), 18.6, 1);
  expectAllClose(numbersIn(x1), 14.415, 4);
  expect(z).toBe(Z_GRAD);
  expect(y).toBe(Y_GRAD);
  expect(x2).toBe(X2_GRAD);
  expect(x1).toBe(X1_GRAD);
  return lines.slice(6 + GRAPH_WALK.length);
}

/** Checks the 200-epoch training loop of seeds 000 / 003: printed every 10 epochs, loss falls. */
function checkTrainingLoop(lines: string[]): void {
  expect(lines).toHaveLength(20);
  const epochs: number[] = [];
  const losses: number[] = [];
  for (const line of lines) {
    const m = /^Epoch: {2}(\d+) +Loss: {2}(\S+)$/.exec(line);
    expect(m).not.toBeNull();
    epochs.push(Number(m![1]));
    losses.push(Number(m![2]));
  }
  expect(epochs).toEqual(Array.from({ length: 20 }, (_, i) => 10 * (i + 1)));
  for (const l of losses) expect(Number.isFinite(l)).toBe(true);
  for (let i = 1; i < losses.length; i++) expect(losses[i]).toBeLessThan(losses[i - 1]);
  expect(losses[losses.length - 1]).toBeLessThan(0.5 * losses[0]);
}

describe('seed 000: autograd basics (R)', () => {
  const lines = capture(seed000);

  test('gradients, graph walk and their printed form', () => {
    const rest = checkAutogradBasics(lines);
    checkTrainingLoop(rest);
  });
});

describe('seed 001: PyTorch autograd engine', () => {
  const lines = capture(seed001);

  test('torch.Tensor(3, 5) prints a 3x5 tensor (of uninitialised values, maybe nan/inf)', () => {
    expect(lines[0]).toMatch(/^tensor\(\[\[/);
    expect(numbersIn(lines[0])).toHaveLength(15);
  });

  test('grad_fn of a leaf and of d', () => {
    expect(lines).toContain('The grad fn for a is None');
    expect(lines).toContain('The grad fn for d is <AddBackward0>');
    expect(lines).toContain('a.isLeaf: True, d.isLeaf: False');
  });

  test("the article's representative backward agrees with the engine", () => {
    const toy = lines.filter((l) => l.startsWith('toy '));
    expect(toy).toHaveLength(3);
    for (const l of toy) {
      const m = /^toy (\w)\.grad = (\S+), tensorgrad \w\.grad\[0\]\[0\] = (\S+)$/.exec(l);
      expect(m).not.toBeNull();
      expect(Number(m![2])).toBe(Number(m![3]));
    }
    expect(toy[2]).toBe('toy d.grad = -1, tensorgrad d.grad[0][0] = -1');
  });

  test('backward on a non-scalar output is an error', () => {
    expect(lines).toContain('RuntimeError: grad can be implicitly created only for scalar outputs');
  });

  test('backward twice through a freed graph is an error', () => {
    expect(lines.some((l) => l.startsWith('RuntimeError: Trying to backward through the graph a second time'))).toBe(true);
  });

  test('L.sum() and L.backward(ones) give the same gradient; retainGraph accumulates; noGrad records nothing', () => {
    expect(lines).toContain('same w1.grad as with L.sum(): True');
    expect(lines).toContain('b.gradFn: <MulBackward0> (a.gradFn: None)');
    expect(lines).toContain('after a second backward w1.grad is twice the first: True');
    expect(lines).toContain('inside noGrad: b.requiresGrad = False, b.gradFn = None');
    expect(lines.some((l) => l === 'no error')).toBe(false);
  });
});

describe('seed 002: autograd notebook', () => {
  const lines = capture(seed002);

  test('prints what the notebook prints', () => {
    expect(lines.slice(0, 14)).toEqual([
      'tensor([[1., 1.],\n        [1., 1.]], requiresGrad=true)',
      'tensor([[3., 3.],\n        [3., 3.]], gradFn=<AddBackward0>)',
      'tensor([[27., 27.],\n        [27., 27.]], gradFn=<MulBackward0>)',
      'tensor(27., gradFn=<MeanBackward0>)',
      'tensor([[4.5000, 4.5000],\n        [4.5000, 4.5000]])',
      'None',
      'tensor([[18., 18.],\n        [18., 18.]])',
      'tensor([[36., 36.],\n        [36., 36.]])',
      'tensor([[18., 18.],\n        [18., 18.]])',
      'True',
      'False',
      'False',
      'Step 0: x[0]=0.6000000238418579, x[1]=-0.4000000059604645',
      'Step 1: x[0]=1.0800000429153442, x[1]=-0.7200000286102295',
    ]);
    expectAllClose(numbersIn(lines[4]), 4.5, 4);
    expectAllClose(numbersIn(lines[6]), 18, 4);
    expectAllClose(numbersIn(lines[7]), 36, 4);
    expectAllClose(numbersIn(lines[8]), 18, 4);
  });

  test('gradient descent toward (3, -2) prints the same float32 steps as PyTorch', () => {
    expect(lines.slice(12)).toEqual([
      'Step 0: x[0]=0.6000000238418579, x[1]=-0.4000000059604645',
      'Step 1: x[0]=1.0800000429153442, x[1]=-0.7200000286102295',
      'Step 2: x[0]=1.4639999866485596, x[1]=-0.9760000705718994',
      'Step 3: x[0]=1.7711999416351318, x[1]=-1.1808000802993774',
      'Step 4: x[0]=2.0169599056243896, x[1]=-1.3446400165557861',
      'Step 5: x[0]=2.2135679721832275, x[1]=-1.4757120609283447',
      'Step 6: x[0]=2.370854377746582, x[1]=-1.5805696249008179',
      'Step 7: x[0]=2.4966835975646973, x[1]=-1.6644556522369385',
      'Step 8: x[0]=2.597346782684326, x[1]=-1.7315645217895508',
      'Step 9: x[0]=2.677877426147461, x[1]=-1.7852516174316406',
      'Step 10: x[0]=2.7423019409179688, x[1]=-1.8282012939453125',
      'Step 11: x[0]=2.793841600418091, x[1]=-1.8625609874725342',
      'Step 12: x[0]=2.835073232650757, x[1]=-1.8900487422943115',
      'Step 13: x[0]=2.868058681488037, x[1]=-1.912039041519165',
      'Step 14: x[0]=2.894446849822998, x[1]=-1.929631233215332',
    ]);
  });
});

describe('seed 003: introducing torch autograd (R)', () => {
  const lines = capture(seed003);

  test('gradients, graph walk, and a converging training loop', () => {
    const rest = checkAutogradBasics(lines);
    checkTrainingLoop(rest);
  });
});

/** Parses `Step: t : loss` lines; checks steps 1, 100..500 and that the loss collapses. */
function checkTwoLayerNet(lines: string[]): void {
  const steps: number[] = [];
  const losses: number[] = [];
  for (const line of lines) {
    const m = /^Step: (\d+) : (\S+)$/.exec(line);
    expect(m).not.toBeNull();
    steps.push(Number(m![1]));
    losses.push(Number(m![2]));
  }
  expect(steps).toEqual([1, 100, 200, 300, 400, 500]);
  for (const l of losses) expect(Number.isFinite(l)).toBe(true);
  for (let i = 1; i < losses.length; i++) expect(losses[i]).toBeLessThan(losses[i - 1]);
  expect(losses[0]).toBeGreaterThan(1e5); // random init: ~3e7 in the vignette
  expect(losses[5]).toBeLessThan(1e-3 * losses[0]);
  expect(losses[5]).toBeLessThan(1); // the vignette ends at 0.0001272913
}

describe('seed 004: two-layer network with autograd (R)', () => {
  test('the loss falls by orders of magnitude', () => {
    checkTwoLayerNet(capture(seed004));
  });
});

describe('demo', () => {
  test('runs the seed-004 network', () => {
    const lines = capture(demo);
    checkTwoLayerNet(lines.filter((l) => l.startsWith('Step:')));
  });
});

describe("R's number printing (examples/util.ts rNum)", () => {
  test.each([
    [30390018, '30390018'],
    [576.8492123, '576.8492'],
    [3.614999, '3.614999'],
    [0.04254073, '0.04254073'],
    [0.00102863, '0.00102863'],
    [0.0001272913, '0.0001272913'],
    [1234567890123, '1.234568e+12'],
    [0.25, '0.25'],
    [2, '2'],
  ])('%p prints as %s', (x, s) => {
    expect(rNum(x)).toBe(s);
  });
});
