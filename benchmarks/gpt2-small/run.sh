#!/usr/bin/env bash
# GPT-2-small-shaped benchmarks (issues 15 and 16 part 5): our import / generation / training against Hugging Face
# transformers eager, one process per measurement, peer and ours alternating. Prints a markdown table and writes it
# to target/gpt2-small/results.md. Needs the peer site (PEER_SITE, default /tmp/hf-peer/site; recipe in
# ../shared/peers/hf-transformers/README.md) and a built tree (./mvnw -B -q -o install -DskipTests).
# Usage: benchmarks/gpt2-small/run.sh [generate|train|all]   (TRAIN_BATCH=2 TRAIN_STEPS=3 by default)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
what="${1:-all}"
site="${PEER_SITE:-/tmp/hf-peer/site}"
train_batch="${TRAIN_BATCH:-2}"
train_steps="${TRAIN_STEPS:-3}"
work="$root/target/gpt2-small"
mkdir -p "$work"
rows="$work/rows.tsv"
: >"$rows"
cache="$root/target/native-cache"
cd "$root/integration-tests"
"$root/mvnw" -B -q -o dependency:build-classpath -Dmdep.outputFile="$work/cp.txt" -Dmdep.includeScope=test >/dev/null
"$root/mvnw" -B -q -o test-compile >/dev/null
cp="target/test-classes:$(cat "$work/cp.txt")"

# one measurement: its tab-separated row plus /usr/bin/time's peak RSS (MB), wall seconds and threads label
measure() {
  local threads="$1"
  shift
  local log="$work/last.log"
  if ! /usr/bin/time -f '%M %e' -o "$work/time.txt" "$@" >"$work/out.txt" 2>"$log"; then
    echo "FAILED: $*" >&2
    tail -20 "$log" >&2
    return 0 # the table shows what did run
  fi
  local line
  line="$(grep -P '\t' "$work/out.txt" | tail -1)"
  read -r rss wall <"$work/time.txt"
  printf '%s\t%s\t%s\t%s\n' "$line" "$((rss / 1024))" "$wall" "$threads" | tee -a "$rows" >&2
}
peer=(env PYTHONPATH="$site" /usr/bin/python3 "$root/benchmarks/gpt2-small/hf_peer.py")
ours=(env DJL_CACHE_DIR="$cache/djl" OPT_OUT_TRACKING=true java -Dai.djl.offline=true
  -Dorg.bytedeco.javacpp.cachedir="$cache/javacpp" -Donnxruntime.native.path="$cache/onnxruntime"
  -cp "$cp" dev.text2code.it.bench.Gpt2SmallBench)

hf="$work/hf"
ckpt="$work/checkpoint"
[[ -f "$hf/model.safetensors" ]] || "${peer[@]}" write "$hf" >&2
start_load="$(uptime | sed 's/.*load average: //')"
started=$(date +%s)
if [[ "$what" != train ]]; then
  measure 1 "${peer[@]}" load "$hf" 1
  measure - "${ours[@]}" import "$hf" "$ckpt"
  measure - "${ours[@]}" export "$ckpt"
  for batch in 1 8; do
    measure 1 "${peer[@]}" generate "$hf" "$batch" 1 "$work/peer-b$batch-t1.txt"
    measure - "${ours[@]}" generate pytorch "$ckpt" "$hf/prompts.txt" "$batch" "$work/pytorch-b$batch.txt"
    measure 2 "${peer[@]}" generate "$hf" "$batch" 2 "$work/peer-b$batch-t2.txt"
    measure - "${ours[@]}" generate tensorflow "$ckpt" "$hf/prompts.txt" "$batch" "$work/tensorflow-b$batch.txt"
    measure - "${ours[@]}" generate onnx "$ckpt/model.onnx" "$hf/prompts.txt" "$batch" "$work/onnx-b$batch.txt"
  done
fi
if [[ "$what" != generate ]]; then
  measure 1 "${peer[@]}" sgemm 1
  measure 2 "${peer[@]}" sgemm 2
  measure 1 "${ours[@]}" sgemm 1
  measure 2 "${ours[@]}" sgemm 2
  measure 1 "${peer[@]}" train "$train_batch" "$train_steps" 1
  measure - "${ours[@]}" train pytorch "$train_batch" "$train_steps"
  measure 2 "${peer[@]}" train "$train_batch" "$train_steps" 2
  measure - "${ours[@]}" train tensorflow "$train_batch" "$train_steps"
fi
end_load="$(uptime | sed 's/.*load average: //')"
python3 "$root/benchmarks/gpt2-small/table.py" "$rows" "$work" "$hf/model.safetensors" \
  "$(date -u '+%Y-%m-%d %H:%M UTC'), $(( $(date +%s) - started )) s, commit $(git -C "$root" rev-parse --short HEAD), load average at start $start_load, at end $end_load" \
  | tee "$work/results.md"
echo "written to $work/results.md" >&2
