#!/usr/bin/env bash
# Runs the Java (JMH) and Python+numpy objective benchmarks back to back, twice, on this machine.
# Usage: benchmarks/objectives/run.sh   (from the repository root)
set -euo pipefail
for round in 1 2; do
  echo "== round $round: java (JMH, 1 thread) $(date -u +%H:%M:%S) load: $(cut -d' ' -f1-3 /proc/loadavg)"
  mvn -B -q -P benchmarks -pl objectives -am test-compile exec:exec@jmh \
    -Djmh.args="ObjectiveBenchmark -f 1 -wi 3 -i 5" 2>&1 | grep -E '^(Benchmark|ObjectiveBenchmark\.)'
  echo "== round $round: python+numpy $(date -u +%H:%M:%S) load: $(cut -d' ' -f1-3 /proc/loadavg)"
  python3 benchmarks/objectives/t5_objectives.py 10
done
