/**
 * examples/seed003_nn.ts and examples/seed004_nn.ts (nn.Sequential + nn.MSELoss + optim.SGD)
 * against the manual versions they rewrite: same data, same initial weights, so their printed
 * loss curves must coincide up to float32 summation order, and fall as the seeds describe.
 */
import { main as seed003 } from '../examples/seed003_introducing_torch_autograd';
import { main as seed004 } from '../examples/seed004_two_layer_net';
import { main as seed003nn } from '../examples/seed003_nn';
import { main as seed004nn } from '../examples/seed004_nn';

/** The loss values an example printed, in order (the last number of each printed line). */
function printedLosses(main: (log: (...args: unknown[]) => void) => unknown): number[] {
  const out: number[] = [];
  main((...args: unknown[]) => {
    const m = args.map(String).join(' ').match(/(?:Loss:|Step: \d+ :)\s+(\S+)$/);
    if (m) out.push(Number(m[1]));
  });
  return out;
}

/** Each pair of losses agrees within a relative `rtol`. */
function expectCurvesClose(got: number[], want: number[], rtol: number): void {
  expect(got).toHaveLength(want.length);
  got.forEach((g, i) => expect(Math.abs(g - want[i])).toBeLessThanOrEqual(rtol * Math.abs(want[i])));
}

describe('seed 004 with nn.Sequential, MSELoss(sum) and SGD', () => {
  test('prints the manual version loss curve (steps 1, 100, ..., 500)', () => {
    const manual = printedLosses(seed004);
    const nn = printedLosses((log) => seed004nn(log));
    expect(manual).toHaveLength(6);
    // Same start exactly (same data and weights); the curves then drift apart only by
    // float32 rounding, which grows relative to the shrinking loss.
    expect(Math.abs(nn[0] - manual[0])).toBeLessThanOrEqual(1e-5 * manual[0]);
    expectCurvesClose(nn.slice(0, 3), manual.slice(0, 3), 1e-3);
    // The final loss within a factor of 2 of the manual version's.
    expect(nn[5]).toBeLessThan(2 * manual[5]);
    expect(nn[5]).toBeGreaterThan(manual[5] / 2);
  });

  test('the loss falls by nine orders of magnitude or more, as in the seed (3e7 -> 1e-4)', () => {
    const losses = seed004nn(() => undefined);
    expect(losses).toHaveLength(500);
    expect(losses[0]).toBeGreaterThan(1e7);
    expect(losses[499]).toBeLessThan(1e-2);
    for (let i = 50; i < 500; i += 50) expect(losses[i]).toBeLessThan(losses[i - 50]);
  });

  test('fewer steps stop early with the same curve', () => {
    const short = seed004nn(() => undefined, 20);
    const long = seed004nn(() => undefined, 40);
    expect(short).toHaveLength(20);
    expect(short).toEqual(long.slice(0, 20));
  });
});

describe('seed 003 with nn.Sequential (biases), MSELoss(sum) and SGD', () => {
  test('prints the manual version loss curve (every 10th of 200 steps)', () => {
    const manual = printedLosses(seed003);
    const nn = printedLosses((log) => seed003nn(log));
    expect(manual).toHaveLength(20);
    expectCurvesClose(nn, manual, 1e-4);
  });

  test('the loss falls throughout', () => {
    const losses = seed003nn(() => undefined);
    expect(losses).toHaveLength(200);
    expect(losses[199]).toBeLessThan(losses[0] / 5);
    for (let i = 10; i < 200; i += 10) expect(losses[i]).toBeLessThan(losses[i - 10]);
  });
});
