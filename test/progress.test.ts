// ProgressBar and progress() with a fake stream and a fake clock: in-place redraws on a
// terminal throttled to ~10/s, plain periodic lines elsewhere, rate/ETA arithmetic, postfix.
import * as tg from '../lib';
import { ProgressBar, progress } from '../lib';
import { formatDuration } from '../lib/utils/progress';

class FakeStream {
  writes: string[] = [];
  constructor(
    public isTTY: boolean,
    public columns?: number,
  ) {}
  write(s: string): boolean {
    this.writes.push(s);
    return true;
  }
  get text(): string {
    return this.writes.join('');
  }
}

/** A clock the test moves by hand, in milliseconds. */
function fakeClock(): { now: () => number; advance: (ms: number) => void } {
  let t = 1000;
  return { now: () => t, advance: (ms) => (t += ms) };
}

describe('ProgressBar on a terminal', () => {
  test('redraws in place with count, percent, rate, ETA and postfix', () => {
    const s = new FakeStream(true);
    const c = fakeClock();
    const bar = new ProgressBar({ total: 100, desc: 'epoch 1', stream: s, now: c.now, width: 20 });
    expect(s.writes).toEqual(['\r' + 'epoch 1:   0%|                    | 0/100 [00:00<?, ?it/s]']);
    c.advance(5000);
    bar.setPostfix({ loss: 0.31274, lr: 0.0001, step: 7 });
    bar.update(50); // 50 items in 5 s: 10 it/s, 50 left -> 5 s
    expect(s.writes[1]).toBe('\r' + 'epoch 1:  50%|██████████          | 50/100 [00:05<00:05, 10.00it/s, loss=0.3127, lr=1.000e-4, step=7]');
    c.advance(20000);
    bar.update(25); // 75 in 25 s: 3 it/s, 25 left -> 8.33 s; 15 cells of 20
    expect(s.writes[2].startsWith('\repoch 1:  75%|███████████████     | 75/100 [00:25<00:08, 3.00it/s')).toBe(true);
    bar.close();
    expect(s.text.endsWith('\n')).toBe(true);
    expect(s.text.split('\n').length).toBe(2); // one line, redrawn, then the newline
  });

  test('partial cells, a full bar, a shrinking line padded over', () => {
    const s = new FakeStream(true);
    const c = fakeClock();
    const bar = new ProgressBar({ total: 16, stream: s, now: c.now, width: 4, unit: 'img' });
    c.advance(1000);
    bar.update(3); // 3/16 of 4 cells = 0.75 cell: the 6/8 block
    expect(s.writes[1]).toContain('|▊   |');
    c.advance(1000);
    bar.setPostfix('a long postfix');
    bar.update(13);
    expect(s.writes[2]).toContain('|████| 16/16 [00:02<00:00, 8.00img/s, a long postfix]');
    bar.setPostfix('');
    bar.refresh();
    const last = s.writes[3];
    expect(last.length).toBe(s.writes[2].length); // spaces cover the old tail
    expect(last.trimEnd()).toBe('\r100%|████| 16/16 [00:02<00:00, 8.00img/s]');
  });

  test('throttled to about 10 redraws a second', () => {
    const s = new FakeStream(true);
    const c = fakeClock();
    const bar = new ProgressBar({ total: 1000, stream: s, now: c.now });
    for (let i = 0; i < 1000; i++) {
      c.advance(1); // 1000 updates over one second
      bar.update();
    }
    expect(s.writes.length).toBeGreaterThanOrEqual(10);
    expect(s.writes.length).toBeLessThanOrEqual(11); // the first draw + one per 100 ms
    bar.close();
    expect(s.writes[s.writes.length - 2]).toContain('1000/1000');
  });

  test('without a total: count, elapsed and rate; long lines cut to the terminal width', () => {
    const s = new FakeStream(true, 40);
    const c = fakeClock();
    const bar = new ProgressBar({ stream: s, now: c.now, desc: 'stream' });
    c.advance(3000);
    bar.update(12);
    expect(s.writes[1]).toBe('\r' + 'stream: 12it [00:03, 4.00it/s]');
    bar.setDescription('a much longer description here');
    bar.refresh();
    expect(s.writes[2].length).toBe(1 + 39);
  });
});

describe('ProgressBar elsewhere (not a TTY)', () => {
  test('plain lines every logInterval seconds and a final line, never \\r', () => {
    const s = new FakeStream(false);
    const c = fakeClock();
    const bar = new ProgressBar({ total: 60, stream: s, now: c.now, logInterval: 10, desc: 'train' });
    expect(s.writes).toEqual([]);
    for (let i = 0; i < 60; i++) {
      c.advance(1000);
      bar.setPostfix({ loss: 1 / (i + 1) });
      bar.update();
    }
    bar.close();
    bar.close(); // idempotent
    expect(s.text).not.toContain('\r');
    expect(s.writes.every((w) => w.endsWith('\n'))).toBe(true);
    expect(s.writes.length).toBe(7); // at 1 s, 11 s, ..., 51 s, then the close
    expect(s.writes[0]).toBe('train:   1%|▌                             | 1/60 [00:01<00:59, 1.00it/s, loss=1]\n');
    expect(s.writes[6]).toBe('train: 100%|██████████████████████████████| 60/60 [01:00<00:00, 1.00it/s, loss=0.01667]\n');
  });
});

describe('progress(iterable)', () => {
  test('takes the total from length, counts items, closes at the end', () => {
    const s = new FakeStream(false);
    const c = fakeClock();
    const it = progress([1, 2, 3, 4], { stream: s, now: c.now, logInterval: 3600 });
    const seen: number[] = [];
    for (const x of it) {
      c.advance(500);
      seen.push(x);
      it.bar.setPostfix({ last: x });
    }
    expect(seen).toEqual([1, 2, 3, 4]);
    expect(it.bar.total).toBe(4);
    expect(it.bar.n).toBe(4);
    expect(s.writes[s.writes.length - 1]).toContain('4/4 [00:02<00:00, 2.00it/s, last=4]');
  });

  test('closes when the loop breaks, and works over a DataLoader', () => {
    const s = new FakeStream(true);
    const loader = new tg.data.DataLoader(new tg.data.TensorDataset(tg.arange(10)), { batchSize: 4 });
    const it = progress(loader, { stream: s, desc: 'batches' });
    expect(it.bar.total).toBe(3);
    for (const batch of it) {
      expect((batch as tg.Tensor[])[0].shape).toEqual([4]);
      break;
    }
    // As tqdm: an item counts once the loop body finishes, so a break leaves 0/3.
    expect(s.text.endsWith('\n')).toBe(true);
    expect(it.bar.n).toBe(0);
    expect(s.writes[s.writes.length - 2]).toContain('0/3');
  });
});

test('formatDuration as tqdm', () => {
  expect([formatDuration(0), formatDuration(65.9), formatDuration(3725), formatDuration(NaN)]).toEqual(['00:00', '01:05', '1:02:05', '?']);
});
