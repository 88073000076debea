/** Throughput benchmarks of the PyTorch backend (training vs a bare DJL loop, KV-cache generation). */
package dev.text2code.backend.pytorch.bench;
