/**
 * The op-table rows of the ops whose methods live in lib/tensor.ts (written before the table
 * existed). New ops are declared in their family file with defineOp.
 */
import { declareExisting } from './registry';

const diff = { differentiable: true, gradgrad: true };
const nondiff = { differentiable: false, gradgrad: false };

declareExisting('binary', ['add', 'sub', 'mul', 'div', 'pow', 'maximum', 'minimum'], diff);
declareExisting('unary', ['neg', 'exp', 'log', 'sqrt', 'abs', 'sign', 'relu', 'sin', 'cos', 'tanh', 'sigmoid', 'reciprocal', 'square', 'floor', 'ceil', 'round', 'trunc', 'clamp'], diff);
declareExisting('comparison', ['eq', 'ne', 'lt', 'le', 'gt', 'ge'], nondiff);
declareExisting('reduction', ['sum', 'mean', 'max', 'min'], diff);
declareExisting('reduction', ['argmax', 'argmin'], nondiff);
declareExisting('linalg', ['mm', 'bmm', 'mv', 'dot', 'matmul'], diff);
declareExisting('shape', ['view', 'reshape', 'transpose', 't', 'permute', 'expand', 'expandAs', 'squeeze', 'unsqueeze', 'contiguous', 'clone', 'asStrided', 'index', 'unbind', 'split', 'chunk'], diff);
declareExisting('dtype', ['to', 'float', 'double'], diff);
declareExisting('dtype', ['int', 'long', 'bool'], nondiff);
declareExisting('inplace', ['add_', 'sub_', 'mul_', 'div_', 'pow_', 'neg_', 'exp_', 'log_', 'sqrt_', 'abs_', 'relu_', 'sin_', 'cos_', 'tanh_', 'sigmoid_', 'clamp_', 'zero_', 'fill_', 'copy_', 'indexPut_'], diff);
