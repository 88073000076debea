#!/usr/bin/env bash
# sdk-cli prepare with --engine jvm and --engine spark (local[2]) at several corpus sizes, one table row per run:
# pairs read, seconds, examples/s, peak RSS (/usr/bin/time -v, the whole process: Spark's driver and executors).
# usage: [T2C_DEDUP=none|exact|near] [T2C_BENCH_HEAP=1g] [T2C_SPARK_MASTER=local[2]] benchmarks/data/engines.sh SIZE_MB...
#   e.g. benchmarks/data/engines.sh 50 1000        (the issue's 50 MB and 1 GB)
# Needs ./mvnw -B -q install -DskipTests (cli and data-spark) first. Same configuration for both engines: the
# default tokenizer and objective, dedup mode T2C_DEDUP (default near), the paper layout; the two engines' shards are
# compared byte for byte at the end of each size (cmp), so a faster but different engine fails the run.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="${T2C_BENCH_DIR:-$root/target/data-bench}"
heap="${T2C_BENCH_HEAP:-1g}"
master="${T2C_SPARK_MASTER:-local[2]}"
mkdir -p "$work"
[ -f "$root/data-spark/target/data-spark.jar" ] || { echo "build data-spark first: ./mvnw -B -q install -DskipTests" >&2; exit 2; }
biggest=0
for mb in "$@"; do [ "$mb" -gt "$biggest" ] && biggest="$mb"; done
corpus="$work/pairs-${biggest}mb.jsonl"
[ -f "$corpus" ] || python3 "$root/benchmarks/data/generate_pairs.py" "$biggest" "$corpus"
echo "load: $(uptime)"
echo "| input | engine | pairs | seconds | examples/s | peak RSS MB |"
echo "|---|---|---|---|---|---|"
for mb in "$@"; do
  input="$work/pairs-${mb}mb.jsonl"
  # Smaller sizes are prefixes (whole lines) of the largest corpus.
  [ -f "$input" ] || head -c "$((mb * 1000000))" "$corpus" | sed '$d' > "$input"
  for engine in jvm spark; do
    run="$work/run-$mb-$engine"
    rm -rf "$run"
    start=$(date +%s.%N)
    JAVA_OPTS="-Xmx$heap" /usr/bin/time -v -o "$work/time-$mb-$engine.txt" "$root/sdk-cli" \
      --set data.dedup.mode="${T2C_DEDUP:-near}" --set data.spark.master="$master" \
      prepare --run "$run" --corpus "$input" --engine "$engine" > "$work/log-$mb-$engine.txt" 2>&1 \
      || { echo "$engine failed at $mb MB: see $work/log-$mb-$engine.txt" >&2; exit 1; }
    end=$(date +%s.%N)
    pairs=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['pairsRead'])" "$run/prepared/data-report.json" 2>/dev/null \
      || grep -o '[0-9]* pairs' "$work/log-$mb-$engine.txt" | head -1 | cut -d' ' -f1)
    rss=$(awk '/Maximum resident set size/ {print int($6 / 1024)}' "$work/time-$mb-$engine.txt")
    python3 -c "import sys; s=float(sys.argv[2])-float(sys.argv[1]); n=int(sys.argv[3]); print('| %s MB | %s | %d | %.1f | %.0f | %s |' % (sys.argv[4], sys.argv[5], n, s, n / s, sys.argv[6]))" \
      "$start" "$end" "$pairs" "$mb" "$engine" "$rss"
  done
  for f in $(cd "$work/run-$mb-jvm/prepared" && find train held-out -type f | sort); do
    cmp -s "$work/run-$mb-jvm/prepared/$f" "$work/run-$mb-spark/prepared/$f" || { echo "engines differ: $f at $mb MB" >&2; exit 1; }
  done
done
echo "load: $(uptime)"
