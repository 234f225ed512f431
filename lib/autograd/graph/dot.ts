/** The backward graph in Graphviz DOT, in torchviz's style (`make_dot`). */
import { GraphModel } from './model';

/** A DOT double-quoted string: quotes and backslashes escaped, lines joined with `\n`. */
function quote(lines: string[]): string {
  return '"' + lines.map((l) => l.replace(/\\/g, '\\\\').replace(/"/g, '\\"')).join('\\n') + '"';
}

/** Writes `model` as a DOT digraph: node statements first, then edges (input -> consumer). */
export function modelToDot(model: GraphModel): string {
  const out: string[] = [
    'digraph {',
    '\tgraph [size="12,12"]',
    '\tnode [align=left fontname=monospace fontsize=10 height=0.2 ranksep=0.1 shape=box style=filled]',
  ];
  for (const n of model.nodes) out.push(`\t${n.id} [label=${quote(n.lines)} fillcolor=${n.fill}]`);
  for (const e of model.edges) out.push(`\t${e.from} -> ${e.to}`);
  out.push('}');
  return out.join('\n') + '\n';
}
