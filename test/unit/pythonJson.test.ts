/** config.json as Python writes it (bare Infinity / NaN) is read, not mistaken for a missing config. */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { parsePythonJson } from '../../server/src/formats/pythonJson';
import { localModelLoader } from '../../server/src/node/localModels';

describe('Python-style JSON in config.json', () => {
  it('bare Infinity, -Infinity and NaN read as null; the same words inside strings are kept', () => {
    assert.deepEqual(parsePythonJson('{"time_step_limit": [0.0, Infinity], "a": -Infinity, "b": NaN, "s": "Infinity \\" NaN"}'),
      { time_step_limit: [0, null], a: null, b: null, s: 'Infinity " NaN' });
    assert.deepEqual(parsePythonJson('{"x": 1}'), { x: 1 });
  });

  it('other invalid JSON still fails', () => {
    assert.throws(() => parsePythonJson('{"x": }'));
    assert.throws(() => parsePythonJson('{"x": Infinityy}'));
  });

  it('a local model folder whose config.json holds Infinity loads', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'da-pyjson-'));
    try {
      fs.mkdirSync(path.join(dir, 'm'));
      fs.writeFileSync(path.join(dir, 'm', 'config.json'), '{"model_type": "nemotron_h", "num_hidden_layers": 2, "time_step_limit": [0.0, Infinity]}');
      assert.equal(localModelLoader(dir)('./m')?.config.model_type, 'nemotron_h');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
