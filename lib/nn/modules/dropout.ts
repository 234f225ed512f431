/** Dropout layers: active in training mode, the identity in eval mode. */
import { ValueError } from '../../errors';
import { Tensor } from '../../tensor';
import * as F from '../functional';
import { Module } from '../module';
import { pyBool, pyFloat } from './utils';

/** Base of the dropout layers: probability p (default 0.5). */
export class DropoutBase extends Module {
  constructor(readonly p = 0.5, readonly inplace = false) {
    super();
    if (!(p >= 0 && p <= 1)) throw new ValueError(`dropout probability has to be between 0 and 1, but got ${p}`);
  }
  override extraRepr(): string {
    return `p=${pyFloat(this.p)}, inplace=${pyBool(this.inplace)}`;
  }
}

/** Zeroes elements with probability p and scales the rest by 1/(1-p), in training mode only. */
export class Dropout extends DropoutBase {
  override forward(input: Tensor): Tensor {
    const out = F.dropout(input, { p: this.p, training: this.training });
    return this.inplace && out !== input ? input.copy_(out) : out;
  }
}

/** Alpha dropout (keeps SELU's mean and variance), in training mode only. */
export class AlphaDropout extends DropoutBase {
  override forward(input: Tensor): Tensor {
    const out = F.alphaDropout(input, { p: this.p, training: this.training });
    return this.inplace && out !== input ? input.copy_(out) : out;
  }
}
