/**
 * The training loop shared by examples/fashion_mnist_mlp.ts and examples/fashion_mnist_cnn.ts:
 * command-line options, Fashion-MNIST loading, epochs of Adam steps (the learning rate halved
 * after each epoch) with a live progress bar, test accuracy, and checkpoints (`--save` /
 * `--resume`) holding the model's, the optimizer's and the scheduler's state.
 *
 * Memory stays bounded: each step runs in `tg.tidy`, which frees the step's activations,
 * gradients' temporaries and the batch; parameters, gradients and optimizer state are made
 * outside any scope (or by the optimizer outside it) and live on.
 */
import * as fs from 'fs';
import * as tg from '../lib';
import { Log } from './util';

const { nn, optim, data } = tg;

/** Options of a training run; every field has a command-line flag and an environment variable. */
export interface TrainOptions {
  /** Passes over the training set (`--epochs`, `TG_EPOCHS`; default 3). */
  epochs: number;
  /** Images per step (`--batch-size`, `TG_BATCH_SIZE`; default 64). */
  batchSize: number;
  /** Train on the first N training images only (`--limit`, `TG_LIMIT`; default all 60000). */
  limit: number | null;
  /** Evaluate on the first N test images only (`--test-limit`, `TG_TEST_LIMIT`; default all 10000). */
  testLimit: number | null;
  /** CPU threads (`--threads`, `TG_THREADS`; default: tensorgrad's default, the core count). */
  threads: number | null;
  /** Adam's learning rate in the first epoch (`--lr`, `TG_LR`; default 1e-3). */
  lr: number;
  /** Factor on the learning rate after every epoch, an ExponentialLR (`--lr-decay`, `TG_LR_DECAY`; default 0.5; 1 keeps it constant). */
  lrDecay: number;
  /** Seed of the initial weights and the shuffling (`--seed`, `TG_SEED`; default 0). */
  seed: number;
  /** Write a checkpoint here after the last epoch (`--save`, `TG_SAVE`; default none). */
  save: string | null;
  /** Start from this checkpoint: model, optimizer and epoch count (`--resume`, `TG_RESUME`). */
  resume: string | null;
  /** Directory of the Fashion-MNIST IDX files (`--data`, `TG_DATA`). */
  root: string;
  /** Show the live progress bar (`--no-progress` turns it off). */
  progress: boolean;
}

/** The defaults of a run. */
export const DEFAULT_OPTIONS: TrainOptions = {
  epochs: 3,
  batchSize: 64,
  limit: null,
  testLimit: null,
  threads: null,
  lr: 1e-3,
  lrDecay: 0.5,
  seed: 0,
  save: null,
  resume: null,
  root: data.FASHION_MNIST_ROOT,
  progress: true,
};

const FLAGS: Record<string, keyof TrainOptions> = {
  '--epochs': 'epochs',
  '--batch-size': 'batchSize',
  '--limit': 'limit',
  '--test-limit': 'testLimit',
  '--threads': 'threads',
  '--lr': 'lr',
  '--lr-decay': 'lrDecay',
  '--seed': 'seed',
  '--save': 'save',
  '--resume': 'resume',
  '--data': 'root',
};
const STRINGS = new Set<keyof TrainOptions>(['save', 'resume', 'root']);

function envName(key: string): string {
  return 'TG_' + key.replace(/[A-Z]/g, (c) => '_' + c).toUpperCase();
}

function parseValue(flag: string, key: keyof TrainOptions, raw: string): string | number {
  if (STRINGS.has(key)) return raw;
  const v = Number(raw);
  const integer = key !== 'lr' && key !== 'lrDecay';
  if (raw.trim() === '' || !Number.isFinite(v) || (integer && (!Number.isInteger(v) || v < 0)) || (!integer && v <= 0)) {
    throw new tg.ValueError(`${flag}: expected a ${integer ? 'non-negative integer' : 'positive number'}, got '${raw}'`);
  }
  return v;
}

/**
 * Reads the options from `argv` (`--epochs 3` or `--epochs=3`) over the `TG_*` environment
 * variables over the defaults. Unknown flags throw.
 */
