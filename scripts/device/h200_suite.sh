#!/usr/bin/env bash
# One measurement run of the physics the estimator's efficiencies rest on (issue 18, Deliver 3), on one GPU of the
# `device` tool: no network, only the image's python3 with torch (+ NVML through pynvml). Parts, in order:
#   1 attention_prefill.py   causal prefill attention per SDPA backend          → attention-prefill-TAG.csv
#   2 moe_layer.py           one MoE layer, bf16 grouped GEMMs                  → moe-layer-TAG.csv
#   3 moe_layer.py fp8       the two expert GEMMs in e4m3                       → moe-experts-fp8-TAG.csv
#   4 gemm_sweep.py          dense GEMM bf16/fp8 over M, HBM bandwidth, sustained → gemm-TAG.csv, machine-TAG.csv
#   5 decode_attention.py    decode attention vs batch × context, GQA and MLA   → decode-attention-TAG.csv
# Each part runs under its own time limit and fails alone: its exit status and the tail of its output go to
# errors-TAG.log (written only when a part fails) and the next part runs. Everything printed goes to suite-TAG.log.
# At most 8 files in OUT_DIR (the device tool's limit): 6 CSVs and the two logs.
#
# Usage: bash scripts/device/h200_suite.sh OUT_DIR [TAG]     (TAG defaults to h200; e.g. h100 on an H100)
#        DRY_RUN=1 bash scripts/device/h200_suite.sh /tmp/x   (tiny sizes on any device; numbers mean nothing)
set -u
OUT_DIR=${1:-${OUT:-}}
TAG=${2:-h200}
if [ -z "$OUT_DIR" ]; then echo "usage: $0 OUT_DIR [TAG]" >&2; exit 2; fi
mkdir -p "$OUT_DIR"
HERE=$(cd "$(dirname "$0")" && pwd)
LOG=$OUT_DIR/suite-$TAG.log
ERR=$OUT_DIR/errors-$TAG.log
export PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1
DRY=""
if [ "${DRY_RUN:-0}" = 1 ]; then DRY=--dry-run; fi
T0=$(date +%s)
: >"$LOG"
say() { echo "$*" | tee -a "$LOG"; }

say "h200_suite: tag $TAG, out $OUT_DIR, $(date -u +%FT%TZ)${DRY_RUN:+, DRY_RUN=$DRY_RUN}"
# Read-only queries: the card's state as found (clocks, power limit, memory in use). Nothing is set.
nvidia-smi --query-gpu=name,memory.total,memory.used,driver_version,clocks.sm,clocks.max.sm,clocks.mem,power.limit,power.draw,temperature.gpu,pstate --format=csv 2>&1 | tee -a "$LOG"
python3 -c '
import torch
try:
    import triton; tv = triton.__version__
except ImportError:
    tv = None
print("torch", torch.__version__, "cuda", torch.version.cuda, "cudnn", torch.backends.cudnn.version(), "triton", tv, "gpu", torch.cuda.get_device_name() if torch.cuda.is_available() else None)' 2>&1 | tee -a "$LOG"

# part NAME LIMIT_S CSV... -- COMMAND...: runs COMMAND under LIMIT_S, logs it, prints one summary line.
part() {
  local name=$1 limit=$2; shift 2
  local csvs=()
  while [ "$1" != -- ]; do csvs+=("$1"); shift; done
  shift
  local start=$(date +%s) tmp=/tmp/h200_suite_$name.out
  say "=== part $name (limit ${limit}s, at +$((start - T0))s): $*"
  # Progress lines go to the log only, so that stdout (whose tail the device tool returns) keeps the summaries.
  timeout -k 10 "$limit" "$@" 2>&1 | tee "$tmp" >>"$LOG"
  local rc=${PIPESTATUS[0]}
  local took=$(( $(date +%s) - start )) rows=""
  for c in "${csvs[@]}"; do
    if [ -f "$c" ]; then rows+=" $(basename "$c"): $(( $(wc -l <"$c") - 1 )) rows;"; else rows+=" $(basename "$c"): missing;"; fi
  done
  local summary=$(grep '^SUMMARY' "$tmp" | tail -n 1)
  if [ $rc -ne 0 ]; then
    local why="exit $rc"; [ $rc -eq 124 ] && why="timed out after ${limit}s (rows written so far are kept)"
    { echo "=== part $name FAILED: $why (after ${took}s)"; echo "--- last 60 lines of its output:"; tail -n 60 "$tmp"; echo; } >>"$ERR"
    say "PART $name: FAILED ($why) in ${took}s;$rows see $(basename "$ERR")"
  else
    say "PART $name: ok in ${took}s;$rows ${summary}"
  fi
  rm -f "$tmp"
}

# Best cuDNN TFLOP/s per shape from the attention CSV, and the largest-M MoE rates, for the summary lines.
attn_summary() { [ -f "$1" ] && awk -F, 'NR>1 && $8+0>best[$1]{best[$1]=$8+0; at[$1]=$5" "$6} END{for(s in best) printf "SUMMARY attention %s: best %.0f TFLOP/s (%s)\n", s, best[s], at[s]}' "$1"; }

A=$OUT_DIR/attention-prefill-$TAG.csv
M=$OUT_DIR/moe-layer-$TAG.csv
M8=$OUT_DIR/moe-experts-fp8-$TAG.csv
G=$OUT_DIR/gemm-$TAG.csv
MA=$OUT_DIR/machine-$TAG.csv
D=$OUT_DIR/decode-attention-$TAG.csv

# Limits add up to 475 s; expected total is about half of that. The two new scripts also stop themselves
# (--budget-s) before their limit, so they end with every row they took.
if [ -z "$DRY" ]; then
  part attention 75 "$A" -- python3 "$HERE/attention_prefill.py" "$A"
  attn_summary "$A" | tee -a "$LOG"
  part moe 110 "$M" -- python3 "$HERE/moe_layer.py" "$M"
  part moe-fp8 80 "$M8" -- python3 "$HERE/moe_layer.py" "$M8" fp8
else
  say "dry run: the H100-era scripts (attention_prefill.py, moe_layer.py) have no dry-run mode and are skipped"
fi
part gemm 130 "$G" "$MA" -- python3 "$HERE/gemm_sweep.py" --out "$G" --machine-out "$MA" --budget-s 115 $DRY
part decode-attention 80 "$D" -- python3 "$HERE/decode_attention.py" --out "$D" --budget-s 65 $DRY

nvidia-smi --query-gpu=clocks.sm,clocks.mem,power.draw,temperature.gpu,memory.used --format=csv 2>&1 | tee -a "$LOG"
# The key figures last, where the device tool's output tail keeps them.
grep -h '^SUMMARY\|^PART' "$LOG" | sed 's/^/recap: /'
say "h200_suite: done in $(( $(date +%s) - T0 ))s; files: $(cd "$OUT_DIR" && ls | tr '\n' ' ')"
