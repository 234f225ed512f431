/**
 * Seed 002 — "Automatic Differentiation with AutoGrad" (a PyTorch notebook).
 *
 * Every Python cell of the notebook, in order, in tensorgrad's TypeScript API, printing what
 * the notebook prints. `print(a, b, sep='\n')` prints each value on its own line; Python's
 * None / True / False print as such. `x.data.add_(...)` (tensorgrad has no `.data`) becomes
 * an in-place add inside `tg.noGrad`, which writes the same float32 values.
 *
 * Run: `node dist/examples/seed002_autograd_notebook.js` after `npx tsc -p tsconfig.json`.
 */
import * as tg from '../lib';
import { Log, py } from './util';

export function main(log: Log = console.log): void {
  // ### Tensors, Functions and Computational graph

  // In [29]:
  // x = torch.ones(2,2,requires_grad=True)
  // y = x+2
  // print(x,y,sep='\n')
  const x = tg.ones(2, 2, { requiresGrad: true });
  const y = x.add(2);
  log(String(x));
  log(String(y));

  // In [30]:
  // z = y*y*3
  // out = z.mean()
  // print(z,out,sep='\n')
  let z = y.mul(y).mul(3);
  const out = z.mean();
  log(String(z));
  log(String(out));

  // ## Computing Gradients

  // In [31]:
  // out.backward()
  // print(x.grad)
  out.backward();
  log(String(x.grad)); // d out / d x = 3/2 (x + 2) = 4.5

  // In [54]:
  // print(z.grad)
  // (z is not a leaf: its .grad stays None, and reading it warns, as in PyTorch)
  log(py(z.grad));

  // ## Computing Jacobian Products

  // The notebook ran In [51]..[53] before In [31] had accumulated into x.grad (the cell
  // numbers are out of order), so its 18 is a fresh gradient. Clear x.grad to print the
  // same numbers.
  x.grad = null;

  // In [51]:
  // z = (x+2).pow(2)*3
  // z.backward(torch.ones_like(x),retain_graph=True)
  // print(x.grad)
  z = x.add(2).pow(2).mul(3);
  z.backward(tg.onesLike(x), { retainGraph: true });
  log(String(x.grad)); // 18

  // In [52]:
  // z.backward(torch.ones(2,2),retain_graph=True)
  // print(x.grad)
  z.backward(tg.ones(2, 2), { retainGraph: true });
  log(String(x.grad)); // gradients accumulate: 36

  // In [53]:
  // x.grad.zero_()
  // z.backward(torch.ones_like(x))
  // print(x.grad)
  x.grad!.zero_();
  z.backward(tg.onesLike(x));
  log(String(x.grad)); // 18 again

  // ## Disabling Gradient Tracking

  // In [56]:
  // z = x*x
  // print(z.requires_grad)
  //
  // with torch.no_grad():
  //     z = x*x
  // print(z.requires_grad)
  z = x.mul(x);
  log(py(z.requiresGrad));
  tg.noGrad(() => {
    z = x.mul(x);
  });
  log(py(z.requiresGrad));

  // In [57]:
  // z = x*x
  // z_det = z.detach()
  // print(z_det.requires_grad)
  z = x.mul(x);
  const zDet = z.detach();
  log(py(zDet.requiresGrad));

  // ## Example of Gradient Descent: minimise f(x1, x2) = (x1 - 3)^2 + (x2 + 2)^2

  // In [100]:
  // x = torch.zeros(2,requires_grad=True)
  // f = lambda x : (x-torch.tensor([3,-2])).pow(2).sum()
  // lr = 0.1
  {
    const x = tg.zeros(2, { requiresGrad: true });
    // torch.tensor([3,-2]) is an int64 tensor in Python; x - it promotes to float32.
    const f = (x: tg.Tensor) => x.sub(tg.tensor([3, -2], { dtype: 'int64' })).pow(2).sum();
    const lr = 0.1;

    // In [101]:
    // for i in range(15):
    //     y = f(x)
    //     y.backward()
    //     gr = x.grad
    //     x.data.add_(-lr*gr)
    //     x.grad.zero_()
    //     print("Step {}: x[0]={}, x[1]={}".format(i,x[0],x[1]))
    for (let i = 0; i < 15; i++) {
      const y = f(x);
      y.backward();
      const gr = x.grad!;
      tg.noGrad(() => x.add_(gr.mul(-lr)));
      x.grad!.zero_();
      // format() of a one-element tensor prints its value as a Python float (a double)
      log(`Step ${i}: x[0]=${x.index(0).item()}, x[1]=${x.index(1).item()}`);
    }
  }
}

if (require.main === module) main();
