#!/usr/bin/env python3
"""End-to-end check of `campaign-sim run --sweep`: one scenario group per value in one
file, each named SCENARIO@key=value with its value in config_toml, and common random
numbers across the variants: with the same seed and graph, every arc open at a lower
transmission is open at a higher one, so each replication's cascade can only grow.

    python3 test_sweep.py --cli build/campaign-sim --source-dir . --work-dir /tmp/w

Uses only Debian's python3-h5py and python3-numpy. Prints "N passed, N failed" last.
"""

import os
import subprocess
import sys
import tomllib

from end_to_end import Tally, cascade_scenario, parse_args, write_scenario

try:
    import h5py
    import numpy as np
except ImportError as error:
    print(f"cannot import h5py/numpy ({error}): apt-get install python3-h5py python3-numpy")
    sys.exit(2)

SCENARIO = cascade_scenario(replications=40, steps=15, seed=11, people=3000, seeds=2)
VALUES = ["0.1", "0.2", "0.35"]


def main():
    args = parse_args()
    scenario = write_scenario(args.work_dir, "sweep.toml", SCENARIO)
    out = os.path.join(args.work_dir, "sweep.h5")
    subprocess.run([args.cli, "run", scenario, "-o", out, "-q",
                    "--sweep", "diffusion.transmission=" + ",".join(VALUES)], check=True)
    tally = Tally()
    check = tally.check

    with h5py.File(out, "r") as f:
        names = [f"sweep@diffusion.transmission={v}" for v in VALUES]
        check(sorted(f["scenarios"]) == sorted(names), f"groups {list(f['scenarios'])}")
        finals = []
        for name, value in zip(names, VALUES):
            group = f["scenarios"][name]
            config = tomllib.loads(group.attrs["config_toml"])
            check(config["diffusion"]["transmission"] == float(value), f"{name}: config_toml value")
            check(config["run"]["name"] == name, f"{name}: run.name in config_toml")
            finals.append(group["finals"]["total_adopted"][()])
        for low, high in zip(finals, finals[1:]):
            check(bool(np.all(low <= high)), "common random numbers: cascades grow with transmission")
            check(bool(np.any(low < high)), "the variants differ")
    return tally.finish()


if __name__ == "__main__":
    sys.exit(main())
