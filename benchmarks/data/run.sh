#!/usr/bin/env bash
# Single-JVM streaming preparation at several corpus sizes: one table row per size (see benchmarks/README.md).
# usage: [T2C_DEDUP=none|exact|near] benchmarks/data/run.sh SIZE_MB...   (e.g. 50 200); needs ./mvnw -B -q install -DskipTests first.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="${T2C_BENCH_DIR:-$root/target/data-bench}"
mkdir -p "$work"
cd "$root"
./mvnw -B -q -o test-compile dependency:build-classpath -pl data -Dmdep.outputFile="$work/cp.txt" >/dev/null
cp="$root/data/target/test-classes:$root/data/target/classes:$(cat "$work/cp.txt")"
biggest="${@: -1}"
corpus="$work/pairs-${biggest}mb.jsonl"
[ -f "$corpus" ] || python3 benchmarks/data/generate_pairs.py "$biggest" "$corpus"
echo "| input | pairs | seconds | pairs/s | exact dups | near dups | rows | peak RSS |"
echo "|---|---|---|---|---|---|---|---|"
for mb in "$@"; do
  input="$work/pairs-${mb}mb.jsonl"
  # Smaller sizes are prefixes (whole lines) of the largest corpus.
  [ -f "$input" ] || head -c "$((mb * 1000000))" "$corpus" | sed '$d' > "$input"
  rm -rf "$work/out-$mb"
  java -Xmx1g -cp "$cp" dev.text2code.data.bench.PrepareBench "$input" "$work/out-$mb" "${T2C_DEDUP:-near}"
done
