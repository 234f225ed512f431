#!/usr/bin/env node
// Writes the README's op list from the op table (lib/ops/registry.ts), between the markers
// <!-- op-list:start --> and <!-- op-list:end -->. Run after `npm run build:ts`:
//   node scripts/op-list.js          rewrite README.md
//   node scripts/op-list.js --check  exit 1 if README.md is out of date
'use strict';
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');

function render(table) {
  const families = new Map();
  for (const op of table) {
    if (!families.has(op.family)) families.set(op.family, []);
    families.get(op.family).push(op);
  }
  const lines = ['| family | ops (* : no gradient, † : no double backward) |', '|---|---|'];
  for (const [family, ops] of families) {
    const names = ops.map((o) => '`' + o.name + '`' + (!o.differentiable ? '*' : !o.gradgrad ? '†' : ''));
    lines.push(`| ${family} | ${names.join(', ')} |`);
  }
  return lines.join('\n');
}

function main() {
  const tg = require(path.join(root, 'dist', 'lib'));
  const readme = path.join(root, 'README.md');
  const text = fs.readFileSync(readme, 'utf8');
  const start = '<!-- op-list:start -->';
  const end = '<!-- op-list:end -->';
  const i = text.indexOf(start);
  const j = text.indexOf(end);
  if (i < 0 || j < i) throw new Error('README.md has no op-list markers');
  const updated = text.slice(0, i + start.length) + '\n' + render(tg.opTable()) + '\n' + text.slice(j);
  if (process.argv.includes('--check')) {
    if (updated !== text) {
      console.error('README.md op list is out of date: run `node scripts/op-list.js`');
      process.exit(1);
    }
    return;
  }
  fs.writeFileSync(readme, updated);
}

module.exports = { render };
if (require.main === module) main();
