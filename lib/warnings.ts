/**
 * One channel for UserWarnings, shown once per message and call site as Python does by
 * default. Goes through process.emitWarning so users can filter or capture it.
 */
const seen = new Set<string>();

export function warn(message: string, category = 'UserWarning'): void {
  const site = (new Error().stack ?? '').split('\n').slice(3, 4).join('');
  const key = message + '|' + site;
  if (seen.has(key)) return;
  seen.add(key);
  process.emitWarning(message, category);
}
