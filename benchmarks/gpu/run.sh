#!/usr/bin/env bash
# The GPU check of issue 19, in one call on a machine with an NVIDIA GPU:
#   1. build the gpu profile (DJL 0.33.0 + libtorch 2.5.1 cu124, onnxruntime_gpu, TF linux-x86_64-gpu)
#   2. run the @Tag("gpu") suite (GpuIT: logits, five training steps, greedy tokens, data parallelism)
#   3. measure a GPT-2-small-shape training run (tokens/s, MFU) and generation (batch 1 and 32)
# Usage: benchmarks/gpu/run.sh [precision=fp16] [steps=20] [batch=8] [sequence=1024] [peak TFLOP/s=989]
# Needs a JDK 17+ and the gpu artifacts in the local Maven repository (or network to Maven Central:
# pytorch-native-cu124 alone is ~2.4 GB). --dry-run builds and checks what it can without a GPU.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
dry=false
if [ "${1:-}" = "--dry-run" ]; then dry=true; shift; fi
precision="${1:-fp16}" steps="${2:-20}" batch="${3:-8}" sequence="${4:-1024}" peak="${5:-989}"
out="${OUT:-$root/target/gpu-check}"
mkdir -p "$out"
command -v java >/dev/null || { echo "run.sh: no java on PATH; a JDK 17+ is needed" >&2; exit 2; }
if ! $dry; then
  command -v nvidia-smi >/dev/null || { echo "run.sh: no nvidia-smi: not a GPU machine (use --dry-run)" >&2; exit 2; }
  nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv | tee "$out/gpu.csv"
fi
offline="${MVN_OFFLINE:--o}"
set -o pipefail
echo "== build (-P gpu)"
./mvnw -B $offline -q -P gpu install -DskipTests -Dspotless.check.skip=true \
  -pl sdk-api,backend-pytorch,backend-onnx,backend-tensorflow -am 2>&1 | tee "$out/build.log"
echo "== @Tag(\"gpu\") suite"
./mvnw -B $offline -P gpu verify -Dspotless.check.skip=true -pl backend-pytorch \
  -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dit.test='GpuIT' 2>&1 | tee "$out/gpu-suite.log" \
  | grep -E 'Tests run|FAIL|Skipped|skipped|no usable' || true
if $dry; then echo "dry run: built and ran the gpu suite (skipped without a GPU); no measurement"; exit 0; fi
echo "== GPT-2-small shape, $precision, batch $batch x $sequence"
./mvnw -B $offline -q -P gpu dependency:build-classpath -pl backend-pytorch \
  -Dmdep.outputFile="$out/classpath.txt" -Dmdep.includeScope=test
cd backend-pytorch
DJL_CACHE_DIR="$root/target/native-cache/djl" java -Xmx16g -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=8 \
  -cp "target/test-classes:target/classes:$(cat "$out/classpath.txt")" \
  dev.text2code.backend.pytorch.GpuBench "$precision" "$steps" "$batch" "$sequence" "$peak" gpu 1 128 \
  2>&1 | tee "$out/bench.log"
