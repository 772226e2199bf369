#!/usr/bin/env python3
"""Plot a campaign-sim results file: the mean of a metric per step, the band where 90% of
replications fall (p05-p95), and the 95% confidence interval of the mean, per scenario.

    python3 scripts/plot_run.py results.h5 -o adoption.png [--metric total_adopted] [--scenario NAME]
    python3 scripts/plot_run.py sweep.h5 -o series.png --metric customers [--variant SPEC]...

On a sweep's file (one written by `campaign-sim sweep`, with /sweep) each variant is
labelled by its varied values, `transmission=0.06, mean_degree=8` (a key's last part, or
the whole key where two would read the same), and --variant picks variants (repeatable):
by id (`3`), by name (`word_of_mouth@diffusion.transmission=0.06@graph.mean_degree=8`),
by label (`transmission=0.06, mean_degree=8`), or by some of the values
(`mean_degree=8`: every variant with that value). Up to 3 variants get both bands, up to 8
the confidence band only, more just their means; the legend, ordered as the lines end,
sits to the right of the plot. Beyond 20 variants there is no legend: the lines are
coloured by the first varied number, with a colour bar (pick some with --variant).
Run files are drawn as before.

Reads the layout of docs/hdf5-layout.md, schemas 1 to 4 (a metric's series is a group of
vectors in 1, a table of its own in 2, a row of the stacked `series` tables in 3 and 4). Needs
h5py, numpy and matplotlib: Debian's python3-h5py, python3-numpy and python3-matplotlib.
When another python3 comes first on PATH and lacks them, the script runs itself again
with /usr/bin/python3.
"""

import argparse
import math
import os
import re
import sys

from plot_common import fail as plot_common_fail, import_plotting
from plot_common import ACRONYMS, format_levels, metric_label, save_figure, short_keys, text

PROG = "plot_run.py"


def fail(message, code=1):
    plot_common_fail(PROG, message, code)


def import_libraries():
    h5py, numpy, pyplot, _ = import_plotting(PROG, __file__)
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


FIXED_COLUMNS = ("id", "name", "replications", "status", "target_reached", "content_key")
MAX_BOTH_BANDS = 3      # sweep variants drawn with both bands
MAX_CI_BANDS = 8        # ... with the confidence band only; beyond, the means only
MAX_LEGEND = 20         # ... beyond, no legend


class Variant:
    """A sweep's variant: id, name, status, its varied values {key: value} and a label."""

    def __init__(self, id_, name, status, values):
        self.id, self.name, self.status, self.values = id_, name, status, values
        self.label = name


def sweep_variants(f):
    """The variants of a sweep's file, in design order, labelled by their varied values;
    None for a run's file."""
    if "sweep" not in f:
        return None
    variants = []
    if "design" in f["sweep"]:
        design = f["sweep/design"][()]
        keys = [n for n in design.dtype.names if n not in FIXED_COLUMNS]
        for row in design:
            values = {k: (text(row[k]) if isinstance(row[k], (bytes, str)) else row[k].item())
                      for k in keys}
            variants.append(Variant(int(row["id"]), text(row["name"]), text(row["status"]), values))
    else:  # no design table: the names' "@key=value" parts
        for index, name in enumerate(f["scenarios"].keys()):
            values = dict(part.split("=", 1) for part in name.split("@")[1:] if "=" in part)
            variants.append(Variant(index, name, "done", values))
        keys = list(variants[0].values) if variants else []
    shorts = dict(zip(keys, short_keys(keys)))
    for key in keys:  # each key's values written with the digits that tell them apart
        distinct = sorted({v.values.get(key) for v in variants if key in v.values},
                          key=lambda value: (isinstance(value, str), value))
        numbers = all(isinstance(value, (int, float)) for value in distinct)
        written = dict(zip(distinct, format_levels(distinct, group_from=10**15) if numbers
                           else distinct))
        for v in variants:
            v.written = getattr(v, "written", {})
            if key in v.values:
                v.written[key] = written[v.values[key]]
    for v in variants:
        if keys:
            v.label = ", ".join(f"{shorts[k]}={v.written[k]}" for k in keys if k in v.written)
        v.shorts = shorts
    return variants


def same_value(wanted, value, written):
    if wanted == written or wanted == str(value):
        return True
    if isinstance(value, (int, float)):
        try:
            return math.isclose(float(wanted), float(value), rel_tol=1e-6, abs_tol=1e-12)
        except ValueError:
            return False
    return False


def pick_variants(spec, variants):
    """The variants a --variant SPEC names: an id, a name, a label, the part after '@', or
    some KEY=VALUE pairs (a key's full or short name; separated by ',' or '@')."""
    compact = re.sub(r"\s+", "", spec)
    for v in variants:
        if spec == v.name or compact == re.sub(r"\s+", "", v.label) or \
                ("@" in v.name and spec.lstrip("@") == v.name.split("@", 1)[1]):
            return [v]
    if re.fullmatch(r"\d+", spec):
        return [v for v in variants if v.id == int(spec)]
    pairs = [part.strip().split("=", 1) for part in re.split(r"[,@]", spec) if part.strip()]
    if not pairs or any(len(pair) != 2 for pair in pairs):
        return []
    chosen = []
    for v in variants:
        by_name = {**{k: k for k in v.values}, **{s: k for k, s in v.shorts.items()}}
        if all(k.strip() in by_name and same_value(value.strip(), v.values[by_name[k.strip()]],
                                                   v.written[by_name[k.strip()]])
               for k, value in pairs):
            chosen.append(v)
    return chosen


