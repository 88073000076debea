#!/usr/bin/env bash
# Runs the Java (JMH) and Python+numpy objective benchmarks back to back, twice, on this machine.
# Usage: benchmarks/objectives/run.sh   (from the repository root)
set -euo pipefail
for round in 1 2; do
  echo "== round $round: java (JMH, 1 thread) $(date -u +%H:%M:%S) load: $(cut -d' ' -f1-3 /proc/loadavg)"
  # JMH refuses to run while another JMH holds /tmp/jmh.lock: wait for it rather than share the CPU.
  for attempt in $(seq 1 60); do
    if mvn -B -q -P benchmarks -pl objectives -am test-compile exec:exec@jmh \
      -Djmh.args="ObjectiveBenchmark -f 1 -wi 3 -i 5 -prof dev.text2code.objectives.ProcessCpuProfiler" \
      > /tmp/t2c-objectives-jmh.txt 2>&1; then
      break
    fi
    grep -q 'Unable to acquire the JMH lock' /tmp/t2c-objectives-jmh.txt || { cat /tmp/t2c-objectives-jmh.txt; exit 1; }
    sleep 20
  done
  grep -E '^(Benchmark|ObjectiveBenchmark\.)' /tmp/t2c-objectives-jmh.txt
  echo "== round $round: python+numpy $(date -u +%H:%M:%S) load: $(cut -d' ' -f1-3 /proc/loadavg)"
  python3 benchmarks/objectives/t5_objectives.py 10
done