export function parseOptions(argv: string[] = process.argv.slice(2), env: NodeJS.ProcessEnv = process.env): TrainOptions {
  const o: Record<string, unknown> = { ...DEFAULT_OPTIONS };
  for (const key of Object.values(FLAGS)) {
    const raw = env[envName(key)];
    if (raw !== undefined && raw !== '') o[key] = parseValue(envName(key), key, raw);
  }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--no-progress') {
      o.progress = false;
      continue;
    }
    const eq = arg.indexOf('=');
    const flag = eq >= 0 ? arg.slice(0, eq) : arg;
    const key = FLAGS[flag];
    if (key === undefined) throw new tg.ValueError(`unknown option '${arg}' (known: ${Object.keys(FLAGS).join(', ')}, --no-progress)`);
    const raw = eq >= 0 ? arg.slice(eq + 1) : argv[++i];
    if (raw === undefined) throw new tg.ValueError(`${flag}: missing value`);
    o[key] = parseValue(flag, key, raw);
  }
  const opts = o as unknown as TrainOptions;
  if (opts.batchSize < 1) throw new tg.ValueError('--batch-size: must be at least 1');
  if (opts.limit === 0 || opts.testLimit === 0) throw new tg.ValueError('--limit / --test-limit: must be at least 1');
  return opts;
}

/** Mean and standard deviation of the training images' pixels (torchvision's usual Normalize values). */
export const FASHION_MNIST_MEAN = 0.286;
export const FASHION_MNIST_STD = 0.353;

/**
 * The first `n` samples of a Fashion-MNIST split (all when `n` is null), images normalised to
 * zero mean and unit variance as torchvision's `Normalize((0.286,), (0.353,))` does.
 */
function prepare(ds: tg.data.TensorDataset, n: number | null): tg.data.TensorDataset {
  const [images, labels] = ds.tensors;
  const count = n === null ? ds.length : Math.min(n, ds.length);
  const [x, y] = tg.tidy(() => [images.narrow(0, 0, count).sub(FASHION_MNIST_MEAN).div(FASHION_MNIST_STD), labels.narrow(0, 0, count).clone()]);
  images.dispose();
  labels.dispose();
  return new data.TensorDataset(x, y);
}

/** Fraction of `loader`'s samples whose arg-max logit is the label, computed in eval mode without grad. */
export function evaluate(model: tg.nn.Module, loader: Iterable<tg.Tensor[]>): number {
  let correct = 0;
  let total = 0;
  model.eval();
  tg.noGrad(() => {
    for (const [x, y] of loader) {
      tg.tidy(() => {
        const pred = (model.call(x) as tg.Tensor).argmax(1);
        correct += pred.eq(y).sum().item() as number;
        total += y.shape[0];
      });
      x.dispose();
      y.dispose();
    }
  });
  model.train();
  return total === 0 ? NaN : correct / total;
}

/** One epoch's record. */
export interface EpochResult {
  epoch: number;
  /** Mean training loss over the epoch's steps. */
  trainLoss: number;
  /** Test accuracy after the epoch, in [0, 1]. */
  testAccuracy: number;
  /** Seconds of the training pass (evaluation excluded). */
  trainSeconds: number;
  /** Seconds of the evaluation pass. */
  evalSeconds: number;
  /** Resident set size after the epoch, in MiB. */
  rssMiB: number;
  /** Native tensors alive after the epoch (`tg.memoryStats().liveTensors`). */
  liveTensors: number;
}

/** What a run returns. */
export interface TrainResult {
  model: tg.nn.Module;
  optimizer: tg.optim.Adam;
  scheduler: tg.optim.lrScheduler.ExponentialLR;
  /** The epochs run by this call (numbered from the resumed epoch on). */
  epochs: EpochResult[];
  /** The training loss of every step, in order. */
  stepLosses: number[];
}

/** The checkpoint a run writes: `tg.save({ model, optimizer, scheduler, epoch })`. */
export interface Checkpoint {
  model: tg.nn.StateDict;
  optimizer: tg.optim.OptimizerStateDict;
  scheduler: tg.optim.lrScheduler.SchedulerStateDict;
  epoch: number;
}

/**
 * Trains `makeModel()` on Fashion-MNIST with Adam and cross-entropy, printing each epoch's
 * time, mean training loss and test accuracy; `--resume` loads a checkpoint first and
 * `--save` writes one at the end.
 */