def failure_message(f, variant):
    if "sweep" in f and "failures" in f["sweep"]:
        for row in f["sweep/failures"][()]:
            if int(row["id"]) == variant.id:
                return text(row["message"])
    return "see /sweep/failures"


def main():
    parser = argparse.ArgumentParser(prog=PROG,
                                     description=__doc__.split("\n\n")[0].replace("\n", " "))
    parser.add_argument("results", help="results file written by campaign-sim run (HDF5)")
    parser.add_argument("-o", "--output", required=True, help="image to write (.png, .svg, .pdf)")
    parser.add_argument("--metric", default="total_adopted", help="metric to plot (default: %(default)s)")
    parser.add_argument("--scenario", help="only this scenario (default: every scenario in the file)")
    parser.add_argument("--variant", action="append", default=[], metavar="SPEC",
                        help="only these variants (repeatable): an id, a name, a label such as "
                        "'transmission=0.06, mean_degree=8', or some KEY=VALUE pairs")
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
        variants = sweep_variants(f)
        sweep = {v.name: v for v in variants} if variants is not None else None
        if args.variant:
            if variants is None:  # a run's file: its scenarios by name or position
                variants = [Variant(i, n, "done", {}) for i, n in enumerate(available)]
                for v in variants:
                    v.shorts, v.written = {}, {}
            chosen = []
            for spec in args.variant:
                picked = pick_variants(spec, variants)
                if not picked:
                    named = [p.split("=", 1)[0].strip() for p in re.split(r"[,@]", spec) if "=" in p]
                    keys = list(variants[0].values) if variants else []
                    known = set(keys) | set(variants[0].shorts.values() if variants else [])
                    unknown = [k for k in named if k not in known]
                    if unknown and keys and not any(spec == v.name for v in variants):
                        fail(f"--variant '{spec}': '{unknown[0]}' is not a varied key; varied "
                             f"keys: {', '.join(keys)}")
                    listing = [f"{v.id} ({v.label})" if v.label != v.name else f"{v.id} {v.name}"
                               for v in variants]
                    more = f", … ({len(listing)} in all)" if len(listing) > 8 else ""
                    fail(f"no variant '{spec}' in '{args.results}'; variants: "
                         f"{', '.join(listing[:8]) or '(none)'}{more}")
                done = [v for v in picked if v.name in available]
                if not done:
                    fail(f"variant '{spec}' ({picked[0].name}) did not finish: "
                         f"{failure_message(f, picked[0])}")
                chosen += [v.name for v in done if v.name not in chosen]
            names = [n for n in chosen if args.scenario is None or n == args.scenario]
        if not names:
            fail(f"'{args.results}' holds no scenarios")
        if sweep:
            plot_sweep_series(f, args, names, sweep, h5py, np, plt)
            return 0

        figure, axes = plt.subplots(figsize=(9, 5.5))
        units = set()
        for index, name in enumerate(names):
            group = f["scenarios"][name]
            stacked = isinstance(group.get("series"), h5py.Dataset)  # schemas 3 and 4
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
        axes.set_ylabel(metric_label(args.metric, unit))
        axes.set_title(f"{args.metric} — {os.path.basename(args.results)}")
        axes.set_xlim(left=0)
        axes.xaxis.set_major_locator(plt.matplotlib.ticker.MaxNLocator(integer=True))
        axes.grid(True, alpha=0.3)
        axes.legend(loc="best", fontsize="small")
        figure.tight_layout()
        save_figure(PROG, figure, args.output)
    return 0


def metric_series(group, metric, name, h5py):
    """A scenario's series table of one metric (schemas 1 to 4), or a one-line error."""
    stacked = isinstance(group.get("series"), h5py.Dataset)  # schemas 3 and 4
    if stacked:
        metrics = text(group.attrs.get("metrics", "")).split(",")
    else:
        metrics = list(group["series"].keys()) if "series" in group else []
    if metric not in metrics:
        fail(f"no metric '{metric}' in scenario '{name}'; available: "
             f"{', '.join(metrics) or '(none)'}")
    return group["series"][metrics.index(metric)] if stacked else group["series"][metric]


