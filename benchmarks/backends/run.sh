#!/usr/bin/env bash
# Training and generation tokens/s of every backend through the SDK's Backend API, on one ~1M-parameter model,
# in one run on this machine; prints a table with the ratios the issues set goals for.
# Usage: benchmarks/backends/run.sh [train-steps] [new-tokens]   (after ./mvnw -B -q install -DskipTests)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root/integration-tests"
steps="${1:-20}"
tokens="${2:-256}"
cp_file="$(mktemp)"
"$root/mvnw" -B -q -o dependency:build-classpath -Dmdep.outputFile="$cp_file" -Dmdep.includeScope=test >/dev/null
"$root/mvnw" -B -q -o test-compile >/dev/null
cache="$root/target/native-cache"
dir="$(mktemp -d)"
rows="$dir/rows.tsv"
for backend in pytorch tensorflow onnx; do
  DJL_CACHE_DIR="$cache/djl" OPT_OUT_TRACKING=true java -Dai.djl.offline=true \
    -Dorg.bytedeco.javacpp.cachedir="$cache/javacpp" -Donnxruntime.native.path="$cache/onnxruntime" \
    -cp "target/test-classes:$(cat "$cp_file")" dev.text2code.it.bench.BackendBench \
    "$backend" "$steps" "$tokens" "$dir/checkpoint" 2>"$dir/$backend.log" | grep -P '\t' >>"$rows"
done
echo "model: 4 layers x 128, 4 heads, context 512, 1024 rows (989,952 parameters); training batch 8x128;"
echo "generation: greedy, 32-token prompts, $tokens new tokens, KV cache"
awk -F'\t' '
  { key = $2; rate[$1 "|" key] = $3; order[++n] = $1 "|" key }
  END {
    printf "%-12s %-28s %12s %14s\n", "backend", "measure", "tokens/s", "vs pytorch"
    for (i = 1; i <= n; i++) {
      split(order[i], part, "|")
      base = rate["pytorch|" part[2]]
      ratio = (part[1] == "pytorch" || base == 0) ? "" : sprintf("%.2fx", rate[order[i]] / base)
      printf "%-12s %-28s %12d %14s\n", part[1], part[2], rate[order[i]], ratio
    }
  }' "$rows"
rm -rf "$dir" "$cp_file"
