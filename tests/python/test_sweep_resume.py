#!/usr/bin/env python3
"""End-to-end checks of `campaign-sim sweep`: results that survive a kill, --resume, a
grown Sobol design, failures recorded, the typed tables, and bad input refused in one
line with nothing touched (docs/experiments.md).

The reference is the same sweep run uninterrupted on one thread; every interrupted and
resumed run (on two threads) must give a file identical to it in every dataset and every
attribute but the root's created_utc.

    python3 test_sweep_resume.py --cli build/campaign-sim --source-dir . --work-dir /tmp/w

Uses Debian's python3-h5py, -numpy and -pandas. Prints "N passed, N failed" last.
"""

import os
import random
import signal
import subprocess
import sys
import time

from end_to_end import Tally, cascade_scenario, differences, fresh_dir, parse_args, snapshot, write_scenario

try:
    import h5py
    import numpy as np
    import pandas as pd
except ImportError as error:
    print(f"cannot import h5py/numpy/pandas ({error}): apt-get install python3-h5py python3-numpy "
          "python3-pandas")
    sys.exit(2)

SCENARIO = cascade_scenario(replications=30, steps=12, seed=5, people=3000, seeds=3)
VARY = ["--vary", "diffusion.transmission=0.05:0.3:10", "--vary", "graph.mean_degree=4,8"]
VARIANTS = 20
KILL_POINTS = 10
def sweep(cli, scenario, out, *extra, threads="2"):
    return subprocess.run([cli, "sweep", scenario, "-o", out, "-t", threads, *VARY, *extra],
                          capture_output=True, text=True, timeout=600)


