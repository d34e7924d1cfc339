"""Peak GPU memory and step time of real training steps (forward + backward + optimizer.step) on random-weight models
built from configs (no downloads), for the training estimator's calibration (server/src/estimator/training/).

Per case it records, in bytes (torch.cuda caching allocator counters):
  base_alloc     allocated after the model (and adapters) are built: the weights
  fwd_keep       allocated after the forward + loss, minus base (what the forward keeps for backward, incl. logits)
  peak_fwd/bwd/opt  max allocated within each phase, over the timed steps (reset before each phase)
  peak_alloc     torch.cuda.max_memory_allocated over the whole run of the case
  peak_reserved  torch.cuda.max_memory_reserved over the case
  states_alloc   allocated after the first optimizer step minus base, grads set to None (the optimizer states)
  context        device used - reserved, read once after the first case (CUDA context, cuBLAS/cuDNN handles)
Usage: python3 train_memory.py OUT.csv [--quick]
"""
import csv
import gc
import os
import sys
import time
import traceback

import torch
from transformers import AutoConfig, AutoModelForCausalLM

OUT = sys.argv[1] if len(sys.argv) > 1 else 'train-memory-h200.csv'
QUICK = '--quick' in sys.argv

try:
    import peft  # noqa: F401
    HAVE_PEFT = True
except Exception:
    HAVE_PEFT = False
try:
    import bitsandbytes  # noqa: F401
    HAVE_BNB = True
except Exception:
    HAVE_BNB = False

# Shapes as the public config.json files give them (random weights; only the shape matters).
CONFIGS = {
    'llama-3.2-1b': dict(model_type='llama', hidden_size=2048, num_hidden_layers=16, num_attention_heads=32,
                         num_key_value_heads=8, intermediate_size=8192, vocab_size=128256, tie_word_embeddings=True,
                         max_position_embeddings=8192, rms_norm_eps=1e-5, rope_theta=500000.0, head_dim=64),
    'llama-3.2-3b': dict(model_type='llama', hidden_size=3072, num_hidden_layers=28, num_attention_heads=24,
                         num_key_value_heads=8, intermediate_size=8192, vocab_size=128256, tie_word_embeddings=True,
                         max_position_embeddings=8192, rms_norm_eps=1e-5, rope_theta=500000.0, head_dim=128),
    'qwen2.5-7b': dict(model_type='qwen2', hidden_size=3584, num_hidden_layers=28, num_attention_heads=28,
                       num_key_value_heads=4, intermediate_size=18944, vocab_size=152064, tie_word_embeddings=False,
                       max_position_embeddings=32768, rms_norm_eps=1e-6, rope_theta=1000000.0),
    'olmoe-1b-7b': dict(model_type='olmoe', hidden_size=2048, num_hidden_layers=16, num_attention_heads=16,
                        num_key_value_heads=16, intermediate_size=1024, vocab_size=50304, num_experts=64,
                        num_experts_per_tok=8, tie_word_embeddings=False, max_position_embeddings=4096,
                        rms_norm_eps=1e-5, router_aux_loss_coef=0.01, output_router_logits=False),
}

QV = ['q_proj', 'v_proj']
ALL = ['q_proj', 'k_proj', 'v_proj', 'o_proj', 'gate_proj', 'up_proj', 'down_proj']
ATTN = ['q_proj', 'k_proj', 'v_proj', 'o_proj']


def case(model, method, precision, seq, mb, ckpt, attn='sdpa', optim='adamw', targets=None, rank=16):
    return dict(model=model, method=method, precision=precision, seq=seq, mb=mb, ckpt=ckpt, attn=attn, optim=optim,
                targets=targets, rank=rank)


