/**
 * A progress bar for training loops, in the manner of tqdm: on a terminal one line redrawn in
 * place with `\r` (at most every `minInterval` seconds), elsewhere (logs, CI) plain lines every
 * `logInterval` seconds, each with count, rate (items/s), elapsed time, ETA and a postfix
 * such as the loss.
 */

/** Where a ProgressBar writes: `process.stdout`/`stderr` or anything with `write`. */
export interface ProgressStream {
  write(s: string): unknown;
  /** True on a terminal: the bar is redrawn in place. */
  isTTY?: boolean;
  /** Terminal width, when known. */
  columns?: number;
}

/** Options of a ProgressBar. */
export interface ProgressOptions {
  /** The number of items expected; without it the bar shows a count and rate only. */
  total?: number;
  /** A label printed before the bar. */
  desc?: string;
  /** The output (default `process.stdout`). */
  stream?: ProgressStream;
  /** Seconds between redraws on a terminal (default 0.1: at most ~10 redraws a second). */
  minInterval?: number;
  /** Seconds between plain lines when the stream is not a terminal (default 10). */
  logInterval?: number;
  /** Characters of the bar itself (default 30). */
  width?: number;
  /** The unit of items in the rate (default "it"). */
  unit?: string;
  /** Clock in milliseconds (default `performance.now`); tests pass a fake one. */
  now?: () => number;
}

/** `h:mm:ss` above an hour, else `mm:ss`, as tqdm prints durations. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.floor(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const two = (v: number): string => String(v).padStart(2, '0');
  return h > 0 ? `${h}:${two(m)}:${two(sec)}` : `${two(m)}:${two(sec)}`;
}

function formatValue(v: unknown): string {
  if (typeof v === 'number') {
    if (Number.isInteger(v)) return String(v);
    const a = Math.abs(v);
    return a !== 0 && (a < 1e-3 || a >= 1e5) ? v.toExponential(3) : v.toPrecision(4);
  }
  return String(v);
}

/**
 * A live progress bar: `const bar = new ProgressBar({ total: loader.length, desc: 'epoch 1' });
 * ... bar.setPostfix({ loss }); bar.update(); ... bar.close();` or wrap an iterable with
 * `progress(loader, { desc })`. Rendered like tqdm:
 * `epoch 1:  45%|█████████▌           | 450/1000 [00:05<00:06, 88.1it/s, loss=0.3127]`.
 */
export class ProgressBar {
  /** Items done so far. */
  n = 0;
  /** The number of items expected, if known. */
  total?: number;
  /** The label. */
  desc: string;
  private postfix = '';
  private readonly stream: ProgressStream;
  private readonly tty: boolean;
  private readonly minInterval: number;
  private readonly logInterval: number;
  private readonly width: number;
  private readonly unit: string;
  private readonly now: () => number;
  private readonly start: number;
  private lastDraw = -Infinity;
  private lastLen = 0;
  private closed = false;

  constructor(opts: ProgressOptions = {}) {
    this.total = opts.total;
    this.desc = opts.desc ?? '';
    this.stream = opts.stream ?? process.stdout;
    this.tty = Boolean(this.stream.isTTY);
    this.minInterval = (opts.minInterval ?? 0.1) * 1000;
    this.logInterval = (opts.logInterval ?? 10) * 1000;
    this.width = opts.width ?? 30;
    this.unit = opts.unit ?? 'it';
    this.now = opts.now ?? (() => performance.now());
    this.start = this.now();
    if (this.tty) this.draw(this.start);
  }

  /** Marks `n` more items done (default 1) and redraws if enough time has passed. */
  update(n = 1): void {
    this.n += n;
    this.refresh(false);
  }

