package dev.text2code.evaluation.execution;

/** How each sample gets its fresh, single-use interpreter. */
public enum ExecutionMode {
  /**
   * One long-lived server interpreter per worker, inside the sandbox, forks a fresh child for every
   * sample (milliseconds instead of an interpreter start-up); after each sample every other process
   * of the worker's pid namespace is killed and the sample's files are removed. Samples of one
   * worker share its sandbox (network, file system view, cgroup), never a process.
   */
  FORK_SERVER,
  /**
   * A new sandbox and a new interpreter for every sample, each in its own pids/memory cgroup: the
   * strongest separation between samples, about an interpreter start-up slower per sample.
   */
  FRESH_INTERPRETER
}
