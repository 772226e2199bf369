#!/usr/bin/env python3
"""The long check of `compare --select` (docs/compare.md): on the simulator itself, does
KN select the best in at least the promised share of macro-replications?

    scripts/check_selection.py --cli build/campaign-sim [--macro 200] [--indifference 5]
                               [--confidence 0.95] [-t THREADS]

The configuration has exactly known means: network Bass with word of mouth off (q = 0) on
2,000 people for 20 steps, so each person adopts on their own with probability p a step
and total_adopted is Binomial(2000, 1 - (1 - p)^20). Five variants, p = 0.0100 .. 0.0108:
means 364.2, 370.8, 377.4, 383.9, 390.4; the best leads by 6.5. Each macro-replication
is a selection on its own seed (--seed 1 .. M; the seed changes the draws, not the means)
and counts whether it chose p = 0.0108. KN promises P(correct selection) >= confidence
when the best leads by at least the indifference (Kim & Nelson 2001, for normal
observations; a binomial of this size is close to normal). The check passes when the
count reaches M * confidence - 4 * sqrt(M * confidence * (1 - confidence)); it prints the
share with its Wilson 95% interval, and the replications used against a fixed design with
the same guarantee. Common random numbers couple the variants monotonically here (a
person who adopts at p adopts at any larger p), so every replication already orders them
and KN stops after its first stage; the hard case, correlation 0.5 and differences as
noisy as the indifference, is tests/experiment/selection_test.cpp on normal data.
Needs Debian's python3-h5py, python3-numpy and python3-matplotlib (the plot scripts'
import check).
"""

import argparse
import math
import os
import subprocess
import sys
import tempfile

from plot_common import fail as plot_common_fail, import_plotting, text

PROG = "check_selection.py"
PEOPLE, STEPS = 2000, 20
P = {"p0100": 0.0100, "p0102": 0.0102, "p0104": 0.0104, "p0106": 0.0106, "p0108": 0.0108}
SCENARIO = f"""[run]
name = "p0100"
steps = {STEPS}
[audience]
size = {PEOPLE}
[graph]
model = "erdos_renyi"
mean_degree = 4
[diffusion]
model = "network_bass"
p = 0.010
q = 0.0
[seeding]
count = 0
"""


def fail(message, code=1):
    plot_common_fail(PROG, message, code)


def wilson(successes, n, z=1.959964):
    """Wilson's score interval of a binomial share."""
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half


def main():
    parser = argparse.ArgumentParser(prog=PROG, description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cli", default="build/campaign-sim", help="the campaign-sim binary")
    parser.add_argument("--macro", type=int, default=200, help="selections, each on its own seed (default 200)")
    parser.add_argument("--indifference", type=float, default=5.0, help="KN's delta in adopters (default 5)")
    parser.add_argument("--confidence", type=float, default=0.95, help="KN's 1 - alpha (default 0.95)")
    parser.add_argument("-t", "--threads", default="0", help="worker threads of each run (0: every core)")
    args = parser.parse_args()
    h5py = import_plotting(PROG, __file__)[0]
    if args.macro < 1 or not args.indifference > 0 or not 0 < args.confidence < 1:
        fail("--macro >= 1, --indifference > 0 and 0 < --confidence < 1")
    means = {name: PEOPLE * (1 - (1 - p) ** STEPS) for name, p in P.items()}
    ranked = sorted(means, key=means.get, reverse=True)
    lead = means[ranked[0]] - means[ranked[1]]
    print("exact     total_adopted ~ Binomial(2000, 1 - (1 - p)^20): "
          + ", ".join(f"{n} {means[n]:.1f}" for n in P) + f"; {ranked[0]} leads by {lead:.1f}")
    if lead <= args.indifference:
        fail(f"the best leads by {lead:.1f}, not more than the indifference {args.indifference}: KN's guarantee "
             "does not apply; choose a smaller --indifference")
    with tempfile.TemporaryDirectory() as work:
        scenario = os.path.join(work, "bass.toml")
        with open(scenario, "w", encoding="utf-8") as f:
            f.write(SCENARIO)
        base = [args.cli, "compare", scenario, *[f"--variant={n}:diffusion.p={p}" for n, p in P.items() if n != "p0100"],
                "-t", args.threads, "-q"]
        correct = used = fixed = 0
        for seed in range(1, args.macro + 1):
            out = os.path.join(work, f"select{seed}.h5")
            run = subprocess.run([*base, "--select", "--indifference", str(args.indifference), "--confidence",
                                  str(args.confidence), "--seed", str(seed), "-o", out], capture_output=True, text=True)
            if run.returncode != 0:
                fail(f"selection {seed} failed: {run.stderr.strip()}")
            with h5py.File(out, "r") as f:
                attrs = f["compare"].attrs
                correct += text(attrs["selected"]) == ranked[0]
                used += int(f["compare/selection"]["replications"].sum())
                fixed += int(attrs["selection_fixed_per_variant"]) * len(P)
            os.remove(out)
        lo, hi = wilson(correct, args.macro)
        need = args.macro * args.confidence - 4 * math.sqrt(args.macro * args.confidence * (1 - args.confidence))
        print(f"selected  the best in {correct} of {args.macro} selections: {correct / args.macro:.3f} "
              f"(95% CI {lo:.3f} .. {hi:.3f}); promised >= {args.confidence}")
        print(f"cost      {used / args.macro:.1f} replications a selection, against {fixed / args.macro:.1f} for a "
              f"fixed design with the same guarantee ({used / fixed:.1%})")
        passed = correct >= need
        print(f"{'passed' if passed else 'FAILED'}    needs at least {math.ceil(need)} correct "
              f"(M x confidence - 4 sd)")
        return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