  /**
   * Sets the text after the rate: an object (`{ loss: 0.31, lr: 1e-3 }` prints
   * `loss=0.3100, lr=1.000e-3`) or a string. Shown at the next redraw.
   */
  setPostfix(postfix: Record<string, unknown> | string): void {
    this.postfix =
      typeof postfix === 'string'
        ? postfix
        : Object.entries(postfix)
            .map(([k, v]) => `${k}=${formatValue(v)}`)
            .join(', ');
  }

  /** Sets the label. */
  setDescription(desc: string): void {
    this.desc = desc;
  }

  /** Items per second since the start. */
  rate(): number {
    const s = (this.now() - this.start) / 1000;
    return s > 0 ? this.n / s : 0;
  }

  /** The current line, without `\r` or newline. */
  render(at = this.now()): string {
    const elapsed = (at - this.start) / 1000;
    const rate = elapsed > 0 ? this.n / elapsed : 0;
    const rateText = rate > 0 ? `${rate >= 100 ? rate.toFixed(0) : rate.toFixed(2)}${this.unit}/s` : `?${this.unit}/s`;
    const tail = this.postfix ? `, ${this.postfix}` : '';
    const label = this.desc ? `${this.desc}: ` : '';
    if (this.total === undefined || this.total <= 0) {
      return `${label}${this.n}${this.unit} [${formatDuration(elapsed)}, ${rateText}${tail}]`;
    }
    const frac = Math.min(1, this.n / this.total);
    const eta = rate > 0 ? (this.total - this.n) / rate : NaN;
    const pct = `${Math.floor(frac * 100)}`.padStart(3) + '%';
    const cells = frac * this.width;
    const full = Math.floor(cells);
    const partials = ' ▏▎▍▌▋▊▉';
    const part = full < this.width ? partials[Math.floor((cells - full) * 8)] : '';
    const bar = '█'.repeat(full) + part + ' '.repeat(Math.max(0, this.width - full - part.length));
    return `${label}${pct}|${bar}| ${this.n}/${this.total} [${formatDuration(elapsed)}<${formatDuration(eta)}, ${rateText}${tail}]`;
  }

  /** Redraws now (on a terminal) or prints a line (elsewhere) if the interval has passed, or if `force`. */
  refresh(force = true): void {
    if (this.closed) return;
    const at = this.now();
    const interval = this.tty ? this.minInterval : this.logInterval;
    if (!force && at - this.lastDraw < interval) return;
    this.draw(at);
  }

  private draw(at: number): void {
    this.lastDraw = at;
    let line = this.render(at);
    if (this.tty) {
      const cols = this.stream.columns;
      if (cols && line.length > cols - 1) line = line.slice(0, cols - 1);
      // Pad over the previous line's tail instead of relying on terminal escape codes.
      const pad = Math.max(0, this.lastLen - line.length);
      this.lastLen = line.length;
      this.stream.write('\r' + line + ' '.repeat(pad));
    } else {
      this.stream.write(line + '\n');
    }
  }

  /** Draws the final state and ends the line. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.draw(this.now());
    if (this.tty) this.stream.write('\n');
    this.closed = true;
  }
}

/**
 * Yields the items of `iterable`, advancing a ProgressBar for each; `total` defaults to the
 * iterable's `length` when it has one (arrays, DataLoaders). The bar closes when the loop
 * ends, also on `break` or an exception. The result's `.bar` is the ProgressBar, for
 * `setPostfix` inside the loop:
 * `const it = progress(loader, { desc: 'train' }); for (const b of it) { ...; it.bar.setPostfix({ loss }); }`.
 */
export function progress<T>(iterable: Iterable<T>, opts: ProgressOptions = {}): Iterable<T> & { bar: ProgressBar } {
  const len = (iterable as { length?: unknown }).length;
  const total = opts.total ?? (typeof len === 'number' ? len : undefined);
  const bar = new ProgressBar({ ...opts, total });
  return {
    bar,
    *[Symbol.iterator](): Iterator<T> {
      try {
        for (const x of iterable) {
          yield x;
          bar.update(1);
        }
      } finally {
        bar.close();
      }
    },
  };
}
