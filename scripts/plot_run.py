#!/usr/bin/env python3
"""Plot a campaign-sim results file: the mean of a metric per step, the band where 90% of
replications fall (p05-p95), and the 95% confidence interval of the mean, per scenario.

    python3 scripts/plot_run.py results.h5 -o adoption.png [--metric total_adopted] [--scenario NAME]

Reads the layout of docs/hdf5-layout.md, schemas 1 to 3 (a metric's series is a group of
vectors in 1, a table of its own in 2, a row of the stacked `series` tables in 3). Needs
h5py, numpy and matplotlib: Debian's python3-h5py, python3-numpy and python3-matplotlib.
When another python3 comes first on PATH and lacks them, the script runs itself again
with /usr/bin/python3.
"""

import argparse
import os
import re
import sys

SYSTEM_PYTHON = "/usr/bin/python3"
REEXEC_MARKER = "CAMPAIGN_PLOT_REEXEC"  # set once we re-ran, so a failure cannot loop
PROG = "plot_run.py"


def fail(message, code=1):
    print(f"{PROG}: error: {message}", file=sys.stderr)
    sys.exit(code)


def import_libraries():
    try:
        import h5py
        import matplotlib
        import numpy

        matplotlib.use("Agg")  # headless: no display needed
        import matplotlib.pyplot as pyplot
        import matplotlib.ticker
    except ImportError as error:
        already_system = os.path.abspath(sys.executable) == SYSTEM_PYTHON
        if os.path.exists(SYSTEM_PYTHON) and not already_system and not os.environ.get(REEXEC_MARKER):
            os.environ[REEXEC_MARKER] = "1"
            os.execv(SYSTEM_PYTHON, [SYSTEM_PYTHON, os.path.abspath(__file__), *sys.argv[1:]])
        fail(f"cannot import {error.name or error}: apt-get install python3-h5py "
             "python3-matplotlib python3-numpy (and run with /usr/bin/python3)", code=2)
    return h5py, numpy, pyplot


def step_unit(config_toml):
    """The scenario's run.step_unit, or None."""
    try:
        import tomllib  # Python >= 3.11

        return tomllib.loads(config_toml).get("run", {}).get("step_unit")
    except ImportError:
        match = re.search(r"""^\s*step_unit\s*=\s*["']([^"']+)["']""", config_toml, re.MULTILINE)
        return match.group(1) if match else None
    except ValueError:  # tomllib.TOMLDecodeError: the label is not worth failing for
        return None


def text(value):
    return value.decode() if isinstance(value, bytes) else str(value)


def main():
    parser = argparse.ArgumentParser(prog=PROG, description=__doc__.splitlines()[0])
    parser.add_argument("results", help="results file written by campaign-sim run (HDF5)")
    parser.add_argument("-o", "--output", required=True, help="image to write (.png, .svg, .pdf)")
    parser.add_argument("--metric", default="total_adopted", help="metric to plot (default: %(default)s)")
    parser.add_argument("--scenario", help="only this scenario (default: every scenario in the file)")
    args = parser.parse_args()

    if not os.path.isfile(args.results):
        fail(f"no such file: '{args.results}'")
    h5py, np, plt = import_libraries()

    try:
        f = h5py.File(args.results, "r")
    except OSError as error:
        fail(f"cannot open '{args.results}' as HDF5: {error}")
    with f:
        if text(f.attrs.get("file_type", "")) != "campaign-sim results" or "scenarios" not in f:
            fail(f"'{args.results}' is not a campaign-sim results file")
        available = list(f["scenarios"].keys())
        if args.scenario is not None and args.scenario not in available:
            fail(f"no scenario '{args.scenario}' in '{args.results}'; available: "
                 f"{', '.join(available) or '(none)'}")
        names = [args.scenario] if args.scenario is not None else available
        if not names:
            fail(f"'{args.results}' holds no scenarios")

        figure, axes = plt.subplots(figsize=(9, 5.5))
        units = set()
        for index, name in enumerate(names):
            group = f["scenarios"][name]
            stacked = isinstance(group.get("series"), h5py.Dataset)  # schema 3
            if stacked:
                metrics = text(group.attrs.get("metrics", "")).split(",")
            else:
                metrics = list(group["series"].keys()) if "series" in group else []
            if args.metric not in metrics:
                fail(f"no metric '{args.metric}' in scenario '{name}'; available: "
                     f"{', '.join(metrics) or '(none)'}")
            series = (group["series"][metrics.index(args.metric)] if stacked
                      else group["series"][args.metric])
            mean = series["mean"][()]
            x = np.arange(mean.size)  # index 0: after seeding, before the first step
            units.add(step_unit(text(group.attrs.get("config_toml", ""))))
            color = f"C{index % 10}"
            label = name if len(names) > 1 else "mean"
            replications = int(group.attrs.get("replications", 0))
            axes.fill_between(x, series["p05"][()], series["p95"][()], color=color, alpha=0.18,
                              linewidth=0, label=f"{name}: 5–95% of replications"
                              if len(names) > 1 else "5–95% of replications")
            axes.fill_between(x, series["ci95_lo"][()], series["ci95_hi"][()], color=color,
                              alpha=0.45, linewidth=0, label=f"{name}: 95% CI of the mean"
                              if len(names) > 1 else "95% CI of the mean")
            axes.plot(x, mean, color=color, linewidth=2,
                      label=f"{label} ({replications} replications)" if replications else label)

        units.discard(None)
        unit = units.pop() if len(units) == 1 else None
        axes.set_xlabel(f"{unit} (0 = after seeding)" if unit else "step (0 = after seeding)")
        axes.set_ylabel(args.metric.replace("_", " "))
        axes.set_title(f"{args.metric} — {os.path.basename(args.results)}")
        axes.set_xlim(left=0)
        axes.xaxis.set_major_locator(plt.matplotlib.ticker.MaxNLocator(integer=True))
        axes.grid(True, alpha=0.3)
        axes.legend(loc="best", fontsize="small")
        figure.tight_layout()
        try:
            figure.savefig(args.output, dpi=150)
        except OSError as error:
            fail(f"cannot write '{args.output}': {error.strerror or error}")
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
