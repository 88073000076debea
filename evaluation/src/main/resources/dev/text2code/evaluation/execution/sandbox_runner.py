# text2code sandbox runner: executes ONE program in this (fresh, single-use) interpreter.
# argv: program_path memory_bytes cpu_seconds file_bytes max_processes [site_dir ...]
# The last line starting with the marker below says "passed" (the program ran to its end) or
# carries the failure reason; an exit without it (os._exit, a signal) is not a pass. Limits are set here, before any untrusted code runs.
import os
import resource
import sys

MARKER = "\n__T2C_VERDICT__ "


def limit(which, value):
    if value > 0:
        try:
            resource.setrlimit(which, (value, value))
        except (ValueError, OSError):
            pass  # a limit we may not lower here is enforced outside (cgroup / wall clock)


def main():
    program, memory, cpu, file_size, processes = sys.argv[1:6]
    for site_dir in sys.argv[6:]:
        if site_dir not in sys.path:
            sys.path.append(site_dir)
    limit(resource.RLIMIT_AS, int(memory))
    limit(resource.RLIMIT_CPU, int(cpu))
    limit(resource.RLIMIT_FSIZE, int(file_size))
    limit(resource.RLIMIT_NPROC, int(processes))
    limit(resource.RLIMIT_CORE, 0)
    with open(program, encoding="utf-8") as handle:
        source = handle.read()
    sys.argv = [program]
    namespace = {"__name__": "__main__", "__builtins__": __builtins__}
    try:
        code = compile(source, "<sample>", "exec")
        exec(code, namespace)
    except BaseException as error:  # noqa: BLE001 - every failure becomes a verdict
        reason = type(error).__name__
        text = str(error).replace("\n", " ")[:300]
        try:
            sys.stdout.flush()
        except BaseException:  # noqa: BLE001
            pass
        try:
            os.write(2, (MARKER + "failed: " + reason + (": " + text if text else "") + "\n").encode())
        except OSError:
            pass
        os._exit(1)
    try:
        sys.stdout.flush()
        sys.stderr.flush()
        os.write(2, (MARKER + "passed\n").encode())
    except BaseException:  # noqa: BLE001
        os._exit(1)
    os._exit(0)


main()
