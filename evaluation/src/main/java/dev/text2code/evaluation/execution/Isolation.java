package dev.text2code.evaluation.execution;

/** How a sample's interpreter is cut off from the host. */
public enum Isolation {
  /** Use the strongest mode that works on this machine: bubblewrap, then unshare, then none. */
  AUTO,
  /**
   * {@code bwrap}: new user, pid, network, ipc, uts and cgroup namespaces; only the interpreter and
   * system libraries visible, read-only; private tmpfs mounts as /tmp (with the working directory),
   * /var/tmp and /dev/shm.
   */
  BUBBLEWRAP,
  /**
   * {@code unshare} as root: new mount, pid, network, ipc and uts namespaces, the same file system
   * view as {@link #BUBBLEWRAP} (a new root holding only read-only binds of the interpreter and
   * system directories; private tmpfs /tmp, /var/tmp, /dev/shm; a private working directory) and an
   * unprivileged uid (nobody) without capabilities.
   */
  UNSHARE,
  /** A plain child process: limits and timeouts only. Never use it for untrusted code. */
  NONE
}
