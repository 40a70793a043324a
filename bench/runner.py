#!/usr/bin/env python3
# Runs one command at a time for bench/measure.mjs and reports what the kernel says it cost.
# A separate process because Node cannot wait4() a child: its rusage (CPU time, peak RSS) is
# only reachable here. Its own start-up is outside the timed span.
#
# Protocol: one JSON request per line on stdin
#   {"argv": [...], "env": {...}, "cwd": "...", "stdout": PATH|null, "stderr": PATH|null, "timeout_s": N|null}
# one JSON answer per line on stdout
#   {"wall_ms", "user_ms", "sys_ms", "maxrss_kb", "spawner_rss_kb", "code", "signal", "timed_out"} or {"error": "..."}
# Linux counts the spawner's own peak RSS into a child's ru_maxrss (the address space the
# child had before its exec), so a child's peak RSS is only known when above spawner_rss_kb.
# The child runs in its own process group: at the timeout the whole group is killed (a hung
# command and whatever it forked), and the answer says timed_out.
import json
import os
import resource
import signal
import sys
import threading
import time


def run(req):
    def target(key):
        path = req.get(key)
        return path if path else os.devnull

    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC
    actions = [
        (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
        (os.POSIX_SPAWN_OPEN, 1, target("stdout"), flags, 0o644),
        (os.POSIX_SPAWN_OPEN, 2, target("stderr"), flags, 0o644),
    ]
    cwd = req.get("cwd")
    old = os.getcwd()
    if cwd:
        os.chdir(cwd)
    try:
        t0 = time.perf_counter_ns()
        pid = os.posix_spawnp(req["argv"][0], req["argv"], req.get("env") or dict(os.environ), file_actions=actions, setpgroup=0)
        timed_out = []
        timer = None
        if req.get("timeout_s"):
            def kill():
                timed_out.append(True)
                try:
                    os.killpg(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            timer = threading.Timer(req["timeout_s"], kill)
            timer.start()
        _, status, ru = os.wait4(pid, 0)
        t1 = time.perf_counter_ns()
        if timer:
            timer.cancel()
    finally:
        os.chdir(old)
    return {
        "wall_ms": (t1 - t0) / 1e6,
        "user_ms": ru.ru_utime * 1000,
        "sys_ms": ru.ru_stime * 1000,
        "maxrss_kb": ru.ru_maxrss,
        "spawner_rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        "code": os.WEXITSTATUS(status) if os.WIFEXITED(status) else None,
        "signal": os.WTERMSIG(status) if os.WIFSIGNALED(status) else None,
        "timed_out": bool(timed_out),
    }


def main():
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            answer = run(json.loads(line))
        except Exception as e:  # the harness reports it against the case
            answer = {"error": f"{type(e).__name__}: {e}"}
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
