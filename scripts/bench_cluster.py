#!/usr/bin/env python3
"""Macro benchmarks of running a study in several processes (docs/cluster.md), each
ratio measured in one run of this script:

  processes   a shipped sweep (scenarios/sweeps/hype_myth.toml, 44 variants x 100
              replications of a 60,000-person campaign) in 1 process x 2 threads against
              2, 4 and 8 shard processes x 1 thread, two at a time, then their merge
  mpi         the same sweep on 2 MPI ranks x 1 thread (mpirun, where the binary has MPI)
  merge       1,000 part files (a 1,000-variant sweep of a small cascade, --shard I/1000)
              merged into one file, against the same sweep's own merge in one process

Never fails on a time: these are measurements, not tests.

    scripts/bench_cluster.py [--cli build/campaign-sim] [--work-dir build/bench/cluster]
"""

import argparse
import concurrent.futures
import glob
import os
import re
import shutil
import subprocess
import sys
import time

SMALL = """[run]
replications = 10
steps = 10
seed = 3
[audience]
size = 500
[graph]
mean_degree = 6
[seeding]
count = 2
"""


def timed(command, **kwargs):
    start = time.monotonic()
    result = subprocess.run(command, capture_output=True, text=True, **kwargs)
    seconds = time.monotonic() - start
    if result.returncode != 0:
        sys.exit(f"failed: {' '.join(command)}: {result.stderr.strip()}")
    return seconds, result.stdout


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cli", default="build/campaign-sim")
    parser.add_argument("--work-dir", default="build/bench/cluster")
    args = parser.parse_args()
    cli = os.path.abspath(args.cli)
    source = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    work = os.path.abspath(args.work_dir)
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)

    # 1 process x 2 threads against 2 processes x 1 thread, on one shipped sweep.
    sweep = os.path.join(source, "scenarios", "sweeps", "hype_myth.toml")
    one, _ = timed([cli, "sweep", sweep, "-o", os.path.join(work, "one.h5"), "-t", "2", "-q"])
    line = f"processes  hype_myth (44 variants x 100 replications): 1 process x 2 threads {one:.2f} s"
    for count in (2, 4, 8):  # shards of 1 thread, two at a time (as a scheduler runs an array job)
        out = os.path.join(work, f"shards{count}.h5")

        def shard(i):
            start = time.monotonic()
            subprocess.run([cli, "sweep", sweep, "-o", out, "-t", "1", "-q", "--shard", f"{i}/{count}"],
                           check=True, capture_output=True)
            return time.monotonic() - start

        start = time.monotonic()
        with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
            each = list(pool.map(shard, range(count)))
        ran = time.monotonic() - start
        merged, _ = timed([cli, "merge", *sorted(glob.glob(out[:-3] + ".shard-*.h5")), "-o", out, "-q"])
        line += (f"; {count} shards x 1 thread, two at a time {ran:.2f} s (shards {min(each):.2f} .. "
                 f"{max(each):.2f} s) + merge {merged:.2f} s = {(ran + merged) / one:.3f} x")
    print(line)
    if "(with MPI)" in subprocess.run([cli, "--version"], capture_output=True, text=True).stdout and \
            shutil.which("mpirun"):
        env = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1")
        ranks, _ = timed(["mpirun", "-np", "2", "--bind-to", "none", cli, "sweep", sweep, "-o",
                          os.path.join(work, "mpi.h5"), "-t", "1", "-q"], env=env)
        again, _ = timed([cli, "sweep", sweep, "-o", os.path.join(work, "one_again.h5"), "-t", "2", "-q"])
        print(f"mpi        hype_myth: 2 ranks x 1 thread {ranks:.2f} s (tasks, merge and MPI start-up included) "
              f"against 1 process x 2 threads {one:.2f} s and {again:.2f} s: {ranks / ((one + again) / 2):.3f} x")
    else:
        print("mpi        skipped: this campaign-sim is built without MPI, or mpirun is missing")

    # Merging 1,000 parts.
    scenario = os.path.join(work, "small.toml")
    with open(scenario, "w") as f:
        f.write(SMALL)
    vary = ["--vary", "diffusion.transmission=0.001:0.5:1000"]
    _, out = timed([cli, "sweep", scenario, *vary, "-o", os.path.join(work, "whole.h5"), "-t", "2"])
    own = float(re.search(r"merging took ([0-9.]+) s", out).group(1))
    parts = os.path.join(work, "parts.h5")

    def shard(i):
        subprocess.run([cli, "sweep", scenario, *vary, "-o", parts, "-t", "1", "-q", "--shard", f"{i}/1000"],
                       check=True, capture_output=True)

    start = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        list(pool.map(shard, range(1000)))
    made = time.monotonic() - start
    files = sorted(glob.glob(os.path.join(work, "parts.shard-*-of-1000.h5")))
    seconds, out = timed([cli, "merge", *files, "-o", parts])
    inside = float(re.search(r"merged +1000 parts in ([0-9.]+) s", out).group(1))
    print(f"merge      1,000 parts ({len(files)} files, made in {made:.1f} s): `campaign-sim merge` {seconds:.2f} s "
          f"in all ({inside:.2f} s reading and writing, the rest planning the study again); the sweep's own "
          f"merge of its 1,000 variants in one process {own:.2f} s")


if __name__ == "__main__":
    main()
