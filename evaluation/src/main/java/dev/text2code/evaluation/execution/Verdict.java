package dev.text2code.evaluation.execution;

/** How one sample's program ended. */
public enum Verdict {
  /** The program, its tests and the check call ran to the end. */
  PASSED,
  /** An exception, a non-zero exit, a resource limit or the output cap stopped it. */
  FAILED,
  /** The wall-clock or CPU-time limit stopped it. */
  TIMED_OUT
}
