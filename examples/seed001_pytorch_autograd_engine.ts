/**
 * Seed 001 — "PyTorch 101: Understanding Graphs, Automatic Differentiation and Autograd".
 *
 * Every Python code example of the article, in order, in tensorgrad's TypeScript API. The
 * two examples that are meant to fail (backward on a non-scalar, backward twice through a
 * freed graph) are caught here and their error messages printed.
 *
 * Run: `node dist/examples/seed001_pytorch_autograd_engine.js` after `npx tsc -p tsconfig.json`.
 */
import * as tg from '../lib';
import { Log, errorLine, py } from './util';

/** The article's toy network: leaves a, w1..w4 and b = w1*a, c = w2*a, d = w3*b + w4*c. */
function toyNetwork() {
  const a = tg.randn([3, 3], { requiresGrad: true });
  const w1 = tg.randn([3, 3], { requiresGrad: true });
  const w2 = tg.randn([3, 3], { requiresGrad: true });
  const w3 = tg.randn([3, 3], { requiresGrad: true });
  const w4 = tg.randn([3, 3], { requiresGrad: true });
  const b = w1.mul(a);
  const c = w2.mul(a);
  const d = w3.mul(b).add(w4.mul(c));
  return { a, w1, w2, w3, w4, b, c, d };
}

// ---------------------------------------------------------------------------------------
// The article's "representative" backward of an Autograd Function (not the actual
// implementation), written out for scalars:
//
//   def backward (incoming_gradients):
//     self.Tensor.grad = incoming_gradients
//     for inp in self.inputs:
//       if inp.grad_fn is not None:
//         new_incoming_gradients = incoming_gradient * local_grad(self.Tensor, inp)
//         inp.grad_fn.backward(new_incoming_gradients)
//       else:
//         pass
// ---------------------------------------------------------------------------------------

interface ToyTensor {
  value: number;
  grad: number | null;
  gradFn: ToyFunction | null;
}

class ToyFunction {
  /** `tensor` is the output this function created; `localGrad(inp)` is d tensor / d inp. */
  constructor(
    readonly tensor: ToyTensor,
    readonly inputs: ToyTensor[],
    readonly localGrad: (inp: ToyTensor) => number,
  ) {}

  backward(incomingGradients: number): void {
    this.tensor.grad = incomingGradients;
    for (const inp of this.inputs) {
      if (inp.gradFn !== null) {
        const newIncomingGradients = incomingGradients * this.localGrad(inp);
        inp.gradFn.backward(newIncomingGradients);
      } else {
        // pass
      }
    }
  }
}

function toyLeaf(value: number): ToyTensor {
  return { value, grad: null, gradFn: null };
}
function toyOp(value: number, inputs: ToyTensor[], localGrad: (inp: ToyTensor) => number): ToyTensor {
  const t: ToyTensor = { value, grad: null, gradFn: null };
  t.gradFn = new ToyFunction(t, inputs, localGrad);
  return t;
}
function toyMul(x: ToyTensor, y: ToyTensor): ToyTensor {
  return toyOp(x.value * y.value, [x, y], (inp) => (inp === x ? y.value : x.value));
}
function toyAdd(x: ToyTensor, y: ToyTensor): ToyTensor {
  return toyOp(x.value + y.value, [x, y], () => 1);
}
function toyRsub(k: number, x: ToyTensor): ToyTensor {
  return toyOp(k - x.value, [x], () => -1);
}