def cases():
    c = []
    m = 'llama-3.2-1b'
    for prec in ['bf16', 'mixed']:
        for ck in [False, True]:
            for seq, mb in [(1024, 2), (2048, 4)]:
                c.append(case(m, 'full', prec, seq, mb, ck))
    c += [case(m, 'full', 'bf16', 2048, 4, ck, optim='adamw-fused') for ck in [False, True]]
    c += [case(m, 'full', 'mixed', 2048, 4, False, optim='adamw-fused')]
    c += [case(m, 'full', 'bf16', 4096, 1, ck) for ck in [False, True]]
    c += [case(m, 'full', 'bf16', s, b, False, attn='eager') for s, b in [(1024, 2), (2048, 2)]]
    c += [case(m, 'full', 'bf16', 2048, 2, True, attn='eager')]
    c += [case(m, 'full', 'bf16', 2048, 4, False, optim='sgd')]
    if HAVE_PEFT:
        for ck in [False, True]:
            for seq, mb in [(1024, 2), (2048, 4)]:
                c.append(case(m, 'lora', 'bf16', seq, mb, ck, targets=QV))
            c.append(case(m, 'lora', 'bf16', 2048, 4, ck, targets=ALL))
        c.append(case(m, 'lora', 'mixed', 2048, 4, False, targets=ALL))
        c.append(case(m, 'lora', 'bf16', 2048, 2, False, attn='eager', targets=ALL))
        c.append(case(m, 'lora', 'bf16', 2048, 4, False, targets=ALL, rank=64))
        if HAVE_BNB:
            c += [case(m, 'qlora', 'bf16', 2048, 4, ck, targets=ALL) for ck in [False, True]]
            c.append(case(m, 'full', 'bf16', 2048, 4, False, optim='adamw-8bit'))
    m = 'llama-3.2-3b'
    c += [case(m, 'full', 'bf16', 2048, 2, ck) for ck in [False, True]]
    c += [case(m, 'full', 'mixed', 2048, 2, True)]
    if HAVE_PEFT:
        c += [case(m, 'lora', 'bf16', 2048, 4, ck, targets=ALL) for ck in [False, True]]
    m = 'qwen2.5-7b'
    c += [case(m, 'full', 'bf16', 2048, 1, True), case(m, 'full', 'bf16', 4096, 2, True)]
    c += [case(m, 'full', 'mixed', 2048, 1, True), case(m, 'full', 'mixed', 4096, 4, False)]
    if HAVE_PEFT:
        c += [case(m, 'lora', 'bf16', 2048, 2, ck, targets=ALL) for ck in [False, True]]
        c += [case(m, 'lora', 'bf16', 4096, 4, True, targets=ALL)]
        if HAVE_BNB:
            c += [case(m, 'qlora', 'bf16', 2048, 2, True, targets=ALL)]
    m = 'olmoe-1b-7b'
    c += [case(m, 'full', 'bf16', 2048, 2, ck) for ck in [False, True]]
    if HAVE_PEFT:
        c += [case(m, 'lora', 'bf16', 2048, 2, False, targets=ATTN)]
    if QUICK:
        c = [x for x in c if x['model'] == 'llama-3.2-1b'][:3]
    return c


def build(cs):
    cfg = AutoConfig.for_model(**CONFIGS[cs['model']])
    dtype = torch.float32 if (cs['precision'] == 'mixed' and cs['method'] == 'full') else torch.bfloat16
    kw = dict(attn_implementation=cs['attn'])
    if cs['method'] == 'qlora':
        # from_config does not quantize: build bf16, then swap the target linears for bnb 4-bit ones
        kw['dtype'] = torch.bfloat16
    else:
        kw['dtype'] = dtype
    with torch.device('cuda'):
        try:
            model = AutoModelForCausalLM.from_config(cfg, **kw)
        except TypeError:
            kw['torch_dtype'] = kw.pop('dtype')
            model = AutoModelForCausalLM.from_config(cfg, **kw)
    if cs['method'] == 'qlora':
        import bitsandbytes as bnb
        targets = set(cs['targets'])
        for name, mod in list(model.named_modules()):
            for cname, child in list(mod.named_children()):
                if cname in targets and isinstance(child, torch.nn.Linear):
                    q = bnb.nn.Linear4bit(child.in_features, child.out_features, bias=child.bias is not None,
                                          compute_dtype=torch.bfloat16, quant_type='nf4', compress_statistics=True)
                    q.weight = bnb.nn.Params4bit(child.weight.data.cpu(), requires_grad=False, quant_type='nf4',
                                                 compress_statistics=True)
                    setattr(mod, cname, q.cuda())
                    del child
        gc.collect(); torch.cuda.empty_cache()
    if next(model.parameters()).device.type != 'cuda':
        model = model.cuda()
    model.config.use_cache = False
    if cs['ckpt']:
        model.gradient_checkpointing_enable(gradient_checkpointing_kwargs={'use_reentrant': False})
    if cs['method'] in ('lora', 'qlora'):
        from peft import LoraConfig, get_peft_model
        for p in model.parameters():
            p.requires_grad_(False)
        if cs['ckpt']:
            model.enable_input_require_grads()
        lc = LoraConfig(r=cs['rank'], lora_alpha=2 * cs['rank'], target_modules=cs['targets'], lora_dropout=0.0,
                        bias='none', task_type='CAUSAL_LM')
        model = get_peft_model(model, lc)
    model.train()
    return model


def make_opt(model, name):
    params = [p for p in model.parameters() if p.requires_grad]
    if name == 'adamw':
        return torch.optim.AdamW(params, lr=1e-5, foreach=True, fused=False)
    if name == 'adamw-fused':
        return torch.optim.AdamW(params, lr=1e-5, fused=True)
    if name == 'sgd':
        return torch.optim.SGD(params, lr=1e-5, momentum=0.9, foreach=True)
    if name == 'adamw-8bit':
        import bitsandbytes as bnb
        return bnb.optim.AdamW8bit(params, lr=1e-5)
    raise ValueError(name)


