package dev.text2code.evaluation.execution;

/** How a sample's interpreter is cut off from the host. */
public enum Isolation {
  /** Use the strongest mode that works on this machine: bubblewrap, then unshare, then none. */
  AUTO,
  /**
   * {@code bwrap}: new user, pid, network, ipc, uts and cgroup namespaces; only the interpreter and
   * system libraries visible, read-only; a private tmpfs as /tmp and working directory.
   */
  BUBBLEWRAP,
  /**
   * {@code unshare} as root: new network and pid namespaces and an unprivileged uid (nobody); the
   * host file system stays visible (read-only to that uid only where permissions say so).
   */
  UNSHARE,
  /** A plain child process: limits and timeouts only. Never use it for untrusted code. */
  NONE
}
