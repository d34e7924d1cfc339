/** A Hugging Face `config.json` on its own: the model served with the engine's defaults. */
import { isMap } from 'yaml';
import { defaultWorkload } from '../plan/defaults';
import { byDefault, DeploymentPlan, sourced } from '../plan/types';
import { entries, rangeOf } from './document';
import { applyDirective, findDirective } from './directive';
import type { FormatReader, ReadContext } from './types';

export const hfConfigReader: FormatReader = {
  name: 'hf-config',
  detect(doc) {
    const root = doc.docs[0]?.contents;
    if (!isMap(root)) return false;
    const keys = new Set(entries(root).map((e) => e.key));
    return (keys.has('model_type') || keys.has('architectures')) && (keys.has('num_hidden_layers') || keys.has('text_config') || keys.has('n_layer'));
  },
  read(doc, ctx: ReadContext) {
    const root = doc.docs[0].contents;
    const list = entries(root);
    const config = Object.fromEntries(list.map((e) => [e.key, e.value]));
    const anchor = list.find((e) => e.key === 'architectures') ?? list.find((e) => e.key === 'model_type') ?? list[0];
    const name = decodeURIComponent(doc.uri.replace(/\/config\.json$/, '').split('/').pop() ?? 'model');
    // ModelOpt checkpoints keep their quantization in hf_quant_config.json beside config.json.
    const side = ctx.loadLocalConfig?.('.');
    const plan: DeploymentPlan = {
      name,
      model: { ref: sourced(name, { kind: 'file', range: rangeOf(doc, anchor?.keyNode), key: anchor?.key ?? 'model' }), config, hfQuantConfig: side?.hfQuantConfig },
      hardware: { gpu: ctx.gpu ?? byDefault('H100-SXM', 'GPU H100 SXM (default)'), count: ctx.gpuCount, replicas: byDefault(1, 'one replica') },
      engine: { name: byDefault('vllm', 'engine vLLM (default)') },
      knobs: {},
      workload: defaultWorkload(),
    };
    applyDirective(plan, findDirective(doc.text));
    return { format: 'hf-config', plans: [plan], problems: [] };
  },
};
