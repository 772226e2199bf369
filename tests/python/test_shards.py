#!/usr/bin/env python3
"""End-to-end checks of shards (docs/cluster.md): `run`, `sweep` and `compare` with
--shard I/N, then `campaign-sim merge`, give the file of the command run in one process,
identical in every dataset and attribute but the root's created_utc, whatever N (more
shards than work units included), whatever the threads; a killed shard resumes; a failed
variant is recorded once; and parts that are missing, given twice, of another study, of
another engine version or of a changed scenario are refused in one line, nothing written.

    python3 test_shards.py --cli build/campaign-sim --source-dir . --work-dir /tmp/w

Uses Debian's python3-h5py and -numpy. Prints "N passed, N failed" last.
"""

import glob
import os
import shutil
import subprocess
import sys
import time

from end_to_end import Tally, cascade_scenario, differences, fresh_dir, parse_args, snapshot, write_scenario

try:
    import h5py
except ImportError as error:
    print(f"cannot import h5py ({error}): apt-get install python3-h5py python3-numpy")
    sys.exit(2)

# 6 variants of 300 replications: two chunks of 256 each, 12 work units.
SCENARIO = cascade_scenario(replications=300, steps=10, seed=11, people=2000, seeds=3)
VARY = ["--vary", "diffusion.transmission=0.05,0.1,0.2", "--vary", "graph.mean_degree=4,8"]


def run(cli, *args, cwd=None):
    return subprocess.run([cli, *args], capture_output=True, text=True, timeout=600, cwd=cwd)


def sharded(cli, command, out, shards, threads="1", cwd=None):
    """Every shard of `command` (a list), then their merge into `out`."""
    stem = out[:-3]
    for path in glob.glob(stem + ".shard-*"):
        os.remove(path)
    for i in range(shards):
        result = run(cli, *command, "-o", out, "-t", threads, "--shard", f"{i}/{shards}", cwd=cwd)
        if result.returncode not in (0, 3):
            return result
    parts = sorted(glob.glob(stem + f".shard-*-of-{shards}.h5"))
    return run(cli, "merge", *parts, "-o", out, cwd=cwd)