export function main(log: Log = console.log): void {
  // The random examples cannot reproduce the article's numbers; seed for repeatable runs.
  tg.manualSeed(1);

  // ### Tensor

  // In [1]: import torch
  // In [2]: tsr = torch.Tensor(3,5)
  // In [3]: tsr
  // (uninitialised memory: whatever the allocator hands back)
  const tsr = tg.empty(3, 5);
  log(String(tsr));

  // >> t1 = torch.randn((3,3), requires_grad = True)
  // >> t2 = torch.FloatTensor(3,3) # No way to specify requires_grad while initiating
  // >> t2.requires_grad = True
  const t1 = tg.randn([3, 3], { requiresGrad: true });
  const t2 = tg.empty([3, 3], { dtype: 'float32' });
  t2.requiresGrad = true;
  void t1;

  // a = torch.randn((3,3), requires_grad = True)
  // w1 .. w4 = torch.randn((3,3), requires_grad = True)
  // b = w1*a
  // c = w2*a
  // d = w3*b + w4*c
  // L = 10 - d
  // print("The grad fn for a is", a.grad_fn)
  // print("The grad fn for d is", d.grad_fn)
  {
    const { a, d } = toyNetwork();
    const L = tg.sub(10, d);
    void L;
    log(`The grad fn for a is ${py(a.gradFn)}`);
    log(`The grad fn for d is ${py(d.gradFn)}`);

    // One can use the member function is_leaf to determine whether a variable is a leaf
    // Tensor or not.
    log(`a.isLeaf: ${py(a.isLeaf)}, d.isLeaf: ${py(d.isLeaf)}`);
  }

  // ### Function: the representative backward, run on one element of the toy network
  // (L = 10 - d), next to what tensorgrad's engine computes for the same element.
  {
    const net = toyNetwork();
    const { b, c, d } = net;
    const L = tg.sub(10, d).sum();
    b.retainGrad();
    c.retainGrad();
    d.retainGrad();
    L.backward();

    const v = (t: tg.Tensor) => t.index(0, 0).item() as number;
    const ta = toyLeaf(v(net.a));
    const tb = toyMul(toyLeaf(v(net.w1)), ta);
    const tc = toyMul(toyLeaf(v(net.w2)), ta);
    const td = toyAdd(toyMul(toyLeaf(v(net.w3)), tb), toyMul(toyLeaf(v(net.w4)), tc));
    const tL = toyRsub(10, td);
    tL.gradFn!.backward(1);
    for (const [name, toy, real] of [['b', tb, b], ['c', tc, c], ['d', td, d]] as const) {
      log(`toy ${name}.grad = ${toy.grad}, tensorgrad ${name}.grad[0][0] = ${v(real.grad!)}`);
    }
  }

  // ## Calling backward on a vector-valued L is an error
  //
  // a, w1, w2, w3, w4 = torch.randn((3,3), requires_grad = True)
  // b = w1*a; c = w2*a; d = w3*b + w4*c
  // L = (10 - d)
  // L.backward()
  {
    const { d } = toyNetwork();
    const L = tg.sub(10, d);
    try {
      L.backward();
      log('no error');
    } catch (e) {
      log(errorLine(e)); // RuntimeError: grad can be implicitly created only for scalar outputs
    }
  }

  // Replace L = (10 - d) by
  // L = (10 -d).sum()
  // L.backward()
  let sumGrad: tg.Tensor;
  {
    tg.manualSeed(2);
    const { w1, d } = toyNetwork();
    const L = tg.sub(10, d).sum();
    L.backward();
    // Once that's done, you can access the gradients by calling the grad attribute.
    log(String(w1.grad));
    sumGrad = w1.grad!;
  }

  // Replace L.backward() with
  // L.backward(torch.ones(L.shape))
  {
    tg.manualSeed(2); // the same leaves as above
    const { w1, d } = toyNetwork();
    const L = tg.sub(10, d);
    L.backward(tg.ones(L.shape));
    log(`same w1.grad as with L.sum(): ${py(w1.grad!.eq(sumGrad).data().every((e) => e === 1))}`);

    // w1 = w1 - learning_rate * w1.grad
    // (the article leaves learning_rate open)
    const learningRate = 0.01;
    const w1New = w1.sub(w1.grad!.mul(learningRate));
    void w1New;
  }

  // ## Dynamic computation graph
  {
    const a = tg.randn([3, 3], { requiresGrad: true }); // No graph yet, as a is a leaf
    const w1 = tg.randn([3, 3], { requiresGrad: true }); // Same logic as above
    const b = w1.mul(a); // Graph with node `mulBackward` is created.
    log(`b.gradFn: ${py(b.gradFn)} (a.gradFn: ${py(a.gradFn)})`);
  }

  // If you call backward more than once on a graph with non-leaf nodes, you'll be met
  // with an error.
  {
    const { d } = toyNetwork();
    const loss = tg.sub(10, d).sum();
    loss.backward();
    try {
      loss.backward();
      log('no error');
    } catch (e) {
      log(errorLine(e)); // RuntimeError: Trying to backward through the graph a second time ...
    }
  }

  // loss.backward(retain_graph = True)
  // ... and the gradients accumulate on the next backward.
  {
    const { w1, d } = toyNetwork();
    const loss = tg.sub(10, d).sum();
    loss.backward({ retainGraph: true });
    const first = w1.grad!.clone();
    loss.backward();
    log(`after a second backward w1.grad is twice the first: ${py(w1.grad!.eq(first.mul(2)).data().every((e) => e === 1))}`);
  }

  // ### torch.no_grad()
  //
  // with torch.no_grad:
  //     inference code goes here
  {
    const { w1, a } = toyNetwork();
    const b = tg.noGrad(() => {
      // inference code goes here
      return w1.mul(a);
    });
    log(`inside noGrad: b.requiresGrad = ${py(b.requiresGrad)}, b.gradFn = ${py(b.gradFn)}`);
  }
}

if (require.main === module) main();
