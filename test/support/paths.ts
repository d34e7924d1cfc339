import * as path from 'node:path';

/** Repository root (tests run from out/test/...). */
export const root = path.resolve(__dirname, '../../..');
export const fixture = (...p: string[]) => path.join(root, 'test-fixtures', ...p);
export const dist = (...p: string[]) => path.join(root, 'dist', ...p);