def main():
    args = parse_args()
    tally = Tally()
    check = tally.check
    cli = os.path.abspath(args.cli)
    work = fresh_dir(args.work_dir, "shards")
    scenario = write_scenario(work, "grid.toml", SCENARIO)

    # A sweep: N = 1, 2, 3, 5 and 13 (more shards than its 12 units: one empty part).
    reference = os.path.join(work, "sweep.h5")
    result = run(cli, "sweep", scenario, "-o", reference, "-t", "2", *VARY)
    if not check(result.returncode == 0, f"reference sweep: {result.stderr!r}"):
        return tally.finish()
    expected = snapshot(reference)
    for shards in (1, 2, 3, 5, 13):
        out = os.path.join(work, f"sweep{shards}.h5")
        result = sharded(cli, ["sweep", scenario, *VARY], out, shards)
        ok = check(result.returncode == 0, f"sweep in {shards} shards: {result.stderr!r}")
        if ok:
            diff = differences(snapshot(out), expected)
            check(diff == [], f"sweep in {shards} shards, merged: the one-process file; differences {diff[:5]}")
            check(f"merged    {shards} part" in result.stdout, f"merge says what it merged: {result.stdout!r}")
    with h5py.File(os.path.join(work, "sweep13.shard-00-of-13.h5"), "r") as f:
        # units [floor(12 I / 13), floor(12 (I + 1) / 13)): shard 0 has none
        check(f.attrs["file_type"] == "campaign-sim shard" and f.attrs["first_unit"] == f.attrs["end_unit"] == 0
              and len(f["scenarios"]) == 0, "shard 0 of 13 is an empty part")
    with h5py.File(os.path.join(work, "sweep5.shard-2-of-5.h5"), "r") as f:
        # units 4..7 of 12: variant 2 whole (units 4, 5), variant 3's first chunk as a piece
        pieces = list(f["pieces"]) if "pieces" in f else []
        check(list(f["scenarios"]) == ["grid@diffusion.transmission=0.1@graph.mean_degree=4"] and
              pieces == ["grid@diffusion.transmission=0.1@graph.mean_degree=8"] and
              f["pieces"][pieces[0]].attrs["first_replication"] == 0 and
              f["pieces"][pieces[0]].attrs["piece_replications"] == 256,
              f"shard 2 of 5 holds units 4..7: one whole variant and a piece: {list(f['scenarios'])}, {pieces}")

    # A run of 1000 replications (4 chunks), in 3 and 7 shards, on 1 and 2 threads.
    single = os.path.join(work, "run.h5")
    result = run(cli, "run", scenario, "-r", "1000", "-o", single, "-t", "2")
    if check(result.returncode == 0, f"reference run: {result.stderr!r}"):
        for shards, threads in ((3, "1"), (7, "2")):
            out = os.path.join(work, f"run{shards}.h5")
            result = sharded(cli, ["run", scenario, "-r", "1000"], out, shards, threads)
            if check(result.returncode == 0, f"run in {shards} shards: {result.stderr!r}"):
                diff = differences(snapshot(out), snapshot(single))
                check(diff == [], f"run in {shards} shards, merged: the run's file; differences {diff[:5]}")

    # A comparison (its /compare tables are computed by the merge).
    compare = ["compare", scenario, "--variant", "hot:diffusion.transmission=0.3", "--variant",
               "cold:diffusion.transmission=0.02", "-r", "600"]
    single = os.path.join(work, "compare.h5")
    result = run(cli, *compare, "-o", single)
    if check(result.returncode == 0, f"reference comparison: {result.stderr!r}"):
        out = os.path.join(work, "compare3.h5")
        result = sharded(cli, compare, out, 3)
        if check(result.returncode == 0, f"comparison in 3 shards: {result.stderr!r}"):
            diff = differences(snapshot(out), snapshot(single))
            check(diff == [], f"comparison in 3 shards, merged: identical; differences {diff[:5]}")
            check("P(best)" in result.stdout, "the merge prints the comparison")

    # Adaptive replications: a variant is one unit (never cut), identical after the merge.
    adaptive = ["sweep", scenario, *VARY, "--target-ci", "total_adopted=0.05", "--min-reps", "20"]
    single = os.path.join(work, "adaptive.h5")
    result = run(cli, *adaptive, "-o", single)
    if check(result.returncode == 0, f"adaptive sweep: {result.stderr!r}"):
        out = os.path.join(work, "adaptive4.h5")
        result = sharded(cli, adaptive, out, 4)
        if check(result.returncode == 0, f"adaptive sweep in 4 shards: {result.stderr!r}"):
            check(differences(snapshot(out), snapshot(single)) == [], "adaptive sweep in 4 shards: identical")

    # A failed variant is recorded by its shard and once in the merged file; exit 3.
    triads = os.path.join(args.source_dir, "scenarios", "partner_team_triads.toml")
    failing = ["sweep", triads, "-r", "4", "--vary", "partners.count=3,30"]
    single = os.path.join(work, "failures.h5")
    run(cli, *failing, "-o", single)
    out = os.path.join(work, "failures2.h5")
    result = sharded(cli, failing, out, 2)
    check(result.returncode == 3, f"merged sweep with a failed variant: exit 3, got {result.returncode}")
    if os.path.exists(out) and os.path.exists(single):
        check(differences(snapshot(out), snapshot(single)) == [], "a failed variant: the merged file is the same")

    # A shard killed, then run again with --resume: the same part.
    command = ["sweep", scenario, *VARY, "-r", "2000"]
    whole = os.path.join(work, "slow.h5")
    start = time.monotonic()
    run(cli, *command, "-o", whole, "-t", "1")
    seconds = time.monotonic() - start
    killed = os.path.join(work, "killed.h5")
    process = subprocess.Popen([cli, *command, "-o", killed, "-t", "1", "--shard", "0/2"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(0.3 * seconds)
    process.kill()
    process.wait()
    parts_folder = os.path.join(work, "killed.shard-0-of-2.h5.parts")
    kept = [p for p in os.listdir(parts_folder) if p.endswith(".h5")] if os.path.isdir(parts_folder) else []
    again = run(cli, *command, "-o", killed, "-t", "2", "--shard", "0/2", "--resume")
    check(again.returncode == 0 and (not kept or f"{len(kept)} finished before" in again.stdout),
          f"a killed shard resumes ({len(kept)} kept): {again.stdout!r} {again.stderr!r}")
    check(not os.path.exists(parts_folder), "the shard's folder is removed once its part is written")
    result = run(cli, *command, "-o", killed, "--shard", "1/2")
    merged = run(cli, "merge", os.path.join(work, "killed.shard-0-of-2.h5"),
                 os.path.join(work, "killed.shard-1-of-2.h5"), "-o", killed)
    check(merged.returncode == 0 and differences(snapshot(killed), snapshot(whole)) == [],
          f"killed, resumed and merged: identical: {merged.stderr!r}")
    again = run(cli, *command, "-o", killed, "--shard", "0/2", "--resume")
    check(again.returncode == 0 and "finished before" in again.stdout,
          f"--resume of a finished shard does nothing: {again.stdout!r}")

    # The merge from another folder: the shards' relative paths are from where they ran.
    local = fresh_dir(work, "local")
    shutil.copy(scenario, os.path.join(local, "grid.toml"))
    for i in range(2):
        run(cli, "sweep", "grid.toml", *VARY, "-o", "here.h5", "--shard", f"{i}/2", cwd=local)
    result = run(cli, "merge", "local/here.shard-0-of-2.h5", "local/here.shard-1-of-2.h5", "-o", "elsewhere.h5",
                 cwd=work)
    check(result.returncode == 0 and differences(snapshot(os.path.join(work, "elsewhere.h5")), expected) == [],
          f"merged from another folder: identical: {result.stderr!r}")

    # The Slurm array script, run as Slurm runs it (the array's variables set), then the
    # merge script: the one-process file.
    array = os.path.join(os.path.abspath(args.source_dir), "scripts", "slurm", "array.sbatch")
    merge = os.path.join(os.path.abspath(args.source_dir), "scripts", "slurm", "merge.sbatch")
    env = dict(os.environ, CAMPAIGN_SIM=cli, SLURM_ARRAY_TASK_MIN="1", SLURM_ARRAY_TASK_COUNT="3",
               SLURM_CPUS_PER_TASK="1")
    slurm_ok = True
    for task in (1, 2, 3):  # --array=1-3
        env["SLURM_ARRAY_TASK_ID"] = str(task)
        result = subprocess.run(["bash", array, "sweep", scenario, *VARY, "-o", "slurm.h5"], cwd=work, env=env,
                                capture_output=True, text=True, timeout=600)
        slurm_ok &= check(result.returncode == 0, f"array.sbatch task {task}: {result.stderr!r}")
    if slurm_ok:
        result = subprocess.run(["bash", merge, "slurm.h5", "3"], cwd=work, env=env, capture_output=True, text=True,
                                timeout=600)
        check(result.returncode == 0 and differences(snapshot(os.path.join(work, "slurm.h5")), expected) == [],
              f"array.sbatch x 3 then merge.sbatch: the one-process file: {result.stderr!r}")

    # Bad parts: one line, exit 2, no OUT.
    parts5 = sorted(glob.glob(os.path.join(work, "sweep5.shard-*-of-5.h5")))
    other = os.path.join(work, "run3.shard-0-of-3.h5")
    old = os.path.join(work, "old.shard-0-of-5.h5")
    shutil.copy(parts5[0], old)
    with h5py.File(old, "r+") as f:
        f.attrs["engine_version"] = "0.0.1"
    bad = os.path.join(work, "bad.h5")
    cases = [
        ("a missing shard", parts5[:2] + parts5[3:], "shard 2 of 5 is missing"),
        ("a part twice", parts5 + parts5[:1], "are both shard 0 of 5"),
        ("a part of another study", parts5[1:] + [other], "parts of different studies"),
        ("another engine version", [old] + parts5[1:], "written by engine 0.0.1"),
        ("not a part", parts5[1:] + [reference], "not a shard's part file"),
        ("no such file", parts5[1:] + [os.path.join(work, "nowhere.h5")], "no such part file"),
    ]
    for what, parts, words in cases:
        result = run(cli, "merge", *parts, "-o", bad)
        lines = result.stderr.strip().splitlines()
        check(result.returncode == 2 and len(lines) == 1 and words in lines[0] and not os.path.exists(bad),
              f"merge with {what}: exit 2 and one line with {words!r}: {result.returncode} {result.stderr!r}")
    result = run(cli, "merge", *parts5, "-o", reference)
    check(result.returncode == 2 and "exists; --overwrite" in result.stderr, f"OUT exists: {result.stderr!r}")
    write_scenario(work, "grid.toml", SCENARIO.replace("seed = 11", "seed = 12"))  # changed after the shards
    result = run(cli, "merge", *parts5, "-o", bad)
    check(result.returncode == 2 and "the study has changed since its shards ran" in result.stderr and
          "run.seed" in result.stderr and not os.path.exists(bad), f"a changed scenario: {result.stderr!r}")
    for extra, words in ((["--shard", "2/2"], "expected I/N"), (["--shard", "x"], "expected I/N"),
                         (["--shard", "0/2", "--save-trajectories"], "--save-trajectories")):
        result = run(cli, "run", scenario, "-o", bad, *extra)
        check(result.returncode == 2 and words in result.stderr, f"run {extra}: {result.stderr!r}")
    result = run(cli, *compare[:4], "-o", bad, "--shard", "0/2", "--select", "--indifference", "1")
    check(result.returncode == 2 and "--select with --shard or under mpirun" in result.stderr, f"--select: {result.stderr!r}")
    return tally.finish()


if __name__ == "__main__":
    sys.exit(main())
