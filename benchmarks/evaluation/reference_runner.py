#!/usr/bin/env python3
"""Peer baseline for the text2code sandbox benchmark, written for this project.

It executes HumanEval programs the way openai/human-eval's harness does: a thread pool of
`--workers` threads, and for every sample a fresh multiprocessing.Process (with a
multiprocessing.Manager list to carry the verdict back) that makes a temporary directory,
disables destructive os/shutil functions, swallows stdio, arms an interval timer and exec()s
prompt + completion + test + check(entry_point). The parent joins for timeout + 1 s and kills
the child if it is still alive. Verdicts ("passed" / "failed: ..." / "timed out") are written
as JSONL, one {"task_id", "result", "passed"} a line, in problem order.

Usage: reference_runner.py --problems HumanEval.jsonl.gz --out verdicts.jsonl [--workers 4]
       [--timeout 3.0]. Prints samples/s on stdout. Only for trusted code (canonical solutions).
"""
import argparse
import contextlib
import faulthandler
import gzip
import io
import json
import multiprocessing
import os
import signal
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor


class Timeout(Exception):
    pass


def _on_alarm(signum, frame):
    raise Timeout("timed out")


class _NoInput(io.StringIO):
    def read(self, *args, **kwargs):
        raise IOError

    def readline(self, *args, **kwargs):
        raise IOError

    def readlines(self, *args, **kwargs):
        raise IOError

    def readable(self, *args, **kwargs):
        return False


@contextlib.contextmanager
def _stdin_closed():
    import sys

    saved = sys.stdin
    sys.stdin = _NoInput()
    try:
        yield
    finally:
        sys.stdin = saved


_DESTRUCTIVE_OS = ("kill", "system", "putenv", "remove", "removedirs", "rmdir", "fchdir", "setuid",
                   "fork", "forkpty", "killpg", "rename", "renames", "truncate", "replace",
                   "unlink", "fchmod", "fchown", "chmod", "chown", "chroot", "lchown", "getcwd",
                   "chdir")


def _disable_destructive_calls():
    """Returns a function restoring what was disabled (the temp dir must still be removed)."""
    import shutil

    saved_os = {name: getattr(os, name) for name in _DESTRUCTIVE_OS if hasattr(os, name)}
    saved_shutil = (shutil.rmtree, shutil.move, shutil.chown)

    def restore():
        for name, value in saved_os.items():
            setattr(os, name, value)
        shutil.rmtree, shutil.move, shutil.chown = saved_shutil

    faulthandler.disable()
    os.environ["OMP_NUM_THREADS"] = "1"
    import builtins
    import subprocess

    builtins.exit = None
    builtins.quit = None
    for name in saved_os:
        setattr(os, name, None)
    shutil.rmtree = None
    shutil.move = None
    shutil.chown = None
    subprocess.Popen = None
    return restore


def _child(program, timeout, verdict):
    with tempfile.TemporaryDirectory() as work:
        os.chdir(work)
        restore = _disable_destructive_calls()
        sink = io.StringIO()
        try:
            signal.signal(signal.SIGALRM, _on_alarm)
            signal.setitimer(signal.ITIMER_REAL, timeout)
            try:
                with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink), \
                        _stdin_closed():
                    exec(program, {})
                verdict.append("passed")
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
        except Timeout:
            verdict.append("timed out")
        except BaseException as error:  # noqa: BLE001
            verdict.append("failed: %s" % (error,))
        restore()  # TemporaryDirectory needs rmtree, unlink, ... to clean up


def check_one(problem, timeout):
    program = (problem["prompt"] + problem["canonical_solution"] + "\n" + problem["test"]
               + "\n" + "check(%s)" % problem["entry_point"])
    manager = multiprocessing.Manager()
    verdict = manager.list()
    process = multiprocessing.Process(target=_child, args=(program, timeout, verdict))
    process.start()
    process.join(timeout=timeout + 1)
    if process.is_alive():
        process.kill()
    result = verdict[0] if verdict else "timed out"
    manager.shutdown()
    return {"task_id": problem["task_id"], "result": result, "passed": result == "passed"}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--problems", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--timeout", type=float, default=3.0)
    args = parser.parse_args()
    opener = gzip.open if args.problems.endswith(".gz") else open
    with opener(args.problems, "rt", encoding="utf-8") as handle:
        problems = [json.loads(line) for line in handle if line.strip()]
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=args.workers) as pool:
        results = list(pool.map(lambda p: check_one(p, args.timeout), problems))
    elapsed = time.perf_counter() - started
    with open(args.out, "w", encoding="utf-8") as out:
        for result in results:
            out.write(json.dumps(result) + "\n")
    passed = sum(r["passed"] for r in results)
    print(json.dumps({"samples": len(results), "passed": passed, "seconds": elapsed,
                      "samples_per_second": len(results) / elapsed}))


if __name__ == "__main__":
    main()
