// Writes test/fixtures/tg_written.safetensors: a nested checkpoint saved by tensorgrad from the
// tensors in test/fixtures/torch_written.json. scripts/fixtures_safetensors.py then reads it
// with safetensors.torch and checks values, structure and bytes (see that script's docstring).
// Needs the compiled library: npx tsc -p tsconfig.json && node scripts/fixtures_tg_safetensors.js
'use strict';
const path = require('path');
const fs = require('fs');
const tg = require('../dist/lib');

const fixtures = path.join(__dirname, '..', 'test', 'fixtures');
const spec = JSON.parse(fs.readFileSync(path.join(fixtures, 'torch_written.json'), 'utf8'));

const model = {};
for (const name of spec.plain) {
  const t = spec.tensors[name];
  model[name] = tg.tensor(t.values, { dtype: t.tgDtype }).reshape(t.shape);
}
const checkpoint = {
  model,
  optimizer: {
    state: { 0: { step: tg.tensor(3), exp_avg: model['fc.weight'].mul(0.5) } },
    paramGroups: [{ lr: 0.001, betas: [0.9, 0.999], amsgrad: false, params: [0], name: null }],
  },
  epoch: 3,
  best: Infinity,
};
tg.save(checkpoint, path.join(fixtures, 'tg_written.safetensors'));
console.log('wrote test/fixtures/tg_written.safetensors');
