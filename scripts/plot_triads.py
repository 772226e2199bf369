#!/usr/bin/env python3
"""Plot how many triads a partner ecosystem has against the size of the team: the valid
triads (triangles of the cooperation graph whose partners can take the roles owner,
source, channel) of every variant of a results file, on log-log axes, a line per
cooperation model, with the slope of P^3 for reference.

    scripts/plot_triads.py OUT.h5 [--what valid_triads|role_orders|triangles] [-o FILE.png]

Reads the attributes ecosystem_* that a run of a triad or calendar plan keeps in its
scenario group (docs/hdf5-layout.md), and each variant's partners.* settings from its
config_toml: e.g. the sweep scenarios/sweeps/triad_count.toml. Variants whose triads
were not counted (dense cooperation past the count's budget) or that failed are left
out, and the figure says how many.
"""

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from plot_common import fail, import_plotting, parse_toml, save_figure  # noqa: E402

PROG = "plot_triads.py"


def model_label(partners):
    model = partners.get("cooperation_model", "random")
    degree = partners.get("cooperation_degree", 0)
    if model == "random" and not degree:
        return f"random, dense ({partners.get('cooperation', 0.3):g} of pairs)"
    if model == "block":
        size = partners["count"] / max(1, partners.get("groups", 1))
        return f"block, mean degree {degree:g}, groups of {size:.0f} ({partners.get('cooperation_within', 0.8):.0%} inside)"
    return f"{model}, mean degree {degree:g}"


def main():
    parser = argparse.ArgumentParser(prog=PROG, description=__doc__.split("\n\n")[0])
    parser.add_argument("results", help="a results file (.h5) of runs with a triad or calendar plan")
    parser.add_argument("--what", default="valid_triads", choices=["valid_triads", "role_orders", "triangles"],
                        help="what to count (default: valid_triads)")
    parser.add_argument("-o", "--output", default="triads.png", help="the image to write (default: triads.png)")
    args = parser.parse_args()
    h5py, numpy, pyplot, _ = import_plotting(PROG, __file__)
    if not os.path.exists(args.results):
        fail(PROG, f"{args.results}: no such file")
    try:
        results = h5py.File(args.results, "r")
    except OSError as error:
        fail(PROG, f"{args.results}: not an HDF5 results file ({error})")
    attribute = "ecosystem_" + args.what
    lines, uncounted = {}, 0
    with results:
        if "scenarios" not in results:
            fail(PROG, f"{args.results}: no /scenarios group; is it a campaign-sim results file?")
        for name, group in results["scenarios"].items():
            if attribute not in group.attrs:
                continue
            config = parse_toml(group.attrs["config_toml"])
            if config is None:
                fail(PROG, "reading a variant's settings needs Python 3.11 (tomllib); run with /usr/bin/python3")
            partners = config.get("partners", {})
            value = float(group.attrs[attribute])
            if numpy.isnan(value):
                uncounted += 1
                continue
            lines.setdefault(model_label(partners), []).append((int(partners["count"]), value))
        failed = len(results["sweep/failures"]) if "sweep/failures" in results else 0
    if not lines:
        fail(PROG, f"{args.results}: no variant has {attribute}; run a triad or calendar plan (engine 0.6.0 or later)")
    figure, axes = pyplot.subplots(figsize=(8, 5.5))
    for label, points in sorted(lines.items()):
        points.sort()
        x, y = zip(*points)
        axes.plot(x, [max(v, 0.5) for v in y], marker="o", label=label)
    # P^3 through the dense line's last point, for the eye.
    dense = [points for label, points in lines.items() if "dense" in label]
    if dense:
        x_end, y_end = dense[0][-1]
        xs = numpy.array([dense[0][0][0], x_end])
        axes.plot(xs, y_end * (xs / x_end) ** 3, color="grey", linestyle=":", label="slope of P³")
    axes.set_xscale("log")
    axes.set_yscale("log")
    axes.set_xlabel("partners (P)")
    axes.set_ylabel(args.what.replace("_", " "))
    note = []
    if uncounted:
        note.append(f"{uncounted} not counted: dense past the budget")
    if failed:
        note.append(f"{failed} failed: no triad at all")
    axes.set_title("; ".join([f"{args.what.replace('_', ' ')} against team size"] + note), fontsize=11)
    axes.grid(True, which="both", alpha=0.3)
    axes.legend(fontsize=8)
    figure.tight_layout()
    save_figure(PROG, figure, args.output)


if __name__ == "__main__":
    main()
