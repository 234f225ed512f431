"""Writes test/fixtures/indexing.json: forward values, grad_fn names and the gradients of
(out * w).sum() (w = 1, 2, 3, ... in out's shape) for the indexing and linalg ops, from
PyTorch. Run with the bench venv: /work/main/bench/.venv/bin/python scripts/fixtures_indexing.py
Float inputs are float64 (requires_grad); integer/bool arguments are listed in 'consts' and
test/indexing.test.ts spells the same calls in camelCase."""
import json
import os
import torch

torch.set_default_dtype(torch.float64)


def x(*shape):
    n = 1
    for s in shape:
        n *= s
    return (torch.arange(n, dtype=torch.float64) * 0.5 - 1.0).reshape(shape)


L = lambda v: torch.tensor(v, dtype=torch.int64)
I1 = L([[0, 1, 0], [2, 0, 2]])
M = torch.tensor([[True, False, True], [False, False, True]])

CASES = {
    'gather': (lambda: [x(3, 3)], lambda a: a.gather(0, I1)),
    'gather(1)': (lambda: [x(2, 4)], lambda a: a.gather(1, L([[3, 3], [0, 2]]))),
    'scatter': (lambda: [x(3, 3), x(2, 3)], lambda a, b: a.scatter(0, L([[0, 1, 2], [2, 0, 1]]), b)),
    'scatter value': (lambda: [x(3, 3)], lambda a: a.scatter(1, L([[0], [2], [1]]), 7.5)),
    'scatterAdd': (lambda: [x(3, 3), x(2, 3)], lambda a, b: a.scatter_add(0, I1, b)),
    'scatterReduce sum': (lambda: [x(3, 3), x(2, 3)], lambda a, b: a.scatter_reduce(0, I1, b, 'sum')),
    'scatterReduce prod': (lambda: [x(3, 3), x(2, 3)], lambda a, b: a.scatter_reduce(0, I1, b, 'prod')),
    'scatterReduce prod exclude': (lambda: [x(3, 3), x(2, 3) + 0.25], lambda a, b: a.scatter_reduce(0, I1, b, 'prod', include_self=False)),
    'scatterReduce mean': (lambda: [x(3, 3), x(2, 3)], lambda a, b: a.scatter_reduce(0, I1, b, 'mean')),
    'scatterReduce mean exclude': (lambda: [x(3, 3), x(2, 3)], lambda a, b: a.scatter_reduce(0, I1, b, 'mean', include_self=False)),
    'scatterReduce amax ties': (lambda: [torch.tensor([[1., 2., 3.], [4., 5., 6.], [7., 8., 9.]]), torch.tensor([[1., 5., 3.], [7., 1., 9.]])],
                                lambda a, b: a.scatter_reduce(0, I1, b, 'amax')),
    'scatterReduce amin exclude': (lambda: [x(3, 3), x(2, 3)], lambda a, b: a.scatter_reduce(0, I1, b, 'amin', include_self=False)),
    'indexSelect': (lambda: [x(3, 4)], lambda a: a.index_select(1, L([3, 0, 3]))),
    'indexSelect dim0': (lambda: [x(3, 2)], lambda a: torch.index_select(a, 0, L([2, 2, 1, 0]))),
    'indexAdd': (lambda: [x(4, 2), x(3, 2)], lambda a, b: a.index_add(0, L([0, 3, 0]), b, alpha=2)),
    'indexCopy': (lambda: [x(4, 2), x(2, 2)], lambda a, b: a.index_copy(0, L([3, 1]), b)),
    'indexFill': (lambda: [x(3, 4)], lambda a: a.index_fill(1, L([0, 2]), -3.0)),
    'maskedFill': (lambda: [x(2, 3)], lambda a: a.masked_fill(M, 9.0)),
    'maskedFill broadcast': (lambda: [x(2, 3)], lambda a: a.masked_fill(torch.tensor([True, False, True]), -1.0)),
    'maskedScatter': (lambda: [x(2, 3), x(5)], lambda a, s: a.masked_scatter(M, s)),
    'maskedScatter broadcast': (lambda: [x(3), x(2, 4)], lambda a, s: a.masked_scatter(M, s)),
    'maskedSelect': (lambda: [x(2, 3)], lambda a: a.masked_select(M)),
    'take': (lambda: [x(2, 3)], lambda a: a.take(L([[5, 0], [-1, 5]]))),
    'addmm': (lambda: [x(2, 2), x(2, 3), x(3, 2)], lambda c, a, b: torch.addmm(c, a, b, beta=0.5, alpha=2)),
    'addmv': (lambda: [x(2), x(2, 3), x(3)], lambda c, a, b: torch.addmv(c, a, b)),
    'baddbmm': (lambda: [x(1, 2, 2), x(2, 2, 3), x(2, 3, 2)], lambda c, a, b: torch.baddbmm(c, a, b, alpha=0.5)),
    'outer': (lambda: [x(3), x(2)], lambda a, b: torch.outer(a, b)),
    'kron': (lambda: [x(2, 2), x(2, 3)], lambda a, b: torch.kron(a, b)),
    'kron ranks': (lambda: [x(2), x(2, 2)], lambda a, b: torch.kron(a, b)),
    'cross': (lambda: [x(2, 3), x(2, 3) ** 2], lambda a, b: torch.linalg.cross(a, b)),
    'cross dim0': (lambda: [x(3, 2), x(3, 1) + 2], lambda a, b: torch.linalg.cross(a, b, dim=0)),
    'einsum ij,jk->ik': (lambda: [x(2, 3), x(3, 2)], lambda a, b: torch.einsum('ij,jk->ik', a, b)),
    'einsum ii->i': (lambda: [x(3, 3)], lambda a: torch.einsum('ii->i', a)),
    'einsum ii': (lambda: [x(3, 3)], lambda a: torch.einsum('ii', a)),
    'einsum implicit': (lambda: [x(2, 3), x(3, 4)], lambda a, b: torch.einsum('ij,jk', a, b)),
    'einsum batch ...': (lambda: [x(2, 2, 3), x(2, 3, 2)], lambda a, b: torch.einsum('...ij,...jk->...ik', a, b)),
    'einsum bij,bjk->bik': (lambda: [x(2, 2, 3), x(2, 3, 2)], lambda a, b: torch.einsum('bij,bjk->bik', a, b)),
    'einsum outer': (lambda: [x(3), x(2)], lambda a, b: torch.einsum('i,j->ij', a, b)),
    'einsum transpose': (lambda: [x(2, 3)], lambda a: torch.einsum('ij->ji', a)),
    'einsum sum all': (lambda: [x(2, 3)], lambda a: torch.einsum('ij->', a)),
    'einsum three': (lambda: [x(2, 3), x(3), x(3, 2)], lambda a, b, c: torch.einsum('ij,j,jk->ik', a, b, c)),
    'einsum ...': (lambda: [x(2, 3, 4)], lambda a: torch.einsum('i...->...', a)),
    'einsum broadcast ...': (lambda: [x(2, 1, 2, 3), x(3, 3, 2)], lambda a, b: torch.einsum('...ij,...jk->...ik', a, b)),
    'einsum chain': (lambda: [x(2, 3, 4), x(4, 2), x(3, 2)], lambda a, b, c: torch.einsum('abc,cd,bd->a', a, b, c)),
    'einsum repeated output order': (lambda: [x(2, 3), x(3, 2, 2)], lambda a, b: torch.einsum('ij,jkk->ki', a, b)),
    'index int tensor': (lambda: [x(4)], lambda a: a[L([0, 0, 2])]),
    'index mask': (lambda: [x(2, 3)], lambda a: a[a > 0.5]),
    'index adjacent': (lambda: [x(2, 3, 4)], lambda a: a[:, L([0, 2]), L([1, 3])]),
    'index separated': (lambda: [x(2, 3, 4)], lambda a: a[L([1, 0]), :, L([1, 3])]),
    'index broadcast': (lambda: [x(3, 4)], lambda a: a[L([[0], [2]]), L([1, 3])]),
    'index int and tensor': (lambda: [x(2, 3, 4)], lambda a: a[1, :, L([0, 0, 3])]),
    'index mask 2-D': (lambda: [x(2, 3, 2)], lambda a: a[M]),
    'index none and tensor': (lambda: [x(3, 2)], lambda a: a[None, L([2, 1])]),
    'indexPut accumulate': (lambda: [x(4), x(3)], lambda a, v: a.clone().index_put_((L([0, 0, 2]),), v, accumulate=True)),
    'indexPut 2-D': (lambda: [x(3, 4), x(2)], lambda a, v: a.clone().index_put_((L([0, 2]), L([1, 3])), v)),
    'indexPut mask': (lambda: [x(2, 3, 2), x(2)], lambda a, v: a.clone().index_put_((M,), v)),
    'indexPut value broadcast': (lambda: [x(2, 3, 4), x(3)], lambda a, v: a.clone().index_put_((L([1]), L([0, 2])), v[:2].unsqueeze(1).expand(2, 4) * 1)),
    'vectorNorm': (lambda: [x(2, 3)], lambda a: torch.linalg.vector_norm(a)),
    'vectorNorm(1, 1)': (lambda: [x(2, 3)], lambda a: torch.linalg.vector_norm(a, 1, 1)),
    'vectorNorm(inf)': (lambda: [x(2, 3)], lambda a: torch.linalg.vector_norm(a, float('inf'))),
    'vectorNorm(-inf, 0)': (lambda: [x(2, 3) + 0.25], lambda a: torch.linalg.vector_norm(a, float('-inf'), 0)),
    'vectorNorm(3, keepdim)': (lambda: [x(2, 3)], lambda a: torch.linalg.vector_norm(a, 3, (0, 1), keepdim=True)),
    'vectorNorm(0.5, -1)': (lambda: [x(2, 3) + 0.25], lambda a: torch.linalg.vector_norm(a, 0.5, -1)),
    'vectorNorm(0)': (lambda: [x(2, 3)], lambda a: torch.linalg.vector_norm(a, 0)),
    'vectorNorm at zero': (lambda: [torch.zeros(2, 2)], lambda a: torch.linalg.vector_norm(a, dim=1)),
    'vectorNorm 0-d': (lambda: [torch.tensor(-1.5)], lambda a: torch.linalg.vector_norm(a)),
    'norm': (lambda: [x(2, 3)], lambda a: a.norm()),
    'norm(1, 0)': (lambda: [x(2, 3)], lambda a: a.norm(1, 0)),
    'matrixNorm': (lambda: [x(2, 2, 3)], lambda a: torch.linalg.matrix_norm(a)),
    'matrixNorm(1)': (lambda: [x(2, 3) + 0.25], lambda a: torch.linalg.matrix_norm(a, 1)),
    'matrixNorm(-inf)': (lambda: [x(3, 2) + 0.25], lambda a: torch.linalg.matrix_norm(a, float('-inf'))),
    'matrixNorm(2)': (lambda: [x(3, 2) ** 2 + 0.5], lambda a: torch.linalg.matrix_norm(a, 2)),
    'matrixNorm(-2, dims, keepdim)': (lambda: [x(3, 2, 2) ** 2], lambda a: torch.linalg.matrix_norm(a, -2, (0, 2), keepdim=True)),
    'matrixNorm(nuc)': (lambda: [x(2, 3) + 0.25], lambda a: torch.linalg.norm(a, 'nuc')),
    'svdvals batched wide': (lambda: [x(2, 3, 4) ** 3 - x(2, 3, 4)], lambda a: torch.linalg.svdvals(a)),
    'svdvals tall': (lambda: [x(5, 3) ** 3 + 0.5 * x(5, 3) ** 2], lambda a: torch.linalg.svdvals(a)),
    'matrixNorm(inf, keepdim)': (lambda: [x(2, 3) + 0.25], lambda a: torch.linalg.matrix_norm(a, float('inf'), keepdim=True)),
    'linalg.norm': (lambda: [x(2, 3)], lambda a: torch.linalg.norm(a)),
    'linalg.norm(1) 2-D': (lambda: [x(2, 3) + 0.25], lambda a: torch.linalg.norm(a, 1)),
    'linalg.norm dim': (lambda: [x(2, 3)], lambda a: torch.linalg.norm(a, 3, 1)),
}

