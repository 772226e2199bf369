#!/usr/bin/env python3
"""Macro benchmarks of `campaign-sim sweep` (docs/performance.md, "Sweeps"), each ratio
measured in one run of this script:

  many small variants   1,000 variants x 10 replications of a 10,000-person campaign
                        against the same 10,000 replications as one variant (2 threads),
                        and the sweep on 1 thread against 2
  memory                peak RSS of a 10,000-variant sweep of a small scenario against a
                        100-variant one
  resume                a killed 10,000-variant sweep: the time until --resume has found
                        its finished variants (planning included), and the final merge

Never fails on a time: these are measurements, not tests.

    scripts/bench_sweep.py [--cli build/campaign-sim] [--work-dir build/bench/sweep]
"""

import argparse
import os
import shutil
import signal
import subprocess
import sys
import time

CAMPAIGN = """[run]
replications = 10
steps = 52
step_unit = "week"
seed = 7
[audience]
size = 10000
[graph]
mean_degree = 10
[diffusion]
model = "campaign"
[segments]
names = ["buyers", "word_of_mouth"]
shares = [0.85, 0.15]
propensity = [0.15, 0.0]
talkativeness = [1.0, 2.0]
price = [120.0, 0.0]
repeat_rate = [0.02, 0.0]
[partners]
count = 30
reach_mean = 300
cost = 100
cooperation = 0.3
[media]
strategy = "triads"
budget = 7800
cadence = 2
wearout = 0.7
[word_of_mouth]
transmission = 0.02
[funnel]
conversion = 0.3
"""

SMALL = """[run]
replications = 2
steps = 10
seed = 3
[audience]
size = 500
[graph]
mean_degree = 6
[seeding]
count = 3
"""


def timed(command):
    """Wall seconds and peak RSS (MB) of a command, which must succeed."""
    start = time.monotonic()
    result = subprocess.run(["/usr/bin/time", "-f", "%M", *command], capture_output=True, text=True)
    seconds = time.monotonic() - start
    if result.returncode != 0:
        sys.exit(f"bench_sweep: {' '.join(command)} failed: {result.stderr.strip()[-300:]}")
    rss_kb = int(result.stderr.strip().splitlines()[-1])
    return seconds, rss_kb / 1024


def write(path, text):
    with open(path, "w") as f:
        f.write(text)
    return path


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cli", default="build/campaign-sim")
    parser.add_argument("--work-dir", default="build/bench/sweep")
    args = parser.parse_args()
    cli = args.cli
    work = args.work_dir
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    campaign = write(os.path.join(work, "campaign.toml"), CAMPAIGN)
    small = write(os.path.join(work, "small.toml"), SMALL)
    out = lambda name: os.path.join(work, name)  # noqa: E731

    def report(rows):
        for what, value, note in rows:
            print(f"{what:<48}  {value:>9}  {note}", flush=True)

    # Many small variants against one large one. firm.unit_cost changes neither the graph
    # (the sweep builds it once, as the single run does) nor the work of a replication
    # (only the books), so the two do the same simulation.
    one, _ = timed([cli, "run", campaign, "-o", out("one.h5"), "-q", "-t", "2", "-r", "10000"])
    vary = ["--vary", "firm.unit_cost=10:60:1000"]
    sweep2, _ = timed([cli, "sweep", campaign, "-o", out("sweep2.h5"), "-q", "-t", "2", *vary])
    sweep1, _ = timed([cli, "sweep", campaign, "-o", out("sweep1.h5"), "-q", "-t", "1", *vary])
    # The same 10,000 replications as 100 variants x 100: the cost per variant is fixed.
    hundred, _ = timed([cli, "sweep", campaign, "-o", out("sweep100.h5"), "-q", "-t", "2", "-r", "100",
                        "--vary", "firm.unit_cost=10:60:100"])
    report([("one variant x 10,000 replications, 2 threads", f"{one:.2f} s", ""),
             ("1,000 variants x 10 replications, 2 threads", f"{sweep2:.2f} s",
              f"{sweep2 / one:.2f}x the single variant (target <= 1.25)"),
             ("1,000 variants x 10 replications, 1 thread", f"{sweep1:.2f} s",
              f"2 threads {sweep1 / sweep2:.2f}x faster (target >= 1.8)"),
             ("100 variants x 100 replications, 2 threads", f"{hundred:.2f} s",
              f"{hundred / one:.2f}x the single variant; "
              f"{(sweep2 - hundred) / 900 * 1000:.1f} ms per variant more")])

    # Memory: 100 against 10,000 variants of a small scenario.
    _, rss100 = timed([cli, "sweep", small, "-o", out("m100.h5"), "-q", "--vary", "diffusion.transmission=0.01:0.5:100"])
    t10k, rss10k = timed([cli, "sweep", small, "-o", out("m10k.h5"), "-q", "--vary",
                          "diffusion.transmission=0.01:0.5:100", "--vary", "seeding.count=1:100:100"])
    report([("peak RSS, 100 variants", f"{rss100:.1f} MB", ""),
             ("peak RSS, 10,000 variants", f"{rss10k:.1f} MB", f"{rss10k / rss100:.2f}x (target <= 1.2); "
              f"{t10k:.1f} s in all")])

    # Resume: kill -9 a 10,000-variant sweep once most of it is done, then time --resume
    # until it has found the finished variants (its "sweep ... to run" line).
    command = [cli, "sweep", small, "-o", out("r10k.h5"), "--vary", "diffusion.transmission=0.01:0.5:100",
               "--vary", "seeding.count=1:100:100"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    parts = out("r10k.h5.parts")
    while process.poll() is None:  # kill -9 once 8,000 variants are on disk
        if os.path.isdir(parts) and len(os.listdir(parts)) >= 8000:
            process.send_signal(signal.SIGKILL)
            break
        time.sleep(0.05)
    process.wait()
    if not os.path.isdir(parts):
        sys.exit("bench_sweep: the 10,000-variant sweep finished before it could be killed")
    kept = len([p for p in os.listdir(parts) if p.endswith(".h5")])
    start = time.monotonic()
    resumed = subprocess.Popen(command + ["--resume"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    found = None
    merge = ""
    for line in resumed.stdout:
        if line.startswith("sweep ") and found is None:
            found = time.monotonic() - start
        if line.startswith("wrote"):
            merge = line.split("merging took ")[-1].rstrip(")\n")
    resumed.wait()
    total = time.monotonic() - start
    report([(f"--resume of 10,000 variants, {kept} finished", f"{found:.2f} s" if found else "?",
              "until the finished variants are found (target < 2 s)"),
             ("  then the rest and the merge", f"{total:.2f} s", f"merging 10,000 parts took {merge}")])
    return 0


if __name__ == "__main__":
    sys.exit(main())
