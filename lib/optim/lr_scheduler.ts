/**
 * Learning-rate schedulers (`torch.optim.lr_scheduler`). Each scheduler rewrites the `lr` of
 * its optimizer's parameter groups on `step()`. The formulas are PyTorch's chainable
 * (recursive) ones, evaluated in the same order, so the lr sequences match PyTorch's.
 * The deprecated `step(epoch)` form is not provided.
 */
import { Optimizer, ParamGroup, pyFloat } from './optimizer';
import { ArgumentTypeError, RuntimeError, ValueError } from '../errors';

type AnyOptimizer = Optimizer<object>;
type Group = ParamGroup<Record<string, unknown>>;

/** Python's `a % b` (the result takes b's sign). */
function pyMod(a: number, b: number): number {
  return ((a % b) + b) % b;
}

/** One value per parameter group: a number applies to all, an array must have one per group. */
function perGroup(name: string, optimizer: AnyOptimizer, v: number | number[]): number[] {
  const n = optimizer.paramGroups.length;
  if (Array.isArray(v)) {
    if (v.length !== n) throw new ValueError(`${name} must have the same length as optimizer.param_groups. ${name} has ${v.length} values, param_groups has ${n}.`);
    return [...v];
  }
  return new Array(n).fill(v);
}

/** A scheduler's state: its own fields, without the optimizer. */
export type SchedulerStateDict = Record<string, unknown>;

/**
 * Base class of the epoch-indexed schedulers (PyTorch's `LRScheduler`). The constructor
 * records each group's `initialLr` and performs the first `step()` (lastEpoch 0).
 */
export abstract class LRScheduler {
  /** The optimizer whose groups this scheduler drives. */
  readonly optimizer: AnyOptimizer;
  /** The learning rates the schedule starts from (each group's `initialLr`). */
  baseLrs: number[];
  /** The number of `step()` calls so far minus one (-1 before the constructor's step). */
  lastEpoch: number;
  protected _stepCount = 0;
  protected _lastLr: number[] = [];

  constructor(optimizer: AnyOptimizer, lastEpoch = -1) {
    if (!(optimizer instanceof Optimizer)) throw new ArgumentTypeError(`${typeof optimizer} is not an Optimizer`);
    this.optimizer = optimizer;
    const groups = optimizer.paramGroups as Group[];
    if (lastEpoch === -1) {
      for (const g of groups) if (g.initialLr === undefined) g.initialLr = g.lr;
    } else {
      groups.forEach((g, i) => {
        if (g.initialLr === undefined) {
          throw new RuntimeError(`param 'initial_lr' is not specified in param_groups[${i}] when resuming an optimizer`);
        }
      });
    }
    this.baseLrs = groups.map((g) => g.initialLr as number);
    this.lastEpoch = lastEpoch;
  }

  /** Subclasses call this last in their constructor: PyTorch's `_initial_step`. */
  protected initialStep(): void {
    this._stepCount = 0;
    this.step();
  }

  /** The learning rates for the current `lastEpoch`, from the groups' current ones. */
  protected abstract getLr(): number[];

  /** Advances the schedule by one epoch (or batch) and writes the new lr into every group. */
  step(): void {
    this._stepCount += 1;
    this.lastEpoch += 1;
    const values = this.getLr();
    const groups = this.optimizer.paramGroups as Group[];
    groups.forEach((g, i) => {
      g.lr = values[i];
    });
    this._lastLr = groups.map((g) => g.lr);
  }

  /** The learning rates the last `step()` set, one per group. */
  getLastLr(): number[] {
    return [...this._lastLr];
  }

  /** The scheduler's state (every field but the optimizer and any lr functions). */
  stateDict(): SchedulerStateDict {
    const out: SchedulerStateDict = {};
    for (const [k, v] of Object.entries(this)) {
      if (k === 'optimizer' || typeof v === 'function' || k === 'lrLambdas') continue;
      out[k] = Array.isArray(v) ? structuredClone(v) : v;
    }
    return out;
  }

  /** Restores a state made by `stateDict()`. */
  loadStateDict(state: SchedulerStateDict): void {
    for (const [k, v] of Object.entries(state)) {
      (this as unknown as Record<string, unknown>)[k] = Array.isArray(v) ? structuredClone(v) : v;
    }
  }

