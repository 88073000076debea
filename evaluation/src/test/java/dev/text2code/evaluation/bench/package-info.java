/** Benchmark mains (run by hand, never by the test suite): sandbox throughput vs a Python peer. */
package dev.text2code.evaluation.bench;
