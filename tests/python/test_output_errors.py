#!/usr/bin/env python3
"""End-to-end check that a results file that cannot be written costs nothing else: with
the file size limited (`ulimit -f`, as a full disk or a quota would), `campaign-sim run`
fails with exit status 1 and one line naming the file and the system's reason, instead
of dying of SIGXFSZ (whose default action kills the process: the engine ignores the
signal, so the write fails with EFBIG); it leaves no temporary file, keeps the previous
results file as it was, and does not crash on the way out (it used to, inside HDF5's
shutdown at exit).

    python3 test_output_errors.py --cli build/campaign-sim --source-dir . --work-dir /tmp/w

Prints "N passed, N failed" last.
"""

import os
import resource
import signal
import subprocess
import sys

from end_to_end import Tally, cascade_scenario, parse_args, write_scenario

SCENARIO = cascade_scenario(replications=200, steps=20, seed=3, people=2000, seeds=3)
LIMIT = 8_000  # bytes: the results file of SCENARIO is twice as large
PREVIOUS = b"previous results, kept on failure\n"


def limit_file_size():
    signal.signal(signal.SIGXFSZ, signal.SIG_DFL)  # as a shell leaves it: the default kills
    resource.setrlimit(resource.RLIMIT_FSIZE, (LIMIT, LIMIT))


def main():
    args = parse_args()
    scenario = write_scenario(args.work_dir, "errors.toml", SCENARIO)
    out_dir = os.path.join(args.work_dir, "out")
    os.makedirs(out_dir, exist_ok=True)
    out = os.path.join(out_dir, "results.h5")
    tally = Tally()
    check = tally.check

    for extra in ([], ["--save-trajectories"]):
        label = " ".join(extra) or "summary only"
        for name in os.listdir(out_dir):
            os.remove(os.path.join(out_dir, name))
        with open(out, "wb") as f:
            f.write(PREVIOUS)
        run = subprocess.run([args.cli, "run", scenario, "-o", out, "-q"] + extra,
                             preexec_fn=limit_file_size, capture_output=True, text=True)
        lines = run.stderr.strip().splitlines()
        check(run.returncode == 1, f"{label}: exit status {run.returncode} (a negative one is a "
              "signal)")
        check(len(lines) == 1 and "File too large" in lines[0] and "results.h5" in lines[0]
              and ".tmp-" not in lines[0],
              f"{label}: one line with the file and the reason: {run.stderr!r}")
        check(os.listdir(out_dir) == ["results.h5"], f"{label}: left {os.listdir(out_dir)}")
        with open(out, "rb") as f:
            check(f.read() == PREVIOUS, f"{label}: the previous results file is unchanged")

    run = subprocess.run([args.cli, "run", scenario, "-o", out, "-q"], capture_output=True,
                         text=True)
    check(run.returncode == 0 and os.path.getsize(out) > LIMIT,
          f"without the limit the run writes its file ({run.returncode}, {run.stderr!r})")
    return tally.finish()


if __name__ == "__main__":
    sys.exit(main())