  protected groups(): Group[] {
    return this.optimizer.paramGroups as Group[];
  }
}

/** Multiplies each group's lr by `gamma` every `stepSize` epochs. */
export class StepLR extends LRScheduler {
  constructor(optimizer: AnyOptimizer, readonly stepSize: number, readonly gamma = 0.1, lastEpoch = -1) {
    super(optimizer, lastEpoch);
    this.initialStep();
  }
  protected getLr(): number[] {
    if (this.lastEpoch === 0 || this.lastEpoch % this.stepSize !== 0) return this.groups().map((g) => g.lr);
    return this.groups().map((g) => g.lr * this.gamma);
  }
}

/** Multiplies each group's lr by `gamma` at every milestone epoch (repeated milestones compound). */
export class MultiStepLR extends LRScheduler {
  /** Milestone epoch -> how many times it was given. */
  milestones: Record<number, number>;
  constructor(optimizer: AnyOptimizer, milestones: number[], readonly gamma = 0.1, lastEpoch = -1) {
    super(optimizer, lastEpoch);
    this.milestones = {};
    for (const m of milestones) this.milestones[m] = (this.milestones[m] ?? 0) + 1;
    this.initialStep();
  }
  protected getLr(): number[] {
    const count = this.milestones[this.lastEpoch];
    if (count === undefined) return this.groups().map((g) => g.lr);
    return this.groups().map((g) => g.lr * this.gamma ** count);
  }
}

/** Multiplies each group's lr by `gamma` every epoch. */
export class ExponentialLR extends LRScheduler {
  constructor(optimizer: AnyOptimizer, readonly gamma: number, lastEpoch = -1) {
    super(optimizer, lastEpoch);
    this.initialStep();
  }
  protected getLr(): number[] {
    if (this.lastEpoch === 0) return this.groups().map((g) => g.lr);
    return this.groups().map((g) => g.lr * this.gamma);
  }
}

/**
 * Cosine annealing from each base lr to `etaMin` over `tMax` epochs (then back up, as
 * PyTorch's recursive form does past tMax): `etaMin + (base - etaMin) (1 + cos(pi t / tMax)) / 2`.
 */
export class CosineAnnealingLR extends LRScheduler {
  constructor(optimizer: AnyOptimizer, readonly tMax: number, readonly etaMin = 0, lastEpoch = -1) {
    super(optimizer, lastEpoch);
    this.initialStep();
  }
  protected getLr(): number[] {
    const e = this.lastEpoch, T = this.tMax, eta = this.etaMin;
    const groups = this.groups();
    if (e === 0) return groups.map((g) => g.lr);
    if (this._stepCount === 1 && e > 0) {
      return this.baseLrs.map((b) => eta + ((b - eta) * (1 + Math.cos((e * Math.PI) / T))) / 2);
    }
    if (pyMod(e - 1 - T, 2 * T) === 0) {
      return groups.map((g, i) => g.lr + ((this.baseLrs[i] - eta) * (1 - Math.cos(Math.PI / T))) / 2);
    }
    return groups.map(
      (g) => ((1 + Math.cos((Math.PI * e) / T)) / (1 + Math.cos((Math.PI * (e - 1)) / T))) * (g.lr - eta) + eta,
    );
  }
}

/** Scales each lr by a factor moving linearly from `startFactor` to `endFactor` over `totalIters` epochs. */
export class LinearLR extends LRScheduler {
  constructor(optimizer: AnyOptimizer, readonly startFactor = 1 / 3, readonly endFactor = 1.0, readonly totalIters = 5, lastEpoch = -1) {
    if (startFactor > 1.0 || startFactor <= 0) {
      throw new ValueError('Starting multiplicative factor expected to be greater than 0 and less or equal to 1.');
    }
    if (endFactor > 1.0 || endFactor < 0) throw new ValueError('Ending multiplicative factor expected to be between 0 and 1.');
    super(optimizer, lastEpoch);
    this.initialStep();
  }
  protected getLr(): number[] {
    const groups = this.groups();
    if (this.lastEpoch === 0) return groups.map((g) => g.lr * this.startFactor);
    if (this.lastEpoch > this.totalIters) return groups.map((g) => g.lr);
    const d = this.endFactor - this.startFactor;
    return groups.map((g) => g.lr * (1.0 + d / (this.totalIters * this.startFactor + (this.lastEpoch - 1) * d)));
  }
}

