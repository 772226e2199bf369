#!/usr/bin/env python3
"""End-to-end check of what `campaign-sim run` prints: the summary's percentiles of a
final value are exact (nearest rank over the replications' finals stored in the file:
the smallest value with at least ceil(q R) values at or below it), not the sketch's
approximation; and without a terminal every line is written as soon as it is printed, so
a log file shows each finished variant while the sweep goes on.

    python3 test_run_summary.py --cli build/campaign-sim --source-dir . --work-dir /tmp/w

Uses Debian's python3-h5py and python3-numpy. Prints "N passed, N failed" last.
"""

import math
import os
import re
import signal
import subprocess
import sys

from end_to_end import Tally, parse_args, write_scenario

try:
    import h5py
    import numpy as np
except ImportError as error:
    print(f"cannot import h5py/numpy ({error}): apt-get install python3-h5py python3-numpy")
    sys.exit(2)


def nearest_rank(values, q):
    ordered = np.sort(values)
    return ordered[max(1, math.ceil(q * len(ordered))) - 1]


def main():
    args = parse_args()
    tally = Tally()
    check = tally.check

    # Percentiles: a campaign whose revenue is in the hundreds of thousands, where the
    # sketch's buckets are 2^-8 wide (hundreds of currency units).
    scenario = os.path.join(args.source_dir, "scenarios", "agency_leaky_product.toml")
    out = os.path.join(args.work_dir, "leaky.h5")
    result = subprocess.run([args.cli, "run", scenario, "-o", out, "--replications", "301"],
                            capture_output=True, text=True, check=True)
    with h5py.File(out, "r") as f:
        (name, group), = f["scenarios"].items()
        finals = group["finals"][()]
    for metric in ("customers", "revenue", "profit"):
        line = re.search(rf"^result    {metric} after .*p05 (-?\d+), p50 (-?\d+), p95 (-?\d+)$", result.stdout, re.M)
        if not check(line is not None, f"{metric}: a result line in {result.stdout!r}"):
            continue
        printed = [int(x) for x in line.groups()]
        exact = [round(float(nearest_rank(finals[metric], q))) for q in (0.05, 0.5, 0.95)]
        check(printed == exact, f"{metric}: printed p05/p50/p95 {printed}, exact {exact}")

    # Line by line into a pipe: the first variant's line arrives while the second (200
    # large cascades on 4e6 people, tens of seconds) still runs, and the process is still
    # there to be stopped by SIGTERM (143) when it does.
    slow = write_scenario(args.work_dir, "slow.toml", "[run]\nreplications = 200\nsteps = 30\n"
                          "[audience]\nsize = 1000\n[graph]\nmean_degree = 10\n"
                          "[diffusion]\ntransmission = 0.3\n")
    process = subprocess.Popen([args.cli, "run", slow, "-o", os.path.join(args.work_dir, "slow.h5"),
                                "--sweep", "audience.size=1000,4000000"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    first = process.stdout.readline()
    while first and not first.startswith("variant"):
        first = process.stdout.readline()
    running = process.poll() is None
    check(first.startswith("variant   1/2 ") and "audience.size=1000:" in first,
          f"the first variant's line: {first!r}")
    check(running, "the first variant's line arrived while the sweep was still running")
    process.send_signal(signal.SIGTERM)
    process.communicate(timeout=60)
    check(process.returncode == 143, f"stopped by SIGTERM while running: {process.returncode}")
    return tally.finish()


if __name__ == "__main__":
    sys.exit(main())