def run_case(cs, writer, fh):
    torch.cuda.empty_cache()
    torch.cuda.reset_peak_memory_stats()
    row = dict(cs)
    row['targets'] = ','.join(cs['targets']) if cs['targets'] else ''
    row.update(status='ok', error='')
    model = opt = None
    try:
        model = build(cs)
        torch.cuda.synchronize()
        base = torch.cuda.memory_allocated()
        row['base_alloc'] = base
        row['trainable'] = sum(p.numel() for p in model.parameters() if p.requires_grad)
        row['total_params'] = sum(p.numel() for p in model.parameters())
        opt = make_opt(model, cs['optim'])
        vocab = CONFIGS[cs['model']]['vocab_size']
        ids = torch.randint(0, vocab, (cs['mb'], cs['seq']), device='cuda')
        auto = cs['precision'] == 'mixed'
        peaks = dict(fwd=0, bwd=0, opt=0)
        times = []
        steps = 3
        for step in range(steps):
            torch.cuda.synchronize(); t0 = time.perf_counter()
            torch.cuda.reset_peak_memory_stats() if step > 0 else None
            before = torch.cuda.memory_allocated()
            with torch.autocast('cuda', dtype=torch.bfloat16, enabled=auto):
                out = model(input_ids=ids, labels=ids)
            loss = out.loss
            del out
            torch.cuda.synchronize()
            if step > 0:
                peaks['fwd'] = max(peaks['fwd'], torch.cuda.max_memory_allocated())
                row['fwd_keep'] = torch.cuda.memory_allocated() - before
                torch.cuda.reset_peak_memory_stats()
            loss.backward()
            del loss
            torch.cuda.synchronize()
            if step > 0:
                peaks['bwd'] = max(peaks['bwd'], torch.cuda.max_memory_allocated())
                row['grads_alloc'] = torch.cuda.memory_allocated() - before
                torch.cuda.reset_peak_memory_stats()
            opt.step()
            torch.cuda.synchronize()
            if step > 0:
                peaks['opt'] = max(peaks['opt'], torch.cuda.max_memory_allocated())
            opt.zero_grad(set_to_none=True)
            torch.cuda.synchronize()
            if step == 0:
                row['states_alloc'] = torch.cuda.memory_allocated() - base
            else:
                times.append(time.perf_counter() - t0)
        row['peak_fwd'], row['peak_bwd'], row['peak_opt'] = peaks['fwd'], peaks['bwd'], peaks['opt']
        row['peak_alloc'] = max(peaks.values())
        row['peak_reserved'] = torch.cuda.max_memory_reserved()
        row['step_s'] = min(times) if times else ''
    except torch.cuda.OutOfMemoryError as e:
        row['status'] = 'oom'
        row['error'] = str(e).split('\n')[0][:200]
        row['peak_alloc'] = torch.cuda.max_memory_allocated()
        row['peak_reserved'] = torch.cuda.max_memory_reserved()
    except Exception as e:
        row['status'] = 'error'
        row['error'] = (type(e).__name__ + ': ' + str(e)).replace('\n', ' ')[:300]
        traceback.print_exc()
    free, total = torch.cuda.mem_get_info()
    row['context'] = (total - free) - torch.cuda.memory_reserved()
    row['gpu_total'] = total
    del model, opt
    gc.collect()
    torch.cuda.empty_cache()
    writer.writerow(row)
    fh.flush()
    print({k: row.get(k) for k in ['model', 'method', 'precision', 'seq', 'mb', 'ckpt', 'attn', 'optim', 'status',
                                    'peak_alloc', 'peak_reserved', 'step_s']}, flush=True)


FIELDS = ['model', 'method', 'precision', 'seq', 'mb', 'ckpt', 'attn', 'optim', 'targets', 'rank', 'status', 'error',
          'trainable', 'total_params', 'base_alloc', 'states_alloc', 'fwd_keep', 'grads_alloc', 'peak_fwd', 'peak_bwd',
          'peak_opt', 'peak_alloc', 'peak_reserved', 'step_s', 'context', 'gpu_total']


def main():
    import transformers
    print('torch', torch.__version__, 'transformers', transformers.__version__, 'peft', HAVE_PEFT, 'bnb', HAVE_BNB,
          torch.cuda.get_device_name(), flush=True)
    deadline = time.time() + float(os.environ.get('TRAIN_MEM_BUDGET_S', '480'))
    with open(OUT, 'w', newline='') as fh:
        w = csv.DictWriter(fh, fieldnames=FIELDS, extrasaction='ignore')
        w.writeheader()
        for cs in cases():
            if time.time() > deadline:
                print('budget reached; stopping before', cs, flush=True)
                break
            run_case(cs, w, fh)


if __name__ == '__main__':
    main()