/** lr = base lr * `lrLambda(epoch)`; one function for all groups or one per group. */
export class LambdaLR extends LRScheduler {
  readonly lrLambdas: ((epoch: number) => number)[];
  constructor(optimizer: AnyOptimizer, lrLambda: ((epoch: number) => number) | ((epoch: number) => number)[], lastEpoch = -1) {
    const n = optimizer.paramGroups.length;
    if (Array.isArray(lrLambda) && lrLambda.length !== n) throw new ValueError(`Expected ${n} lr_lambdas, but got ${lrLambda.length}`);
    super(optimizer, lastEpoch);
    this.lrLambdas = Array.isArray(lrLambda) ? [...lrLambda] : new Array(n).fill(lrLambda);
    this.initialStep();
  }
  protected getLr(): number[] {
    return this.baseLrs.map((b, i) => b * this.lrLambdas[i](this.lastEpoch));
  }
}

/** Options of {@link OneCycleLR} (PyTorch's, camelCase). */
export interface OneCycleLROptions {
  /** Total number of steps; or give `epochs` and `stepsPerEpoch`. */
  totalSteps?: number;
  epochs?: number;
  stepsPerEpoch?: number;
  /** Fraction of the cycle spent increasing the lr (default 0.3). */
  pctStart?: number;
  /** 'cos' (default) or 'linear'. */
  annealStrategy?: 'cos' | 'linear';
  /** Cycle momentum (or Adam's beta1) inversely to the lr (default true). */
  cycleMomentum?: boolean;
  baseMomentum?: number | number[];
  maxMomentum?: number | number[];
  /** initial lr = maxLr / divFactor (default 25). */
  divFactor?: number;
  /** min lr = initial lr / finalDivFactor (default 1e4). */
  finalDivFactor?: number;
  /** Three phases (up, down to the initial lr, then annihilation) instead of two (default false). */
  threePhase?: boolean;
  lastEpoch?: number;
}

interface Phase {
  endStep: number;
  startLr: string;
  endLr: string;
  startMomentum: string;
  endMomentum: string;
}

/** The 1cycle policy: lr from maxLr/divFactor up to maxLr and down to a minimum, per batch. */
export class OneCycleLR extends LRScheduler {
  totalSteps: number;
  annealStrategy: 'cos' | 'linear';
  cycleMomentum: boolean;
  useBeta1 = false;
  private readonly phases: Phase[];