out = {}
for name, (make, call) in CASES.items():
    inputs = [t.clone().requires_grad_() for t in make()]
    r = call(*inputs)
    w = torch.arange(1, r.numel() + 1, dtype=r.dtype).reshape(r.shape)
    grads = torch.autograd.grad((r * w).sum(), inputs, allow_unused=True)
    out[name] = {
        'inputs': [{'shape': list(t.shape), 'values': t.detach().tolist()} for t in inputs],
        'shape': list(r.shape),
        'values': r.detach().tolist(),
        'gradFn': type(r.grad_fn).__name__ if r.grad_fn is not None else None,
        'grads': [g.tolist() if g is not None else None for g in grads],
    }

# Integer results.
ints = {
    'nonzero': torch.nonzero(torch.tensor([[0, 1, 0], [2, 0, 3]])).tolist(),
    'nonzero 1-D': torch.nonzero(torch.tensor([0.0, 1.5, 0.0, -2.0])).tolist(),
    'oneHot': torch.nn.functional.one_hot(L([0, 2, 1]), 4).tolist(),
    'oneHot infer': torch.nn.functional.one_hot(L([[1], [3]])).tolist(),
    'searchsorted': torch.searchsorted(torch.tensor([1.0, 3.0, 5.0, 7.0]), torch.tensor([[3.0, 6.0, 9.0], [0.0, 5.0, 7.0]])).tolist(),
    'searchsorted right': torch.searchsorted(torch.tensor([1.0, 3.0, 5.0, 7.0]), torch.tensor([3.0, 6.0, 7.0]), right=True).tolist(),
    'searchsorted 2-D': torch.searchsorted(torch.tensor([[1.0, 3.0], [2.0, 4.0]]), torch.tensor([[3.0], [3.0]])).tolist(),
    'bucketize': torch.bucketize(torch.tensor([1, 5, 9, 3]), torch.tensor([1, 3, 5, 7])).tolist(),
    'bucketize right': torch.bucketize(torch.tensor([1, 5, 9, 3]), torch.tensor([1, 3, 5, 7]), right=True).tolist(),
    'gather int64': torch.tensor([[1, 2], [3, 4]]).gather(1, L([[1, 1], [0, 1]])).tolist(),
    'scatterReduce int64 mean': torch.tensor([[5, -3, 0]]).scatter_reduce(1, L([[0, 1, 1]]), torch.tensor([[2, 4, 1]]), 'mean').tolist(),
    'scatterReduce int64 amax exclude': torch.zeros(1, 3, dtype=torch.int64).scatter_reduce(1, L([[2, 2, 0]]), torch.tensor([[-4, -2, -7]]), 'amax', include_self=False).tolist(),
    'scatterAdd float32': torch.zeros(2, 3, dtype=torch.float32).scatter_add(1, L([[0, 0, 2], [1, 1, 1]]), torch.ones(2, 3, dtype=torch.float32)).tolist(),
}
out['__ints__'] = ints

# grad_fn names of the in-place forms on a non-leaf.
base = lambda: x(3, 3).requires_grad_().mul(1)
out['__inplaceGradFn__'] = {
    'scatter_': type(base().scatter_(0, I1, x(2, 3)).grad_fn).__name__,
    'scatterAdd_': type(base().scatter_add_(0, I1, x(2, 3)).grad_fn).__name__,
    'scatterReduce_': type(base().scatter_reduce_(0, I1, x(2, 3), 'amax').grad_fn).__name__,
    'indexAdd_': type(base().index_add_(0, L([0, 2]), x(2, 3)).grad_fn).__name__,
    'indexCopy_': type(base().index_copy_(0, L([0, 2]), x(2, 3)).grad_fn).__name__,
    'indexFill_': type(base().index_fill_(1, L([1]), 2.0).grad_fn).__name__,
    'maskedFill_': type(base().masked_fill_(M[:, :3].repeat(2, 1)[:3], 1.0).grad_fn).__name__,
    'maskedScatter_': type(base().masked_scatter_(M[:, :3].repeat(2, 1)[:3], x(9)).grad_fn).__name__,
}

path = os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures', 'indexing.json')
with open(path, 'w') as f:
    json.dump(out, f)
print('wrote', path, len(out))