export function train(name: string, makeModel: () => tg.nn.Module, opts: TrainOptions, log: Log = console.log): TrainResult {
  if (opts.threads !== null) tg.setNumThreads(opts.threads);
  const t0 = performance.now();
  const trainSet = prepare(data.loadFashionMNIST(opts.root, { train: true }), opts.limit);
  const testSet = prepare(data.loadFashionMNIST(opts.root, { train: false }), opts.testLimit);
  log(
    `${name}: Fashion-MNIST ${trainSet.length} train / ${testSet.length} test images (loaded in ${((performance.now() - t0) / 1000).toFixed(1)} s), ` +
      `batch ${opts.batchSize}, Adam lr ${opts.lr} x ${opts.lrDecay} per epoch, ${tg.getNumThreads()} thread(s)`,
  );

  tg.manualSeed(opts.seed);
  const model = makeModel();
  const optimizer = new optim.Adam(model.parameters(), { lr: opts.lr });
  const scheduler = new optim.lrScheduler.ExponentialLR(optimizer, opts.lrDecay);
  const lossFn = new nn.CrossEntropyLoss();
  let startEpoch = 0;
  if (opts.resume !== null) {
    const ckpt = tg.load(opts.resume) as unknown as Checkpoint;
    model.loadStateDict(ckpt.model);
    optimizer.loadStateDict(ckpt.optimizer);
    scheduler.loadStateDict(ckpt.scheduler);
    startEpoch = ckpt.epoch;
    log(`resumed from ${opts.resume} after epoch ${startEpoch}`);
  }

  const generator = new data.Generator().manualSeed(opts.seed);
  // A resumed run shuffles as the uninterrupted run would: move the generator past the
  // epochs already trained, drawing what each full DataLoader epoch draws (one 64-bit base
  // seed and two permutations: Note [Generator and PyTorch's order] in lib/data/generator.ts).
  for (let e = 0; e < startEpoch; e++) {
    generator.random64();
    generator.randperm(trainSet.length);
    generator.randperm(trainSet.length);
  }
  const trainLoader = new data.DataLoader(trainSet, { batchSize: opts.batchSize, shuffle: true, generator });
  const testLoader = new data.DataLoader(testSet, { batchSize: 1000 });
  const epochs: EpochResult[] = [];
  const stepLosses: number[] = [];

  for (let epoch = startEpoch + 1; epoch <= startEpoch + opts.epochs; epoch++) {
    const start = performance.now();
    let sum = 0;
    let steps = 0;
    const bar = new tg.ProgressBar({ total: trainLoader.length, desc: `epoch ${epoch}`, stream: opts.progress ? process.stderr : { write: () => true } });
    for (const [x, y] of trainLoader) {
      const loss = tg.tidy(() => {
        const l = lossFn.call(model.call(x) as tg.Tensor, y);
        optimizer.zeroGrad();
        l.backward();
        optimizer.step();
        return l.item() as number;
      });
      x.dispose();
      y.dispose();
      sum += loss;
      steps++;
      stepLosses.push(loss);
      bar.setPostfix({ loss: sum / steps, rss: `${Math.round(process.memoryUsage.rss() / 2 ** 20)}M` });
      bar.update();
    }
    bar.close();
    scheduler.step();
    const trainSeconds = (performance.now() - start) / 1000;
    const evalStart = performance.now();
    const testAccuracy = evaluate(model, testLoader);
    const evalSeconds = (performance.now() - evalStart) / 1000;
    const rssMiB = process.memoryUsage().rss / 2 ** 20;
    const r: EpochResult = { epoch, trainLoss: sum / steps, testAccuracy, trainSeconds, evalSeconds, rssMiB, liveTensors: tg.memoryStats().liveTensors };
    epochs.push(r);
    log(
      `epoch ${epoch}: train ${trainSeconds.toFixed(1)} s (${((trainSeconds / steps) * 1000).toFixed(2)} ms/step), ` +
        `train loss ${r.trainLoss.toFixed(4)}, test accuracy ${(testAccuracy * 100).toFixed(2)}% (eval ${evalSeconds.toFixed(1)} s), rss ${rssMiB.toFixed(0)} MiB`,
    );
  }

  if (opts.save !== null) {
    const ckpt: Checkpoint = { model: model.stateDict(), optimizer: optimizer.stateDict(), scheduler: scheduler.stateDict(), epoch: startEpoch + opts.epochs };
    tg.save(ckpt as unknown as Record<string, unknown>, opts.save);
    log(`saved checkpoint (epoch ${ckpt.epoch}) to ${opts.save}`);
  }
  return { model, optimizer, scheduler, epochs, stepLosses };
}

/** Whether the Fashion-MNIST files are present under `root`. */
export function haveFashionMNIST(root: string = data.FASHION_MNIST_ROOT): boolean {
  return ['train-images-idx3-ubyte', 't10k-images-idx3-ubyte'].every((f) => fs.existsSync(`${root}/${f}.gz`) || fs.existsSync(`${root}/${f}`));
}

/** Runs `train` from the command line, reporting bad options as one line and exit code 2. */
export function cli(name: string, makeModel: () => tg.nn.Module): void {
  let opts: TrainOptions;
  try {
    opts = parseOptions();
  } catch (e) {
    console.error(e instanceof Error ? e.message : String(e));
    process.exitCode = 2;
    return;
  }
  train(name, makeModel, opts);
}