  constructor(optimizer: AnyOptimizer, maxLr: number | number[], options: OneCycleLROptions = {}) {
    const {
      totalSteps, epochs, stepsPerEpoch, pctStart = 0.3, annealStrategy = 'cos', cycleMomentum = true,
      baseMomentum = 0.85, maxMomentum = 0.95, divFactor = 25, finalDivFactor = 1e4, threePhase = false, lastEpoch = -1,
    } = options;
    let total: number;
    if (totalSteps !== undefined) {
      if (totalSteps <= 0 || !Number.isInteger(totalSteps)) throw new ValueError(`Expected positive integer total_steps, but got ${totalSteps}`);
      total = totalSteps;
    } else if (epochs !== undefined && stepsPerEpoch !== undefined) {
      if (epochs <= 0 || !Number.isInteger(epochs)) throw new ValueError(`Expected positive integer epochs, but got ${epochs}`);
      if (stepsPerEpoch <= 0 || !Number.isInteger(stepsPerEpoch)) {
        throw new ValueError(`Expected positive integer steps_per_epoch, but got ${stepsPerEpoch}`);
      }
      total = epochs * stepsPerEpoch;
    } else {
      throw new ValueError('You must define either total_steps OR (epochs AND steps_per_epoch)');
    }
    if (pctStart < 0 || pctStart > 1 || typeof pctStart !== 'number') {
      throw new ValueError(`Expected float between 0 and 1 pct_start, but got ${pyFloat(pctStart)}`);
    }
    if (annealStrategy !== 'cos' && annealStrategy !== 'linear') {
      throw new ValueError(`anneal_strategy must be one of 'cos' or 'linear', instead got ${annealStrategy}`);
    }
    const maxLrs = perGroup('max_lr', optimizer, maxLr);
    const groups = optimizer.paramGroups as Group[];
    if (lastEpoch === -1) {
      groups.forEach((g, i) => {
        g.initialLr = maxLrs[i] / divFactor;
        g.maxLr = maxLrs[i];
        g.minLr = g.initialLr / finalDivFactor;
      });
    }
    let useBeta1 = false;
    if (cycleMomentum) {
      const d = optimizer.defaults as Record<string, unknown>;
      if (!('momentum' in d) && !('betas' in d)) {
        throw new ValueError('optimizer must support momentum or beta1 with `cycle_momentum` option enabled');
      }
      useBeta1 = 'betas' in d;
      const maxM = perGroup('max_momentum', optimizer, maxMomentum);
      const baseM = perGroup('base_momentum', optimizer, baseMomentum);
      if (lastEpoch === -1) {
        groups.forEach((g, i) => {
          if (useBeta1) g.betas = [maxM[i], (g.betas as number[])[1]];
          else g.momentum = maxM[i];
          g.maxMomentum = maxM[i];
          g.baseMomentum = baseM[i];
        });
      }
    }
    super(optimizer, lastEpoch);
    this.totalSteps = total;
    this.annealStrategy = annealStrategy;
    this.cycleMomentum = cycleMomentum;
    this.useBeta1 = useBeta1;
    this.phases = threePhase
      ? [
          { endStep: pctStart * total - 1, startLr: 'initialLr', endLr: 'maxLr', startMomentum: 'maxMomentum', endMomentum: 'baseMomentum' },
          { endStep: 2 * pctStart * total - 2, startLr: 'maxLr', endLr: 'initialLr', startMomentum: 'baseMomentum', endMomentum: 'maxMomentum' },
          { endStep: total - 1, startLr: 'initialLr', endLr: 'minLr', startMomentum: 'maxMomentum', endMomentum: 'maxMomentum' },
        ]
      : [
          { endStep: pctStart * total - 1, startLr: 'initialLr', endLr: 'maxLr', startMomentum: 'maxMomentum', endMomentum: 'baseMomentum' },
          { endStep: total - 1, startLr: 'maxLr', endLr: 'minLr', startMomentum: 'baseMomentum', endMomentum: 'maxMomentum' },
        ];
    this.initialStep();
  }

  private anneal(start: number, end: number, pct: number): number {
    if (this.annealStrategy === 'cos') return end + ((start - end) / 2.0) * (Math.cos(Math.PI * pct) + 1);
    return (end - start) * pct + start;
  }

  protected getLr(): number[] {
    const stepNum = this.lastEpoch;
    if (stepNum > this.totalSteps) {
      throw new ValueError(`Tried to step ${stepNum} times. The specified number of total steps is ${this.totalSteps}`);
    }
    return this.groups().map((g) => {
      let startStep = 0;
      let lr = 0;
      let momentum = 0;
      for (let i = 0; i < this.phases.length; ++i) {
        const ph = this.phases[i];
        if (stepNum <= ph.endStep || i === this.phases.length - 1) {
          const pct = (stepNum - startStep) / (ph.endStep - startStep);
          lr = this.anneal(g[ph.startLr] as number, g[ph.endLr] as number, pct);
          if (this.cycleMomentum) momentum = this.anneal(g[ph.startMomentum] as number, g[ph.endMomentum] as number, pct);
          break;
        }
        startStep = ph.endStep;
      }
      if (this.cycleMomentum) {
        if (this.useBeta1) g.betas = [momentum, (g.betas as number[])[1]];
        else g.momentum = momentum;
      }
      return lr;
    });
  }
}

/** Options of {@link ReduceLROnPlateau} (PyTorch's, camelCase). */
export interface ReduceLROnPlateauOptions {
  /** 'min' (default): reduce when the metric stops decreasing; 'max': stops increasing. */
  mode?: 'min' | 'max';
  /** lr *= factor on a plateau (default 0.1, must be < 1). */
  factor?: number;
  /** Epochs without improvement tolerated before reducing (default 10). */
  patience?: number;
  /** Minimum change that counts as an improvement (default 1e-4). */
  threshold?: number;
  /** 'rel' (default): relative to the best; 'abs': absolute. */
  thresholdMode?: 'rel' | 'abs';
  /** Epochs to wait after a reduction before counting again (default 0). */
  cooldown?: number;
  /** Lower bound on the lr, one for all groups or one per group (default 0). */
  minLr?: number | number[];
  /** Reductions smaller than eps are skipped (default 1e-8). */
  eps?: number;
}

