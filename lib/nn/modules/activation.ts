/**
 * Every activation of the op library as a module (PyTorch's torch.nn activation layers),
 * plus Softmax / LogSoftmax / Softmin. Each forward is one call of the functional op; the
 * extraRepr strings are PyTorch's.
 */
import { Tensor } from '../../tensor';
import * as F from '../functional';
import { Module } from '../module';
import { pyFloat, pyStr } from './utils';

/** `max(0, x)`; with `inplace` the input is overwritten (relu_). */
export class ReLU extends Module {
  constructor(readonly inplace = false) {
    super();
  }
  override forward(input: Tensor): Tensor {
    return this.inplace ? input.relu_() : input.relu();
  }
  override extraRepr(): string {
    return this.inplace ? 'inplace=True' : '';
  }
}

/** `min(max(0, x), 6)`. */
export class ReLU6 extends Module {
  override forward(input: Tensor): Tensor {
    return input.relu6();
  }
}

/** `x > 0 ? x : negativeSlope * x` (default slope 0.01). */
export class LeakyReLU extends Module {
  constructor(readonly negativeSlope = 0.01) {
    super();
  }
  override forward(input: Tensor): Tensor {
    return input.leakyRelu(this.negativeSlope);
  }
  override extraRepr(): string {
    return `negative_slope=${pyFloat(this.negativeSlope)}`;
  }
}

/** `x > 0 ? x : alpha * (exp(x) - 1)`. */
export class ELU extends Module {
  constructor(readonly alpha = 1) {
    super();
  }
  override forward(input: Tensor): Tensor {
    return input.elu(this.alpha);
  }
  override extraRepr(): string {
    return `alpha=${pyFloat(this.alpha)}`;
  }
}

/** Scaled ELU with PyTorch's fixed alpha and scale. */
export class SELU extends Module {
  override forward(input: Tensor): Tensor {
    return input.selu();
  }
}

/** `max(0, x) + min(0, alpha * (exp(x / alpha) - 1))`. */
export class CELU extends Module {
  constructor(readonly alpha = 1) {
    super();
  }
  override forward(input: Tensor): Tensor {
    return input.celu(this.alpha);
  }
  override extraRepr(): string {
    return `alpha=${pyFloat(this.alpha)}`;
  }
}

/** Gaussian error linear unit; `approximate: 'tanh'` uses the tanh approximation. */
export class GELU extends Module {
  readonly approximate: 'none' | 'tanh';
  constructor(opts: { approximate?: 'none' | 'tanh' } = {}) {
    super();
    this.approximate = opts.approximate ?? 'none';
  }
  override forward(input: Tensor): Tensor {
    return input.gelu({ approximate: this.approximate });
  }
  override extraRepr(): string {
    return `approximate=${pyStr(this.approximate)}`;
  }
}

/** `x * sigmoid(x)`. */
export class SiLU extends Module {
  override forward(input: Tensor): Tensor {
    return input.silu();
  }
}

/** `x * tanh(softplus(x))`. */
export class Mish extends Module {
  override forward(input: Tensor): Tensor {
    return input.mish();
  }
}

/** `log(1 + exp(beta * x)) / beta`, linear above `threshold` (defaults 1 and 20). */
export class Softplus extends Module {
  readonly beta: number;
  readonly threshold: number;
  constructor(opts: { beta?: number; threshold?: number } = {}) {
    super();
    this.beta = opts.beta ?? 1;
    this.threshold = opts.threshold ?? 20;
  }
  override forward(input: Tensor): Tensor {
    return input.softplus({ beta: this.beta, threshold: this.threshold });
  }
  override extraRepr(): string {
    return `beta=${pyFloat(this.beta)}, threshold=${pyFloat(this.threshold)}`;
  }
}

/** `x / (1 + |x|)`. */
export class Softsign extends Module {
  override forward(input: Tensor): Tensor {
    return input.softsign();
  }
}

/** `clamp(x, minVal, maxVal)` (defaults -1 and 1). */
export class Hardtanh extends Module {
  constructor(readonly minVal = -1, readonly maxVal = 1) {
    super();
  }
  override forward(input: Tensor): Tensor {
    return input.hardtanh(this.minVal, this.maxVal);
  }
  override extraRepr(): string {
    return `min_val=${pyFloat(this.minVal)}, max_val=${pyFloat(this.maxVal)}`;
  }
}

/** `relu6(x + 3) / 6`. */
export class Hardsigmoid extends Module {
  override forward(input: Tensor): Tensor {
    return input.hardsigmoid();
  }
}

/** `x * relu6(x + 3) / 6`. */
export class Hardswish extends Module {
  override forward(input: Tensor): Tensor {
    return input.hardswish();
  }
}

/** `1 / (1 + exp(-x))`. */
export class Sigmoid extends Module {
  override forward(input: Tensor): Tensor {
    return input.sigmoid();
  }
}

/** Hyperbolic tangent. */
export class Tanh extends Module {
  override forward(input: Tensor): Tensor {
    return input.tanh();
  }
}

/** `log(sigmoid(x))`. */
export class LogSigmoid extends Module {
  override forward(input: Tensor): Tensor {
    return input.logSigmoid();
  }
}

/** Softmax along `dim`. */
export class Softmax extends Module {
  constructor(readonly dim: number) {
    super();
  }
  override forward(input: Tensor): Tensor {
    return F.softmax(input, this.dim);
  }
  override extraRepr(): string {
    return `dim=${this.dim}`;
  }
}

/** Log-softmax along `dim`. */
export class LogSoftmax extends Module {
  constructor(readonly dim: number) {
    super();
  }
  override forward(input: Tensor): Tensor {
    return F.logSoftmax(input, this.dim);
  }
  override extraRepr(): string {
    return `dim=${this.dim}`;
  }
}

/** Softmin (`softmax(-x)`) along `dim`. */
export class Softmin extends Module {
  constructor(readonly dim: number) {
    super();
  }
  override forward(input: Tensor): Tensor {
    return F.softmin(input, this.dim);
  }
  override extraRepr(): string {
    return `dim=${this.dim}`;
  }
}
