# text2code fork server: runs inside the sandbox (bubblewrap / unshare) and, for each request,
# forks a fresh single-use child that executes one program. Requests and responses are one JSON
# object per line on stdin / stdout. argv: own_pid_namespace(0|1) preload_modules(comma list)
# [site_dir ...]. Each request: program, timeout (s), memory, cpu, file_size, processes, scratch,
# and optionally wipe (directories emptied after the sample: the sandbox's private tmpfs mounts).
#
# Per child: new session, private working directory, stdin /dev/null, stdout+stderr into a file
# capped by RLIMIT_FSIZE, RLIMIT_AS / RLIMIT_CPU / RLIMIT_CORE / RLIMIT_NPROC, every inherited
# descriptor but its verdict pipe closed. After each sample the server kills every other process
# of its pid namespace (strays included), removes the sample's files and answers.
import builtins
import json
import os
import resource
import select
import shutil
import signal
import sys
import time

own_namespace = sys.argv[1] == "1"
for site_dir in sys.argv[3:]:
    if site_dir not in sys.path:
        sys.path.append(site_dir)
for module in filter(None, sys.argv[2].split(",")):
    try:
        __import__(module)  # forked children start with these already imported
    except Exception:  # noqa: BLE001 - a missing optional module is reported per sample
        pass

try:
    import ctypes

    # Not dumpable: a sample (same uid) cannot ptrace the server or write its memory.
    ctypes.CDLL(None).prctl(4, 0, 0, 0, 0)  # PR_SET_DUMPABLE = 4
except Exception:  # noqa: BLE001
    pass

SELF = os.getpid()
KEEP_OUTPUT = 4096
requests = os.fdopen(0, "rb")
responses = 1


def limit(which, value):
    if value > 0:
        try:
            resource.setrlimit(which, (value, value))
        except (ValueError, OSError):
            pass


def child(request, work, output_path, verdict_fd):
    try:
        os.setsid()
        null = os.open("/dev/null", os.O_RDONLY)
        out = os.open(output_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(null, 0)
        os.dup2(out, 1)
        os.dup2(out, 2)
        os.closerange(3, verdict_fd)
        os.closerange(verdict_fd + 1, 65536)
        os.chdir(work)
        os.environ["HOME"] = work
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        limit(resource.RLIMIT_AS, request["memory"])
        limit(resource.RLIMIT_CPU, request["cpu"])
        limit(resource.RLIMIT_FSIZE, request["file_size"])
        limit(resource.RLIMIT_NPROC, request["processes"])
        limit(resource.RLIMIT_CORE, 0)
        program = request["program"]
        del request
        sys.argv = ["<sample>"]
        namespace = {"__name__": "__main__", "__builtins__": builtins}
        code = compile(program, "<sample>", "exec")
        exec(code, namespace)
        verdict = "passed"
    except BaseException as error:  # noqa: BLE001 - every failure becomes a verdict
        text = str(error).replace("\n", " ")[:300]
        verdict = "failed: " + type(error).__name__ + (": " + text if text else "")
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BaseException:  # noqa: BLE001
            pass
    try:
        os.write(verdict_fd, verdict.encode("utf-8", "replace"))
    except BaseException:  # noqa: BLE001
        pass
    os._exit(0)


def wait_until(pid, deadline):
    """The child's wait status, or None if it is still running at the deadline."""
    try:
        pidfd = os.pidfd_open(pid)  # readable when the child exits: no polling, no spinning
    except (AttributeError, OSError):
        pidfd = None
    try:
        while True:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                return status
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            if pidfd is not None:
                select.select([pidfd], [], [], remaining)
            else:
                time.sleep(min(remaining, 0.002))
    finally:
        if pidfd is not None:
            os.close(pidfd)


def others():
    found = []
    for name in os.listdir("/proc"):
        if name.isdigit() and int(name) not in (1, SELF):
            found.append(int(name))
    return found


def reap():
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def kill_all(pid):
    """Kills the sample and everything it started."""
    if own_namespace:
        # kill(-1) reaches every process of this pid namespace except init and the server.
        for _ in range(2000):
            try:
                os.kill(-1, signal.SIGKILL)
            except ProcessLookupError:
                pass
            reap()
            if not others():
                return
            time.sleep(0.001)
    else:
        try:
            os.killpg(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        reap()


def wipe(directory):
    """Empties a private scratch file system, so no sample sees (or is starved by) another's files."""
    try:
        names = os.listdir(directory)
    except OSError:
        return
    for name in names:
        path = os.path.join(directory, name)
        if os.path.isdir(path) and not os.path.islink(path):
            shutil.rmtree(path, ignore_errors=True)
        else:
            try:
                os.unlink(path)
            except OSError:
                pass


def run(request, sequence):
    work = os.path.join(request["scratch"], "t2c-s%d" % sequence)
    output_path = work + ".out"
    os.mkdir(work, 0o700)
    read_end, write_end = os.pipe()
    started = time.monotonic()
    pid = os.fork()
    if pid == 0:
        os.close(read_end)
        child(request, work, output_path, write_end)
    os.close(write_end)
    deadline = started + request["timeout"]
    status = wait_until(pid, deadline)
    timed_out = status is None
    verdict = b""
    os.set_blocking(read_end, False)
    try:
        while len(verdict) < 65536:
            chunk = os.read(read_end, 4096)  # the child wrote before exiting: already buffered
            if not chunk:
                break
            verdict += chunk
    except BlockingIOError:
        pass  # a leftover grandchild still holds the pipe open; it dies in kill_all
    os.close(read_end)
    wall = time.monotonic() - started
    kill_all(pid)
    if status is None:
        try:
            _, status = os.waitpid(pid, 0)
        except ChildProcessError:
            status = 0
    try:
        size = os.path.getsize(output_path)
        with open(output_path, "rb") as handle:
            head = handle.read(KEEP_OUTPUT).decode("utf-8", "replace")
    except OSError:
        size, head = 0, ""
    shutil.rmtree(work, ignore_errors=True)
    try:
        os.unlink(output_path)
    except OSError:
        pass
    for directory in request.get("wipe", []):
        wipe(directory)
    signal_number = os.WTERMSIG(status) if os.WIFSIGNALED(status) else 0
    return {
        "verdict": verdict.decode("utf-8", "replace"),
        "timed_out": timed_out,
        "signal": signal_number,
        "exit": os.WEXITSTATUS(status) if os.WIFEXITED(status) else -1,
        "output_size": size,
        "output": head,
        "wall": wall,
    }


def main():
    os.write(responses, b'{"ready": true}\n')
    sequence = 0
    while True:
        line = requests.readline()
        if not line:
            return
        sequence += 1
        answer = run(json.loads(line), sequence)
        data = (json.dumps(answer) + "\n").encode()
        while data:
            data = data[os.write(responses, data):]


main()