/** Reduces the lr when a metric has stopped improving; `step(metric)` once per epoch. */
export class ReduceLROnPlateau {
  readonly optimizer: AnyOptimizer;
  mode: 'min' | 'max';
  factor: number;
  patience: number;
  threshold: number;
  thresholdMode: 'rel' | 'abs';
  cooldown: number;
  minLrs: number[];
  eps: number;
  lastEpoch = 0;
  best = Infinity;
  numBadEpochs = 0;
  cooldownCounter = 0;
  modeWorse = Infinity;
  protected _lastLr: number[];

  constructor(optimizer: AnyOptimizer, options: ReduceLROnPlateauOptions = {}) {
    const { mode = 'min', factor = 0.1, patience = 10, threshold = 1e-4, thresholdMode = 'rel', cooldown = 0, minLr = 0, eps = 1e-8 } = options;
    if (factor >= 1.0) throw new ValueError('Factor should be < 1.0.');
    this.optimizer = optimizer;
    const n = optimizer.paramGroups.length;
    if (Array.isArray(minLr)) {
      if (minLr.length !== n) throw new ValueError(`expected ${n} min_lrs, got ${minLr.length}`);
      this.minLrs = [...minLr];
    } else {
      this.minLrs = new Array(n).fill(minLr);
    }
    if (mode !== 'min' && mode !== 'max') throw new ValueError(`mode ${mode} is unknown!`);
    if (thresholdMode !== 'rel' && thresholdMode !== 'abs') throw new ValueError(`threshold mode ${thresholdMode} is unknown!`);
    this.mode = mode;
    this.factor = factor;
    this.patience = patience;
    this.threshold = threshold;
    this.thresholdMode = thresholdMode;
    this.cooldown = cooldown;
    this.eps = eps;
    this.modeWorse = mode === 'min' ? Infinity : -Infinity;
    this._lastLr = optimizer.paramGroups.map((g) => g.lr);
    this.reset();
  }

  private reset(): void {
    this.best = this.modeWorse;
    this.cooldownCounter = 0;
    this.numBadEpochs = 0;
  }

  /** Whether `a` improves on `best` under the mode and threshold. */
  isBetter(a: number, best: number): boolean {
    if (this.mode === 'min' && this.thresholdMode === 'rel') return a < best * (1 - this.threshold);
    if (this.mode === 'min') return a < best - this.threshold;
    if (this.thresholdMode === 'rel') return a > best * (this.threshold + 1);
    return a > best + this.threshold;
  }

  /** Whether a reduction happened within the last `cooldown` epochs. */
  get inCooldown(): boolean {
    return this.cooldownCounter > 0;
  }

  /** Records this epoch's metric and reduces the lr after `patience` epochs without improvement. */
  step(metric: number | { item(): number | boolean }): void {
    const current = typeof metric === 'number' ? metric : Number(metric.item());
    this.lastEpoch += 1;
    if (this.isBetter(current, this.best)) {
      this.best = current;
      this.numBadEpochs = 0;
    } else {
      this.numBadEpochs += 1;
    }
    if (this.inCooldown) {
      this.cooldownCounter -= 1;
      this.numBadEpochs = 0;
    }
    if (this.numBadEpochs > this.patience) {
      this.optimizer.paramGroups.forEach((g, i) => {
        const old = g.lr;
        const next = Math.max(old * this.factor, this.minLrs[i]);
        if (old - next > this.eps) g.lr = next;
      });
      this.cooldownCounter = this.cooldown;
      this.numBadEpochs = 0;
    }
    this._lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }

  /** The learning rates after the last `step()`, one per group. */
  getLastLr(): number[] {
    return [...this._lastLr];
  }

  /** The scheduler's state (every field but the optimizer). */
  stateDict(): SchedulerStateDict {
    const out: SchedulerStateDict = {};
    for (const [k, v] of Object.entries(this)) if (k !== 'optimizer') out[k] = Array.isArray(v) ? [...v] : v;
    return out;
  }

  /** Restores a state made by `stateDict()`. */
  loadStateDict(state: SchedulerStateDict): void {
    for (const [k, v] of Object.entries(state)) (this as unknown as Record<string, unknown>)[k] = Array.isArray(v) ? [...v] : v;
  }
}
