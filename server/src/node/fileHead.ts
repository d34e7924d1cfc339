/** The first `bytes` of a file as text, without reading the rest (large logs, oversized configs). Node only. */
import * as fs from 'node:fs';

export function fileHead(file: string, bytes: number): string {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const n = fs.readSync(fd, buf, 0, bytes, 0);
    return buf.subarray(0, n).toString('utf8');
  } finally {
    fs.closeSync(fd);
  }
}