def main():
    args = parse_args()
    tally = Tally()
    check = tally.check
    work = fresh_dir(args.work_dir, "resume")
    scenario = write_scenario(work, "grid.toml", SCENARIO)

    # The reference, on one thread, timed to place the kills.
    reference = os.path.join(work, "reference.h5")
    start = time.monotonic()
    result = sweep(args.cli, scenario, reference, threads="1")
    full_seconds = time.monotonic() - start
    if not check(result.returncode == 0, f"reference sweep: {result.stderr!r}"):
        return tally.finish()
    expected = snapshot(reference)
    check(not os.path.exists(reference + ".parts"), "the parts folder is removed after the merge")
    lines = [line for line in result.stdout.splitlines() if line.startswith("variant ")]
    check(len(lines) == VARIANTS, f"one line per finished variant without a terminal: {len(lines)}")

    # Same sweep on two threads, uninterrupted: identical whatever the thread count.
    two = os.path.join(work, "two_threads.h5")
    check(sweep(args.cli, scenario, two).returncode == 0, "two-thread sweep")
    check(differences(snapshot(two), expected) == [], "two threads give the one-thread file")

    # kill -9 at random moments, then --resume: the same file.
    rng = random.Random(20261206)
    for point in range(KILL_POINTS):
        out = os.path.join(work, f"killed{point}.h5")
        delay = rng.uniform(0.05, 0.95) * full_seconds
        process = subprocess.Popen([args.cli, "sweep", scenario, "-o", out, "-t", "2", *VARY],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        process.kill()
        process.wait()
        parts = out + ".parts"
        kept = sorted(p for p in os.listdir(parts) if p.endswith(".h5")) if os.path.isdir(parts) else []
        readable = True
        for part in kept:
            try:
                with h5py.File(os.path.join(parts, part), "r") as f:
                    readable &= len(f["scenarios"]) == 1
            except OSError:
                readable = False
        check(readable, f"kill -9 after {delay:.2f} s: every kept part is a readable results file")
        # OUT exists only once complete (renamed into place before the folder is removed).
        complete = True
        if os.path.exists(out):
            try:
                with h5py.File(out, "r") as f:
                    complete = len(f["sweep/design"]) == VARIANTS and len(f["scenarios"]) == VARIANTS
            except (OSError, KeyError):
                complete = False
        check(complete, f"kill -9 after {delay:.2f} s: OUT, where it exists, is complete")
        if os.path.isdir(parts) and not os.path.exists(out):
            shown = subprocess.run([args.cli, "inspect", out], capture_output=True, text=True)
            check(shown.returncode == 2 and "not written yet" in shown.stderr and
                  f": {len(kept)} of {VARIANTS} variants are finished" in shown.stderr and
                  shown.stderr.rstrip().endswith("--resume"),
                  f"kill -9 after {delay:.2f} s: inspect says what is finished: {shown.stderr.strip()!r}")
        again = sweep(args.cli, scenario, out, "--resume")
        check(again.returncode == 0, f"kill -9 after {delay:.2f} s: --resume: {again.stderr!r}")
        if again.returncode == 0:
            skipped = f"{len(kept)} finished before" if kept and not os.path.exists(out) else ""
            check(skipped in again.stdout, f"--resume skips the {len(kept)} kept variants: {again.stdout!r}")
            diff = differences(snapshot(out), expected)
            check(diff == [], f"kill -9 after {delay:.2f} s ({len(kept)} kept), resumed: identical file; "
                  f"differences {diff[:5]}")

    # SIGTERM and SIGINT: exit 143 / 130, keep the finished variants, say how to resume.
    for sig, status in ((signal.SIGTERM, 143), (signal.SIGINT, 130)):
        out = os.path.join(work, f"signal{status}.h5")
        process = subprocess.Popen([args.cli, "sweep", scenario, "-o", out, "-t", "2", *VARY],
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = process.stdout.readline()
        while line and not line.startswith("variant"):
            line = process.stdout.readline()
        process.send_signal(sig)
        _, err = process.communicate(timeout=60)
        if process.returncode == 0:
            tally.skip(f"{sig.name} mid-sweep", "the sweep finished before the signal arrived")
            continue
        check(process.returncode == status, f"{sig.name}: exit {process.returncode}, expected {status}")
        check("--resume" in err and "finished and kept" in err, f"{sig.name}: says how to resume: {err!r}")
        check(not os.path.exists(out), f"{sig.name}: no OUT before the sweep is complete")
        again = sweep(args.cli, scenario, out, "--resume")
        check(again.returncode == 0 and differences(snapshot(out), expected) == [],
              f"{sig.name} then --resume: identical file ({again.stderr!r})")

    # --resume with nothing to resume starts the sweep (a job script may always pass it).
    fresh = os.path.join(work, "fresh.h5")
    again = sweep(args.cli, scenario, fresh, "--resume")
    check(again.returncode == 0 and "nothing to resume: started" in again.stdout
          and differences(snapshot(fresh), expected) == [], f"--resume of nothing: {again.stdout!r}")

    # --resume of a finished sweep runs nothing and leaves the same results.
    again = sweep(args.cli, scenario, reference, "--resume")
    check(again.returncode == 0 and "0 to run" in again.stdout, f"--resume when done: {again.stdout!r}")
    check(differences(snapshot(reference), expected) == [], "--resume when done: the same file")

    # A Sobol design grown from 8 to 16 points runs only the 8 new ones, and equals the
    # 16-point design run at once.
    sobol = ["--design", "sobol", "--design-seed", "3"]
    small = os.path.join(work, "sobol.h5")
    whole = os.path.join(work, "sobol16.h5")
    ranges = ["--vary", "diffusion.transmission=0.05:0.3", "--vary", "seeding.count=1:20"]
    base = [args.cli, "sweep", scenario, "-t", "2", *ranges, *sobol]
    first = subprocess.run(base + ["-o", small, "--samples", "8"], capture_output=True, text=True)
    grown = subprocess.run(base + ["-o", small, "--samples", "16", "--resume"], capture_output=True, text=True)
    at_once = subprocess.run(base + ["-o", whole, "--samples", "16"], capture_output=True, text=True)
    check(first.returncode == 0 and grown.returncode == 0 and at_once.returncode == 0,
          f"sobol runs: {first.stderr!r} {grown.stderr!r} {at_once.stderr!r}")
    check("8 to run, 8 finished before" in grown.stdout, f"a grown design runs the new points: {grown.stdout!r}")
    if grown.returncode == 0 and at_once.returncode == 0:
        check(differences(snapshot(small), snapshot(whole)) == [], "8 + 8 Sobol points == 16 at once")

    # A smaller design on --resume would drop finished points: refused, the file untouched.
    before = (os.stat(small).st_mtime_ns, open(small, "rb").read())
    shrunk = subprocess.run(base + ["-o", small, "--samples", "4", "--resume"], capture_output=True, text=True)
    check(shrunk.returncode == 2 and "does not shrink" in shrunk.stderr
          and before == (os.stat(small).st_mtime_ns, open(small, "rb").read()),
          f"--resume with fewer samples: refused, nothing touched: {shrunk.stderr!r}")

    # An --overwrite sweep interrupted beside an older sweep's OUT (another design):
    # --resume continues from the folder and replaces the old file with the new sweep's.
    older = os.path.join(work, "older.h5")
    check(subprocess.run(base + ["-o", older, "--samples", "4"], capture_output=True).returncode == 0, "older sweep")
    process = subprocess.Popen([args.cli, "sweep", scenario, "-o", older, "-t", "2", *VARY, "--overwrite"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = process.stdout.readline()
    while line and not line.startswith("variant"):
        line = process.stdout.readline()
    process.send_signal(signal.SIGINT)
    process.communicate(timeout=60)
    again = sweep(args.cli, scenario, older, "--resume")
    check(again.returncode == 0 and differences(snapshot(older), expected) == [],
          f"--resume of an interrupted --overwrite beside an older OUT: {again.stderr!r}")

    # The typed tables, read by pandas as they are.
    with h5py.File(reference, "r") as f:
        design = pd.DataFrame(f["sweep/design"][()])
        table = pd.DataFrame(f["sweep/table"][()])
        failures = f["sweep/failures"][()]
    check(len(design) == VARIANTS and list(design["id"]) == list(range(VARIANTS)), "design: a row per variant")
    check(design["diffusion.transmission"].dtype == np.float64, "a numeric key is a float column")
    check(design["replications"].dtype == np.int64 and (design["replications"] == 30).all(),
          "replications: int64, 30 each")
    check(set(design["status"].str.decode("utf-8")) == {"done"}, "status done")
    check(np.allclose(sorted(set(design["diffusion.transmission"])), np.linspace(0.05, 0.3, 10)),
          "the transmission levels 0.05:0.3:10")
    check(len(failures) == 0, "no failures")
    with h5py.File(reference, "r") as f:
        for row in table.itertuples():
            name = row.name.decode("utf-8")
            finals = f["scenarios"][name]["finals"]["total_adopted"][()]
            sd = np.std(finals, ddof=1)
            ok = (abs(row.total_adopted_mean - finals.mean()) <= 1e-9 * max(1.0, abs(finals.mean()))
                  and abs(row.total_adopted_sd - sd) <= 1e-9 * max(1.0, sd)
                  and row.total_adopted_ci95_lo <= row.total_adopted_mean <= row.total_adopted_ci95_hi)
            if not check(ok, f"{name}: the table's total_adopted mean/sd agree with its finals"):
                break

    # A variant that fails is recorded and the sweep goes on; exit 3. --fail-fast stops.
    triads = os.path.join(args.source_dir, "scenarios", "partner_team_triads.toml")
    out = os.path.join(work, "failures.h5")
    result = subprocess.run([args.cli, "sweep", triads, "-o", out, "-r", "4", "--vary",
                             "partners.count=3,30"], capture_output=True, text=True)
    check(result.returncode == 3, f"a failed variant: exit 3, got {result.returncode} ({result.stderr!r})")
    if os.path.exists(out):
        with h5py.File(out, "r") as f:
            fails = f["sweep/failures"][()]
            status = [s.decode() for s in f["sweep/design"]["status"]]
            check(len(fails) == 1 and b"no triad" in fails[0]["message"], f"failures table: {fails!r}")
            check(status == ["failed", "done"], f"statuses {status}")
            check(list(f["scenarios"]) == ["partner_team_triads@partners.count=30"], "only the finished one")
    result = subprocess.run([args.cli, "sweep", triads, "-o", os.path.join(work, "ff.h5"), "-r", "4",
                             "--vary", "partners.count=3,30", "--fail-fast"], capture_output=True, text=True)
    check(result.returncode == 2 and "no triad" in result.stderr, f"--fail-fast: {result.returncode}")

    # Bad input: one line, exit 2, and nothing written or touched.
    design_dir = fresh_dir(work, "designs")
    unknown_column = write_scenario(design_dir, "unknown.csv", "diffusion.transmission,graph.colour\n0.1,3\n")
    bad_cell = write_scenario(design_dir, "bad.csv", "diffusion.transmission\n0.1\nmany\n")
    other = write_scenario(work, "other.toml", SCENARIO.replace("seed = 5", "seed = 6"))
    existing = os.path.join(work, "existing.h5")
    with open(existing, "wb") as f:
        f.write(b"the user's file")
    cases = [
        ("unknown key", ["--vary", "diffusion.nonsense=1,2"], "diffusion.nonsense"),
        ("key varied twice", ["--vary", "diffusion.transmission=0.1", "--vary", "diffusion.transmission=0.2"],
         "varied twice"),
        ("varied and --set", ["--vary", "diffusion.transmission=0.1,0.2", "--set", "diffusion.transmission=0.3"],
         "also varied"),
        ("empty list", ["--vary", "diffusion.transmission="], "diffusion.transmission"),
        ("lo > hi", ["--vary", "diffusion.transmission=0.3:0.1:3"], "0.3:0.1:3"),
        ("n < 1", ["--vary", "diffusion.transmission=0.1:0.3:0"], "0.1:0.3:0"),
        ("a range of a text key", ["--vary", "graph.model=1:3:3"], "graph.model"),
        ("repeated value", ["--vary", "diffusion.transmission=0.1,0.1"], "0.1"),
        ("rounding makes duplicates", ["--vary", "seeding.count=1:3:5"], "seeding.count"),
        ("unknown design column", ["--design-file", unknown_column], "unknown.csv:1"),
        ("a bad design cell", ["--design-file", bad_cell], "bad.csv:3"),
        ("over 100,000 variants", ["--vary", "diffusion.transmission=0.01:0.5:400",
                                   "--vary", "seeding.count=1:400:400"], "--force"),
        ("sampled design without --samples", ["--vary", "diffusion.transmission=0.1:0.3", "--design", "lhs"],
         "--samples"),
    ]
    for label, extra, needle in cases:
        out = os.path.join(work, "bad.h5")
        result = subprocess.run([args.cli, "sweep", scenario, "-o", out, *extra], capture_output=True, text=True)
        lines = result.stderr.strip().splitlines()
        check(result.returncode == 2 and len(lines) == 1 and needle in lines[0],
              f"{label}: exit {result.returncode}, one line naming {needle!r}: {result.stderr!r}")
        check(not os.path.exists(out) and not os.path.exists(out + ".parts"), f"{label}: nothing written")
    for label, command, needle in [
        ("existing OUT without --overwrite", [scenario, "-o", existing, *VARY], "--overwrite"),
        ("--resume of another scenario's sweep", [other, "-o", reference, *VARY, "--resume"], "--resume refused"),
    ]:
        before = {p: (os.stat(p).st_mtime_ns, open(p, "rb").read()) for p in (existing, reference)}
        result = subprocess.run([args.cli, "sweep", *command], capture_output=True, text=True)
        lines = result.stderr.strip().splitlines()
        check(result.returncode == 2 and len(lines) == 1 and needle in lines[0],
              f"{label}: exit {result.returncode}, one line naming {needle!r}: {result.stderr!r}")
        after = {p: (os.stat(p).st_mtime_ns, open(p, "rb").read()) for p in (existing, reference)}
        check(before == after and not os.path.exists(command[2] + ".parts"), f"{label}: no file touched")

    # An output in a folder that does not exist: said as `run` says it, nothing created.
    missing = os.path.join(work, "no-such-dir", "out.h5")
    result = sweep(args.cli, scenario, missing)
    check(result.returncode == 1 and "directory" in result.stderr and "does not exist" in result.stderr
          and not os.path.exists(os.path.dirname(missing)), f"a missing output folder: {result.stderr!r}")

    # --resume of a file from another engine version: its manifest says so.
    other_engine = os.path.join(work, "old_engine.h5")
    with open(reference, "rb") as src, open(other_engine, "wb") as dst:
        dst.write(src.read())
    with h5py.File(other_engine, "r+") as f:
        manifest = f["sweep"].attrs["manifest"]
        lines = [('engine_version = "0.0.1"' if line.startswith("engine_version") else line)
                 for line in manifest.splitlines()]
        f["sweep"].attrs["manifest"] = "\n".join(lines) + "\n"
    result = sweep(args.cli, scenario, other_engine, "--resume")
    check(result.returncode == 2 and "engine_version" in result.stderr and "0.0.1" in result.stderr,
          f"--resume of another engine version's file: {result.stderr!r}")
    return tally.finish()


if __name__ == "__main__":
    sys.exit(main())
