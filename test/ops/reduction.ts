// Gradcheck samples of the reduction family (lib/ops/reduction.ts): all-element and per-dim
// forms, keepdim, 0-d, empty and non-contiguous inputs, exact zeros for prod/cumprod (their
// gradients are polynomials there). Random inputs have no ties, so sort-like ops are smooth.
// All formulas are written in differentiable ops, so every entry claims double backward.
import * as tg from '../../lib';
import { Tensor } from '../../lib';
import { make } from '../helpers/make';
import type { OpInfo } from '../ops_registry';
import { op, s } from '../ops_registry';



const f64 = (v: unknown): Tensor => tg.tensor(v as number[], { dtype: 'float64', requiresGrad: true });

export const REDUCTION_OPS: OpInfo[] = [
  op('prod', (a) => a.prod(), [
    s('[2,3]', () => [make([2, 3], { avoid: [0] })]),
    s('with one zero', () => [f64([1.5, 0, -2, 0.5])]),
    s('with two zeros', () => [f64([[0, 1.5], [0, 2]])]),
    s('0-d', () => [make([])]),
    s('empty [0,2]', () => [make([0, 2])]),
  ]),
  op('prod(dim)', (a) => tg.prod(a, 1, true), [
    s('[2,3]', () => [make([2, 3], { avoid: [0] })]),
    s('rows with zeros', () => [f64([[0, 1.5, 2], [0, 0, 3], [1, -1, 2]])]),
    s('non-contiguous [3,2]', () => [make([3, 2], { nonContig: true })]),
  ]),
  op('amax', (a) => a.amax([0, 2]), [s('[2,3,2]', () => [make([2, 3, 2])]), s('non-contiguous [3,2,2]', () => [make([3, 2, 2], { nonContig: true })])]),
  op('amin', (a) => tg.amin(a), [s('[2,3]', () => [make([2, 3])]), s('0-d', () => [make([])])]),
  op('var', (a) => a.var(), [s('[2,3]', () => [make([2, 3])]), s('non-contiguous [3,2]', () => [make([3, 2], { nonContig: true })])]),
  op('var(dim, correction 0, keepdim)', (a) => tg.var(a, { dim: [0, 2], correction: 0, keepdim: true }), [s('[2,3,2]', () => [make([2, 3, 2])])]),
  op('std', (a) => a.std(1), [s('[2,3]', () => [make([2, 3])]), s('non-contiguous [3,4]', () => [make([3, 4], { nonContig: true })])]),
  op('std(correction 2)', (a) => tg.std(a, { correction: 2 }), [s('[5]', () => [make([5])])]),
  op('logsumexp', (a) => a.logsumexp(1), [
    s('[2,3]', () => [make([2, 3])]),
    s('non-contiguous [3,2]', () => [make([3, 2], { nonContig: true })]),
  ]),
  op('logsumexp(0) 0-d', (a) => a.logsumexp(0), [s('0-d', () => [make([])])]),
  op('logsumexp(all dims, keepdim)', (a) => tg.logsumexp(a, [0, 1], true), [s('[2,3]', () => [make([2, 3])])]),
  op('norm', (a) => a.norm(), [s('[2,3]', () => [make([2, 3])]), s('non-contiguous [3,2]', () => [make([3, 2], { nonContig: true })])]),
  op('norm(1, dim)', (a) => a.norm(1, 1), [s('[2,3]', () => [make([2, 3], { avoid: [0] })])]),
  op('norm(inf)', (a) => tg.norm(a, Infinity, 0, true), [s('[3,2]', () => [make([3, 2])])]),
  op('norm(3)', (a) => a.norm(3, [0, 1]), [s('[2,3]', () => [make([2, 3], { avoid: [0] })])]),
  op('cumsum', (a) => a.cumsum(1), [
    s('[2,3]', () => [make([2, 3])]),
    s('non-contiguous [3,2]', () => [make([3, 2], { nonContig: true })]),
    s('empty [0,2]', () => [make([0, 2])]),
  ]),
  op('cumsum(-1) 0-d', (a) => a.cumsum(-1), [s('0-d', () => [make([])])]),
  op('cumprod', (a) => tg.cumprod(a, 0), [
    s('[3,2]', () => [make([3, 2], { avoid: [0] })]),
    s('with zeros', () => [f64([[2, 0.5], [0, 1.5], [3, 0], [0.5, 0]])]),
  ]),
  op('cummax', (a) => a.cummax(1)[0], [s('[2,4]', () => [make([2, 4])])]),
  op('cummin', (a) => tg.cummin(a, 0)[0], [s('non-contiguous [3,2]', () => [make([3, 2], { nonContig: true })])]),
  op('sort', (a) => a.sort()[0], [
    s('[2,4]', () => [make([2, 4])]),
    s('non-contiguous [3,2]', () => [make([3, 2], { nonContig: true })]),
    s('0-d', () => [make([])]),
  ]),
  op('sort(0, descending)', (a) => tg.sort(a, 0, true)[0], [s('[3,2]', () => [make([3, 2])])]),
  op('topk', (a) => a.topk(2)[0], [s('[2,4]', () => [make([2, 4])])]),
  op('topk(smallest, dim 0)', (a) => tg.topk(a, 2, 0, false)[0], [s('non-contiguous [3,2]', () => [make([3, 2], { nonContig: true })])]),
  op('topk(1) of long rows (heap selection)', (a) => a.topk(1)[0], [s('[2,70]', () => [make([2, 70])])]),
  op('topk unsorted', (a) => tg.topk(a, 3, 1, true, false)[0], [s('[2,5]', () => [make([2, 5])])]),
  op('kthvalue', (a) => a.kthvalue(2)[0], [s('[2,4]', () => [make([2, 4])])]),
  op('kthvalue keepdim', (a) => tg.kthvalue(a, 1, 0, true)[0], [s('[3,2]', () => [make([3, 2])])]),
  op('median', (a) => a.median(), [s('[2,3]', () => [make([2, 3])]), s('[5]', () => [make([5])])]),
  op('median(dim)', (a) => a.median(1)[0], [s('[2,4]', () => [make([2, 4])]), s('non-contiguous [3,3]', () => [make([3, 3], { nonContig: true })])]),
  // mode's value is a repeated element (a tie, not differentiable numerically); with distinct
  // values it picks the smallest, so the gradient goes to the row minimum.
  op('mode', (a) => a.mode(1)[0], [s('distinct values [2,3]', () => [make([2, 3])])]),
];
