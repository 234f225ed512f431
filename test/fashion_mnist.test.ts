/**
 * The Fashion-MNIST training examples on a small slice of the data: the loss falls, accuracy
 * is far above chance (10%), and a checkpoint written with `--save` restores model and
 * optimizer exactly, so that a resumed run continues as the uninterrupted one. Skipped when
 * the dataset (Debian's dataset-fashion-mnist, installed by .ci/run) is absent.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tg from '../lib';
import { makeMLP } from '../examples/fashion_mnist_mlp';
import { makeCNN } from '../examples/fashion_mnist_cnn';
import { Checkpoint, DEFAULT_OPTIONS, TrainOptions, haveFashionMNIST, parseOptions, train } from '../examples/fashion_mnist_train';

const have = haveFashionMNIST();
const describeData = have ? describe : describe.skip;
if (!have) console.warn('fashion_mnist.test: /usr/share/datasets/fashion-mnist absent (apt-get install dataset-fashion-mnist); training tests skipped');

const quiet = (): void => undefined;
const small = (o: Partial<TrainOptions> = {}): TrainOptions => ({ ...DEFAULT_OPTIONS, epochs: 1, limit: 2000, testLimit: 2000, progress: false, ...o });
const mean = (v: number[]): number => v.reduce((a, b) => a + b, 0) / v.length;

describe('parseOptions', () => {
  test('flags override TG_* variables, which override the defaults', () => {
    const o = parseOptions(['--epochs', '5', '--batch-size=32', '--limit', '100', '--save', 'a.safetensors', '--no-progress'], { TG_EPOCHS: '2', TG_THREADS: '1', TG_LR: '0.01' });
    expect(o).toMatchObject({ epochs: 5, batchSize: 32, limit: 100, threads: 1, lr: 0.01, save: 'a.safetensors', resume: null, progress: false });
    expect(parseOptions([], {})).toEqual(DEFAULT_OPTIONS);
  });

  test('bad options throw ValueError naming the flag', () => {
    const bad: [string[], RegExp][] = [
      [['--epochs', 'x'], /--epochs: expected a non-negative integer, got 'x'/],
      [['--batch-size', '0'], /--batch-size: must be at least 1/],
      [['--limit', '1.5'], /--limit: expected a non-negative integer/],
      [['--lr', '-1'], /--lr: expected a positive number/],
      [['--epochs'], /--epochs: missing value/],
      [['--bogus'], /unknown option '--bogus'/],
    ];
    for (const [argv, msg] of bad) {
      let err: unknown;
      try {
        parseOptions(argv, {});
      } catch (e) {
        err = e;
      }
      expect((err as Error).name).toBe('ValueError');
      expect((err as Error).message).toMatch(msg);
    }
  });
});

describeData('Fashion-MNIST training on 2000 images', () => {
  test('MLP: one epoch, the loss falls and test accuracy beats chance clearly', () => {
    const r = train('mlp', makeMLP, small(), quiet);
    expect(r.stepLosses).toHaveLength(Math.ceil(2000 / 64));
    expect(r.stepLosses[0]).toBeGreaterThan(2); // ~ln(10) = 2.30 at the start
    expect(mean(r.stepLosses.slice(-8))).toBeLessThan(0.5 * mean(r.stepLosses.slice(0, 4)));
    expect(r.epochs).toHaveLength(1);
    expect(r.epochs[0].testAccuracy).toBeGreaterThan(0.6);
  });

  test('CNN: one epoch, the loss falls and test accuracy beats chance clearly', () => {
    const r = train('cnn', makeCNN, small({ testLimit: 1000 }), quiet);
    expect(r.stepLosses[0]).toBeGreaterThan(2);
    expect(mean(r.stepLosses.slice(-8))).toBeLessThan(0.6 * mean(r.stepLosses.slice(0, 4)));
    expect(r.epochs[0].testAccuracy).toBeGreaterThan(0.5);
  });

  test('memory stays bounded: the tensors alive are the same after every epoch', () => {
    const r = train('mlp', makeMLP, small({ epochs: 3, limit: 640, testLimit: 200 }), quiet);
    // Everything a step or the evaluation makes is freed by its tidy scope; what lives on is
    // the data, the model, its gradients and Adam's two buffers per parameter.
    expect(r.epochs.map((e) => e.liveTensors)).toEqual([r.epochs[0].liveTensors, r.epochs[0].liveTensors, r.epochs[0].liveTensors]);
  });
});

describeData('checkpoints', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tg-fmnist-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('--save writes model, optimizer and scheduler state and epoch; loading restores them exactly', () => {
    const file = path.join(dir, 'mlp.safetensors');
    const r = train('mlp', makeMLP, small({ limit: 500, testLimit: 100, save: file }), quiet);
    const ckpt = tg.load(file) as unknown as Checkpoint;
    expect(ckpt.epoch).toBe(1);

    const model = makeMLP();
    model.loadStateDict(ckpt.model);
    const opt = new tg.optim.Adam(model.parameters(), { lr: 1e-3 });
    const sched = new tg.optim.lrScheduler.ExponentialLR(opt, 0.5);
    opt.loadStateDict(ckpt.optimizer);
    sched.loadStateDict(ckpt.scheduler);
    expect(sched.stateDict()).toEqual(r.scheduler.stateDict());
    expect(opt.paramGroups[0].lr).toBe(5e-4); // halved after the epoch

    const want = r.model.stateDict();
    const got = model.stateDict();
    expect(Object.keys(got)).toEqual(Object.keys(want));
    for (const k of Object.keys(want)) expect(tg.equal(got[k], want[k])).toBe(true);

    const a = r.optimizer.stateDict();
    const b = opt.stateDict();
    expect(b.paramGroups).toEqual(a.paramGroups);
    expect(Object.keys(b.state)).toEqual(Object.keys(a.state));
    for (const [i, st] of Object.entries(a.state)) {
      const other = b.state[Number(i)];
      expect(Object.keys(other)).toEqual(Object.keys(st));
      for (const [k, v] of Object.entries(st)) {
        if (v instanceof tg.Tensor) expect(tg.equal(other[k] as tg.Tensor, v)).toBe(true);
        else expect(other[k]).toEqual(v);
      }
    }
  });

  test('--resume continues as the uninterrupted run: 1 + 1 epochs equal 2 epochs', () => {
    const file = path.join(dir, 'half.safetensors');
    const straight = train('mlp', makeMLP, small({ epochs: 2, limit: 320, testLimit: 100 }), quiet);
    train('mlp', makeMLP, small({ epochs: 1, limit: 320, testLimit: 100, save: file }), quiet);
    const resumed = train('mlp', makeMLP, small({ epochs: 1, limit: 320, testLimit: 100, resume: file }), quiet);

    expect(resumed.epochs.map((e) => e.epoch)).toEqual([2]);
    expect(resumed.stepLosses).toEqual(straight.stepLosses.slice(5));
    const want = straight.model.stateDict();
    const got = resumed.model.stateDict();
    for (const k of Object.keys(want)) expect(tg.equal(got[k], want[k])).toBe(true);
    expect(resumed.epochs[0].testAccuracy).toBe(straight.epochs[1].testAccuracy);
  });
});
