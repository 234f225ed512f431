/**
 * A JS-side random generator for the data pipeline's permutations (shuffling, randomSplit).
 *
 * Note [Generator and PyTorch's order]
 * `Generator` is PyTorch's CPU generator engine, mt19937 (32-bit Mersenne Twister) seeded the
 * way `torch.Generator().manual_seed(seed)` seeds it (the low 32 bits of the seed), and
 * `randperm` draws exactly as ATen's `randperm_cpu` does (a Fisher-Yates pass taking
 * `random() % (n - i)`). So a seeded Generator gives the same permutations as
 * `torch.randperm(n, generator=g)`, and `DataLoader`/`randomSplit` give PyTorch's orders for
 * the same seed (test/data.test.ts checks them against test/fixtures/data.json). It lives in
 * JS, apart from the native RNG behind `manualSeed`/`rand`, because permutations are index
 * bookkeeping and never touch tensor memory.
 */
import { ArgumentTypeError, ValueError } from '../errors';
import { randint } from '../creation';

const N = 624;
const M = 397;

/** A seeded random generator for permutations, like `torch.Generator` on the CPU. */
export class Generator {
  private readonly mt = new Uint32Array(N);
  private mti = N;
  private seed = 67280421310721n;

  /** A generator seeded with PyTorch's default seed (67280421310721), as `torch.Generator()`. */
  constructor() {
    this.manualSeed(this.seed);
  }

  /** Seeds the generator; returns it for chaining (`new Generator().manualSeed(0)`). */
  manualSeed(seed: number | bigint): this {
    if (typeof seed === 'number' && !Number.isInteger(seed)) {
      throw new ArgumentTypeError(`manualSeed(): expected an integer seed, got ${seed}`);
    }
    if (typeof seed !== 'number' && typeof seed !== 'bigint') {
      throw new ArgumentTypeError(`manualSeed(): expected an integer seed, got ${typeof seed}`);
    }
    // torch wraps negative seeds modulo 2^64; mt19937 keeps the low 32 bits.
    const s = BigInt.asUintN(64, BigInt(seed));
    this.seed = s;
    const mt = this.mt;
    mt[0] = Number(s & 0xffffffffn);
    for (let i = 1; i < N; i++) {
      const prev = mt[i - 1] ^ (mt[i - 1] >>> 30);
      // 1812433253 * prev + i in 32-bit arithmetic, split to stay exact in doubles.
      mt[i] = (((((prev & 0xffff0000) >>> 16) * 1812433253) << 16) + (prev & 0x0000ffff) * 1812433253 + i) >>> 0;
    }
    this.mti = N;
    return this;
  }

  /** The seed last given to `manualSeed` (as `torch.Generator.initial_seed()`). */
  initialSeed(): bigint {
    return this.seed;
  }

  /** The next 32-bit unsigned random integer. */
  random(): number {
    const mt = this.mt;
    if (this.mti >= N) {
      for (let k = 0; k < N; k++) {
        const y = (mt[k] & 0x80000000) | (mt[(k + 1) % N] & 0x7fffffff);
        mt[k] = mt[(k + M) % N] ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
      }
      this.mti = 0;
    }
    let y = mt[this.mti++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** The next 64-bit unsigned random integer (two 32-bit draws, the first as the high half). */
  random64(): bigint {
    const hi = BigInt(this.random());
    const lo = BigInt(this.random());
    return (hi << 32n) | lo;
  }

  /** A random permutation of 0..n-1, the same as `torch.randperm(n, generator=g)`. */
  randperm(n: number): number[] {
    if (!Number.isInteger(n) || n < 0) throw new ValueError(`randperm(): n must be a non-negative integer, got ${n}`);
    const r = Array.from({ length: n }, (_, i) => i);
    for (let i = 0; i < n - 1; i++) {
      const z = this.random() % (n - i);
      const sav = r[i];
      r[i] = r[z + i];
      r[z + i] = sav;
    }
    return r;
  }
}

/**
 * A fresh generator seeded from the global native RNG, for shuffling without an explicit
 * generator: `manualSeed(s)` then makes the order reproducible, as `torch.manual_seed` does
 * (the orders themselves differ from PyTorch's there, since the global engines differ).
 */
export function generatorFromGlobalSeed(): Generator {
  const t = randint(0, 2 ** 31 - 1, [2]);
  const [a, b] = Array.from(t.data() as BigInt64Array);
  t.dispose();
  return new Generator().manualSeed((BigInt(a) << 31n) | BigInt(b));
}
