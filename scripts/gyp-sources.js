#!/usr/bin/env node
// Lists the C++ sources of the CPU addon for binding.gyp: every csrc/**/*.cpp
// (and *.cc) except csrc/cuda/**, which only the CMake build compiles (with
// -DTENSORGRAD_CUDA=ON). Paths are relative to the package root, '/'-separated,
// sorted, one per line; gyp splits the output like a shell does.
//
//   node scripts/gyp-sources.js            -> for '<!@(node scripts/gyp-sources.js)'
//   node scripts/gyp-sources.js --json     -> JSON array (for other tools)
'use strict';

const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const csrc = path.join(root, 'csrc');
const EXCLUDED_DIRS = new Set(['cuda']); // top-level dirs under csrc/ left out of the gyp build
const EXTENSIONS = ['.cpp', '.cc'];

function walk(dir, rel, out) {
  let entries;
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch (err) {
    if (err.code === 'ENOENT') return;
    throw err;
  }
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    const relPath = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) {
      if (!rel && EXCLUDED_DIRS.has(e.name)) continue;
      walk(path.join(dir, e.name), relPath, out);
    } else if (e.isFile() && EXTENSIONS.includes(path.extname(e.name))) {
      out.push(`csrc/${relPath}`);
    }
  }
}

const sources = [];
walk(csrc, '', sources);
sources.sort();

if (sources.length === 0) {
  process.stderr.write('tensorgrad: no C++ sources found under csrc/ (csrc/cuda is excluded)\n');
  process.exit(1);
}

if (process.argv.includes('--json')) {
  process.stdout.write(JSON.stringify(sources) + '\n');
} else {
  // gyp parses '<!@(...)' output with shlex.split, so quote anything unusual.
  const quote = (s) => (/^[A-Za-z0-9_./+-]+$/.test(s) ? s : `'${s.replace(/'/g, "'\\''")}'`);
  process.stdout.write(sources.map(quote).join('\n') + '\n');
}