def plot_sweep_series(f, args, names, sweep, h5py, np, plt):
    """A sweep's variants over time: a line per variant, labelled by its varied values,
    with fewer bands as there are more variants, the legend outside the plot. Beyond 20
    variants the lines are coloured by the first varied number, with a colour bar."""
    mpl = plt.matplotlib
    count = len(names)
    both_bands, ci_band = count <= MAX_BOTH_BANDS, count <= MAX_CI_BANDS
    chosen = [sweep[name] for name in names]
    colour_key = None
    if count > MAX_LEGEND:
        colour_key = next((k for k in chosen[0].values
                           if all(isinstance(v.values.get(k), (int, float)) for v in chosen)), None)
    if colour_key is not None:
        values = np.array([float(v.values[colour_key]) for v in chosen])
        positive = values.min() > 0 and values.max() / values.min() >= 20
        norm = (mpl.colors.LogNorm if positive else mpl.colors.Normalize)(
            vmin=values.min(), vmax=values.max() if values.max() > values.min() else values.min() + 1)
        cmap = mpl.colors.LinearSegmentedColormap.from_list(
            "viridis_dark", [plt.get_cmap("viridis")(0.05 + 0.8 * i / 63) for i in range(64)])
        colors = [cmap(norm(value)) for value in values]
    elif count <= 10:
        colors = [f"C{i}" for i in range(count)]
    else:
        cmap = plt.get_cmap("viridis")
        colors = [cmap(0.9 * i / (count - 1)) for i in range(count)]
    figure, axes = plt.subplots(figsize=(10, 5.6), layout="constrained")
    units, replications, steps, ends = set(), set(), set(), []
    base = None
    for name, color in zip(names, colors):
        group = f["scenarios"][name]
        series = metric_series(group, args.metric, name, h5py)
        mean = series["mean"][()]
        x = np.arange(mean.size)  # index 0: after seeding, before the first step
        config = text(group.attrs.get("config_toml", ""))
        units.add(step_unit(config))
        replications.add(int(group.attrs.get("replications", 0)))
        steps.add(mean.size - 1)
        ends.append(mean[-1])
        base = base or name.split("@", 1)[0]
        if both_bands:
            axes.fill_between(x, series["p05"][()], series["p95"][()], color=color, alpha=0.12,
                              linewidth=0)
        if ci_band:
            axes.fill_between(x, series["ci95_lo"][()], series["ci95_hi"][()], color=color,
                              alpha=0.35 if both_bands else 0.22, linewidth=0)
        axes.plot(x, mean, color=color, linewidth=1.8 if count <= MAX_CI_BANDS else 1.2,
                  label=sweep[name].label)
    units.discard(None)
    unit = units.pop() if len(units) == 1 else None
    axes.set_xlabel(f"{unit} (0 = after seeding)" if unit else "step (0 = after seeding)")
    axes.set_ylabel(metric_label(args.metric, unit))
    axes.set_xlim(0, max(steps))
    axes.xaxis.set_major_locator(mpl.ticker.MaxNLocator(integer=True))
    axes.yaxis.set_major_formatter(mpl.ticker.FuncFormatter(
        lambda v, _: (f"{v:,.0f}" if abs(v) >= 1000 else f"{v:.6g}").replace("-", "−")))
    axes.grid(True, alpha=0.3)
    lo, hi = axes.get_ylim()
    if lo < 0 < hi:
        axes.axhline(0, color="0.45", linewidth=0.9, zorder=1)
    what = ("line: mean; dark band: 95% CI of the mean; light band: 5–95% of replications"
            if both_bands else "line: mean; band: 95% CI of the mean" if ci_band
            else "line: mean")
    reps = (f"{replications.pop()} replications" if len(replications) == 1
            else f"{min(replications)}–{max(replications)} replications")
    total = len(sweep)
    shown = f"{count} of {total} variants" if count < total else f"{count} variants"
    notes = [what, f"{shown} × {reps}"]
    if count > MAX_LEGEND:
        notes.append("pick some with --variant for a legend")
    axes.set_title(" · ".join(notes), fontsize=9, color="0.3", loc="left")
    metric_name = ACRONYMS.get(args.metric, args.metric.replace("_", " "))
    figure.suptitle(f"{base}: {metric_name} by {unit or 'step'}, per variant — "
                    f"{os.path.basename(args.results)}", fontsize=13, x=0.01,
                    horizontalalignment="left")
    if count <= MAX_LEGEND:
        # Top to bottom as the lines end at the right.
        handles, labels = axes.get_legend_handles_labels()
        order = sorted(range(len(handles)), key=lambda i: -ends[i] if np.isfinite(ends[i]) else 0)
        axes.legend([handles[i] for i in order], [labels[i] for i in order], loc="upper left",
                    bbox_to_anchor=(1.01, 1.0), borderaxespad=0.0, frameon=False,
                    fontsize="small" if count <= 12 else "x-small", title="variant",
                    title_fontsize="small", alignment="left")
    elif colour_key is not None:
        bar = figure.colorbar(mpl.cm.ScalarMappable(norm=norm, cmap=cmap), ax=axes, pad=0.02,
                              fraction=0.05)
        bar.set_label(f"line colour: {colour_key}")
        if isinstance(norm, mpl.colors.LogNorm):
            bar.ax.yaxis.set_major_locator(mpl.ticker.LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
        bar.ax.yaxis.set_major_formatter(mpl.ticker.FuncFormatter(
            lambda v, _: f"{v:,.0f}" if abs(v) >= 1000 else f"{v:.6g}"))
        bar.ax.yaxis.set_minor_formatter(mpl.ticker.NullFormatter())
    save_figure(PROG, figure, args.output)


if __name__ == "__main__":
    sys.exit(main())
