#!/usr/bin/env python3
"""End-to-end checks of MPI runs (docs/cluster.md): `mpirun -np 2` and `-np 3
--oversubscribe` of `run`, `sweep` and `compare` write the file of the command run in one
process, identical in every dataset and attribute but the root's created_utc; a rank that
dies ends the job, its finished tasks stay, and --resume without MPI finishes it with the
same file. Where the binary has no MPI, or mpirun is missing, the MPI runs are skipped
aloud; a binary without MPI started by mpirun is refused in one line.

    python3 test_mpi.py --cli build/campaign-sim --source-dir . --work-dir /tmp/w

Uses Debian's python3-h5py and -numpy. Prints "N passed, N failed" last.
"""

import os
import shutil
import signal
import subprocess
import sys
import time

from end_to_end import Tally, cascade_scenario, differences, fresh_dir, parse_args, snapshot, write_scenario

SCENARIO = cascade_scenario(replications=300, steps=10, seed=21, people=2000, seeds=3)
VARY = ["--vary", "diffusion.transmission=0.05,0.1,0.2", "--vary", "graph.mean_degree=4,8"]
# Open MPI refuses root unless told; CI runs as root.
MPI_ENV = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1",
               OMPI_MCA_rmaps_base_oversubscribe="1")


def run(command, **kwargs):
    return subprocess.run(command, capture_output=True, text=True, timeout=600, env=MPI_ENV, **kwargs)


def mpirun(ranks, cli, *args):
    return run(["mpirun", "-np", str(ranks), "--oversubscribe", "--bind-to", "none", cli, *args])


def main():
    args = parse_args()
    tally = Tally()
    check = tally.check
    cli = os.path.abspath(args.cli)
    work = fresh_dir(args.work_dir, "mpi")
    scenario = write_scenario(work, "grid.toml", SCENARIO)
    has_mpi = "(with MPI)" in run([cli, "--version"]).stdout
    launcher = shutil.which("mpirun")
    if launcher is None:
        tally.skip("MPI runs", "mpirun is not installed (apt-get install openmpi-bin libopenmpi-dev)")
        return tally.finish()
    if not has_mpi:
        result = mpirun(2, cli, "run", scenario, "-o", os.path.join(work, "refused.h5"))
        check(result.returncode != 0 and "built without MPI" in result.stderr and
              not os.path.exists(os.path.join(work, "refused.h5")),
              f"a binary without MPI under mpirun is refused: {result.returncode} {result.stderr!r}")
        tally.skip("MPI runs", "this campaign-sim is built without MPI (cmake -DCAMPAIGN_MPI=ON; scripts/test.sh "
                   "builds its release suite with it)")
        return tally.finish()

    studies = {
        "sweep": ["sweep", scenario, *VARY],
        "run": ["run", scenario, "-r", "1000"],
        "compare": ["compare", scenario, "--variant", "hot:diffusion.transmission=0.3", "--variant",
                    "cold:diffusion.transmission=0.02", "-r", "600"],
    }
    for name, command in studies.items():
        single = os.path.join(work, f"{name}.h5")
        result = run([cli, *command, "-o", single, "-t", "2"])
        if not check(result.returncode == 0, f"{name} in one process: {result.stderr!r}"):
            continue
        expected = snapshot(single)
        for ranks, threads in ((2, "1"), (3, "1"), (2, "2")):
            out = os.path.join(work, f"{name}{ranks}x{threads}.h5")
            result = mpirun(ranks, cli, *command, "-o", out, "-t", threads)
            if check(result.returncode == 0, f"{name} on {ranks} ranks x {threads}: {result.stderr!r}"):
                diff = differences(snapshot(out), expected)
                check(diff == [], f"{name} on {ranks} ranks x {threads} threads: the one-process file; "
                      f"differences {diff[:5]}")
                check(not os.path.exists(out + ".tasks"), f"{name}: the tasks' folder is removed")
                tasks = [line for line in result.stdout.splitlines() if line.startswith("task ")]
                ranks_used = {line.split(" on rank ")[1].split(":")[0] for line in tasks}
                check(len(tasks) >= ranks and len(ranks_used) >= 2,
                      f"{name}: tasks ran on several ranks: {tasks}")

    # Bad input: said once (by rank 0), exit 2, nothing written.
    bad = os.path.join(work, "bad.h5")
    result = mpirun(2, cli, "sweep", scenario, "-o", bad, "--vary", "diffusion.transmission=2")
    check(result.returncode != 0 and result.stderr.count("campaign-sim:") == 1 and not os.path.exists(bad),
          f"bad input under mpirun: one line: {result.stderr!r}")

    # Under mpirun, only the study commands; --resume refuses an OUT that is not the study's.
    result = mpirun(2, cli, "graph", "info", scenario)
    check(result.returncode != 0 and result.stderr.count("campaign-sim:") == 1 and
          "only run, sweep and compare" in result.stderr, f"graph info under mpirun: {result.stderr!r}")
    other = os.path.join(work, "other.h5")
    with open(other, "w") as f:
        f.write("not results\n")
    result = mpirun(2, cli, "sweep", scenario, *VARY, "-o", other, "--resume")
    with open(other) as f:
        kept = f.read() == "not results\n"
    check(result.returncode != 0 and "--resume cannot read it" in result.stderr and kept,
          f"--resume under mpirun with a foreign OUT: refused, OUT kept: {result.stderr!r}")
    result = mpirun(2, cli, "sweep", scenario, *VARY, "-o", os.path.join(work, "sweep2x1.h5"), "--resume")
    check(result.returncode != 0 and "nothing to resume" in result.stderr,
          f"--resume of a finished study under mpirun: {result.stderr!r}")

    # A rank killed: the job ends, the finished tasks stay, --resume without MPI finishes it.
    slow = write_scenario(work, "slow.toml", cascade_scenario(replications=1600, steps=20, seed=21, people=50000,
                                                              seeds=20, transmission=0.3))
    command = ["sweep", slow, "--vary", "graph.mean_degree=4,8", "-t", "1"]
    whole = os.path.join(work, "whole.h5")
    start = time.monotonic()
    check(run([cli, *command, "-o", whole]).returncode == 0, "the long sweep in one process")
    seconds = time.monotonic() - start
    out = os.path.join(work, "killed.h5")
    job = subprocess.Popen(["mpirun", "-np", "2", "--oversubscribe", "--bind-to", "none", cli, *command, "-o", out],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=MPI_ENV)
    time.sleep(0.4 * seconds)
    ranks = subprocess.run(["pgrep", "-P", str(job.pid)], capture_output=True, text=True).stdout.split()
    if ranks:
        os.kill(int(ranks[-1]), signal.SIGKILL)
    _, stderr = job.communicate(timeout=120)
    if job.returncode == 0:
        tally.skip("a killed rank", "the job finished before the kill")
    else:
        check(os.path.isdir(out + ".tasks") and not os.path.exists(out),
              f"a killed rank: the job ends without OUT, its tasks kept: {stderr[-300:]!r}")
        resumed = run([cli, *command, "-o", out, "--resume"])
        check(resumed.returncode == 0 and differences(snapshot(out), snapshot(whole)) == [],
              f"killed, then --resume without MPI: the same file: {resumed.stderr!r}")
    return tally.finish()


if __name__ == "__main__":
    sys.exit(main())
