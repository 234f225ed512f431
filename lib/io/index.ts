/**
 * Checkpoints: `save`/`load` in the safetensors format, and the format's raw
 * `serialize`/`deserialize`.
 */
export { save, load, loadMetadata, STRUCTURE_KEY } from './checkpoint';
export type { SaveOptions } from './checkpoint';
export { serialize, deserialize } from './safetensors';
export type { SafetensorsContent } from './safetensors';
