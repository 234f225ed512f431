// The op table drives the gradient sweep: every differentiable op it declares must have
// samples in test/ops_registry.ts (entries are named after the op, e.g. 'add(alpha)').
import * as fs from 'fs';
import * as path from 'path';
import * as tg from '../lib';
import { ALL_OPS as OPS } from './ops';

function opNameOf(entry: string): string {
  const m = /^(?:tg\.)?([A-Za-z_][A-Za-z0-9_]*)/.exec(entry);
  return m ? m[1] : entry;
}

test('every differentiable op in the table has gradcheck samples', () => {
  const covered = new Set(OPS.map((o) => opNameOf(o.name)));
  const missing = tg
    .opTable()
    .filter((op) => op.differentiable && !covered.has(op.name))
    .map((op) => op.name);
  expect(missing).toEqual([]);
});

test('every declared op is callable as a Tensor method (nn ops: as tg.nn.functional.<name>; linalg-only ops: as tg.linalg.<name>)', () => {
  const t = tg.ones(1);
  const functional = tg.nn.functional as unknown as Record<string, unknown>;
  for (const op of tg.opTable()) {
    if (op.family === 'linalg' && typeof (t as unknown as Record<string, unknown>)[op.name] !== 'function') {
      expect(typeof (tg.linalg as unknown as Record<string, unknown>)[op.name]).toBe('function');
      continue;
    }
    if (op.family === 'nn') {
      // PyTorch's torch.nn.functional ops are functions; only some are also Tensor methods.
      expect(typeof functional[op.name]).toBe('function');
      if (op.method) expect(typeof (t as unknown as Record<string, unknown>)[op.name]).toBe('function');
      continue;
    }
    expect(typeof (t as unknown as Record<string, unknown>)[op.name]).toBe('function');
  }
});

test("the README's op list is the one generated from the table", () => {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { render } = require('../scripts/op-list.js') as { render: (t: tg.OpInfo[]) => string };
  const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
  expect(readme).toContain(render(tg.opTable()));
});
