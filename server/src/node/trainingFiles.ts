/** The file reader training configs use for the files they name (a DeepSpeed JSON) — Node only, for the CLI and server. */
import * as fs from 'node:fs';
import { MAX_PARSE_BYTES } from '../formats/document';
import type { TrainingReadContext } from '../formats/training/types';

/** Reads a plain file up to the parse limit; undefined when it is missing, not a file, too large or unreadable. */
export function trainingFileReader(): NonNullable<TrainingReadContext['readFile']> {
  return (p) => {
    try {
      const st = fs.statSync(p);
      return st.isFile() && st.size <= MAX_PARSE_BYTES ? fs.readFileSync(p, 'utf8') : undefined;
    } catch {
      return undefined;
    }
  };
}
