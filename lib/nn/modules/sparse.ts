/** Embedding: a lookup table of learnable rows. */
import { noGrad } from '../../autograd/grad_mode';
import { empty } from '../../creation';
import { ArgumentTypeError, ValueError } from '../../errors';
import { Tensor } from '../../tensor';
import * as F from '../functional';
import * as init from '../init';
import { Module } from '../module';
import { Parameter } from '../parameter';
import { FactoryOptions } from './linear';

/**
 * Rows of `weight` ([numEmbeddings, embeddingDim], drawn from N(0, 1)) looked up by integer
 * indices. The `paddingIdx` row (negative counts from the end) starts at zero and never
 * receives a gradient.
 */
export class Embedding extends Module {
  readonly numEmbeddings: number;
  readonly embeddingDim: number;
  readonly paddingIdx: number | null;
  weight: Parameter;

  constructor(numEmbeddings: number, embeddingDim: number, opts: FactoryOptions & { paddingIdx?: number | null; weight?: Tensor; freeze?: boolean } = {}) {
    super();
    this.numEmbeddings = numEmbeddings;
    this.embeddingDim = embeddingDim;
    let pad = opts.paddingIdx ?? null;
    if (pad !== null) {
      if (pad >= numEmbeddings) throw new ValueError('Padding_idx must be within num_embeddings');
      if (pad < -numEmbeddings) throw new ValueError('Padding_idx must be within num_embeddings');
      if (pad < 0) pad += numEmbeddings;
    }
    this.paddingIdx = pad;
    if (opts.weight !== undefined) {
      const s = opts.weight.shape;
      if (s.length !== 2 || s[0] !== numEmbeddings || s[1] !== embeddingDim) {
        throw new ValueError('Shape of weight does not match num_embeddings and embedding_dim');
      }
      this.weight = new Parameter(opts.weight, !opts.freeze);
    } else {
      this.weight = new Parameter(empty([numEmbeddings, embeddingDim], { dtype: opts.dtype ?? 'float32' }), !opts.freeze);
      this.resetParameters();
    }
  }

  /** Builds an Embedding from a [num, dim] tensor (frozen by default, as PyTorch's from_pretrained). */
  static fromPretrained(embeddings: Tensor, opts: { freeze?: boolean; paddingIdx?: number | null } = {}): Embedding {
    if (!(embeddings instanceof Tensor) || embeddings.dim() !== 2) {
      throw new ArgumentTypeError('Embeddings parameter is expected to be 2-dimensional');
    }
    const [n, d] = embeddings.shape;
    return new Embedding(n, d, { weight: embeddings, freeze: opts.freeze ?? true, paddingIdx: opts.paddingIdx });
  }

  /** Re-draws the rows from N(0, 1) and zeroes the padding row. */
  resetParameters(): void {
    init.normal_(this.weight);
    if (this.paddingIdx !== null) {
      const i = this.paddingIdx;
      noGrad(() => this.weight.index(i).fill_(0));
    }
  }

  override forward(input: Tensor): Tensor {
    return F.embedding(input, this.weight, { paddingIdx: this.paddingIdx });
  }

  override extraRepr(): string {
    let s = `${this.numEmbeddings}, ${this.embeddingDim}`;
    if (this.paddingIdx !== null) s += `, padding_idx=${this.paddingIdx}`;
    return s;
  }
}
