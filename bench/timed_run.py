#!/usr/bin/env python3
"""Runs one command and prints its wall time, CPU time and peak RSS.

Usage: timed_run.py STDOUT_FILE STDERR_FILE COMMAND [ARGS...]

Prints "WALL_MS CPU_MS RSS_KIB" (wall with microsecond resolution, from just
before the process is spawned until it has been reaped; CPU = user + system
of the child; RSS its peak) and exits with the command's status. The command
is started with posix_spawn, so the measurement carries no shell or fork of a
large parent: for a render of a few milliseconds the harness adds well under
a millisecond.
"""
import os
import sys
import time


def main():
    if len(sys.argv) < 4:
        sys.stderr.write(__doc__)
        return 2
    out_path, err_path, argv = sys.argv[1], sys.argv[2], sys.argv[3:]
    out_fd = os.open(out_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    err_fd = os.open(err_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    actions = [(os.POSIX_SPAWN_DUP2, out_fd, 1), (os.POSIX_SPAWN_DUP2, err_fd, 2)]
    start = time.perf_counter()
    try:
        pid = os.posix_spawnp(argv[0], argv, os.environ, file_actions=actions)
    except OSError as e:
        sys.stderr.write(f"timed_run: cannot start {argv[0]}: {e}\n")
        return 127
    _, status, usage = os.wait4(pid, 0)
    wall_ms = (time.perf_counter() - start) * 1000
    cpu_ms = (usage.ru_utime + usage.ru_stime) * 1000
    print(f"{wall_ms:.3f} {cpu_ms:.3f} {usage.ru_maxrss}")
    return os.waitstatus_to_exitcode(status) if os.WIFEXITED(status) else 128 + os.WTERMSIG(status)


if __name__ == "__main__":
    sys.exit(main())
