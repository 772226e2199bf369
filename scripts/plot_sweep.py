#!/usr/bin/env python3
"""Plot a campaign-sim sweep: a metric's final mean, with its 95% confidence interval,
against one varied key (--x), one line or colour per value of a second key (--by), or a
heat map over the two.

    scripts/plot_sweep.py OUT.h5 --metric profit [--x KEY] [--by KEY] [--heatmap | --lines]
                          [--where KEY=VALUE]... [--xscale auto|linear|log] [-o FILE.png]

Reads /sweep/table of a file written by `campaign-sim sweep` (docs/experiments.md): a row
per variant, a column per varied key, `<metric>_mean` and `_ci95_lo`/`_ci95_hi` per final
metric. Only finished variants are drawn; the figure says how many failed. What it draws:

  lines    (a grid: every value of --by has one variant at each value of --x, and no
           other key varies) the mean against x with the 95% CI as a band, a line per
           --by value, in the order of a colour scale when --by is a number (a colour bar
           instead of a legend beyond 8 lines); a text --x gives points with error bars.
  scatter  (a sampled design, lhs/sobol/random, or a grid where a third key varies too) a
           point per variant with its 95% CI as an error bar, coloured by --by: lines would
           join variants that differ in more than x. Fix the other keys with --where.
  heatmap  (--heatmap, or by default for a numeric grid of at least 4 x 9 values, where
           lines would be too many to tell apart) a cell per (x, by) with its mean written
           in it (and the CI half-width when the cells are large enough); a diverging
           colour scale centred on 0 when the means take both signs (profit, ROI). For a
           sampled design the heat map is a scatter over (x, by) coloured by the mean.
           --lines asks for lines instead of the default heat map.

Defaults: --x is the first varied key (the first --vary), --by the next varied key that
still varies (after --where). A key varied on a log scale (lo:hi:n:log or lo:hi:log in
the design; or, without that record, levels evenly spaced in log) gets a log axis; grid
levels are the ticks, written in plain numbers. The y axis is the metric with its unit
(people, leads, currency, currency per customer, ...); keys carry their unit from
docs/scenario-reference.md. -o defaults to OUT_<metric>.png next to OUT.h5.

Needs h5py, numpy and matplotlib (Debian's python3-h5py, python3-numpy,
python3-matplotlib); when another python3 comes first on PATH and lacks them, the script
runs itself again with /usr/bin/python3.
"""

import argparse
import math
import os
import sys

from plot_common import fail as plot_common_fail, import_plotting
from plot_common import text
from plot_common import (ACRONYMS, format_compact, format_levels, format_number, key_label, key_units,
                         metric_label, metric_unit, parse_toml, save_figure, toml_value)

PROG = "plot_sweep.py"

FIXED_COLUMNS = ("id", "name", "replications", "status", "target_reached", "content_key")
STATISTICS = ("_mean", "_sd", "_ci95_lo", "_ci95_hi")
MAX_LEGEND_LINES = 8       # beyond: a colour bar (numeric --by) instead of a legend
HEATMAP_MIN_X = 4          # the default heat map: a numeric grid with at least 4 x values
HEATMAP_MIN_BY = 9         # ... and at least 9 values of --by (more lines than a legend holds)


def fail(message, code=1):
    plot_common_fail(PROG, message, code)


def import_libraries():
    return import_plotting(PROG, __file__)


class Sweep:
    """What the plot needs from a sweep file: the table, the varied keys and their kinds,
    which keys are log-spaced, the scenario's name and step unit, the failures."""

    def __init__(self, f, path, np):
        if text(f.attrs.get("file_type", "")) != "campaign-sim results" or "scenarios" not in f:
            fail(f"'{path}' is not a campaign-sim results file")
        if "sweep" not in f or "table" not in f["sweep"]:
            fail(f"'{path}' is not a sweep file (it has no /sweep table; "
                 "plot a run's file with plot_run.py)")
        self.table = f["sweep/table"][()]
        names = self.table.dtype.names
        self.metrics = [n[:-len("_mean")] for n in names if n.endswith("_mean")]
        stat_columns = {m + s for m in self.metrics for s in STATISTICS}
        self.keys = [n for n in names if n not in FIXED_COLUMNS and n not in stat_columns]
        manifest = text(f["sweep"].attrs.get("manifest", ""))
        parsed = parse_toml(manifest) or {}
        self.design = str(parsed.get("design", "")) or self._design_line(manifest)
        self.design_kind = self.design.split()[0] if self.design else "grid"
        self.log_keys = {token.split("=", 1)[0] for token in self.design.split()
                         if "=" in token and token.endswith(":log")}
        scenario = str(parsed.get("scenario", ""))
        self.status = np.array([text(s) for s in self.table["status"]])
        self.done = self.status == "done"
        self.failed = int(np.count_nonzero(self.status == "failed"))
        first_name = text(self.table["name"][0]) if len(self.table) else ""
        self.name = (toml_value(scenario, "run", "name") if scenario else None) \
            or first_name.split("@", 1)[0] or os.path.splitext(os.path.basename(path))[0]
        self.step_unit = toml_value(scenario, "run", "step_unit") if scenario else None
        self.steps = toml_value(scenario, "run", "steps") if scenario else None
        if self.step_unit is None or self.steps is None:  # from a variant's own scenario
            for group in f["scenarios"].values():
                config = text(group.attrs.get("config_toml", ""))
                self.step_unit = self.step_unit or toml_value(config, "run", "step_unit")
                self.steps = self.steps or group.attrs.get("steps")
                break
        self.columns = {}
        for key in self.keys:
            column = self.table[key]
            if column.dtype.kind in "fiub":
                self.columns[key] = column.astype(float)
            else:
                self.columns[key] = np.array([text(v) for v in column], dtype=object)

    @staticmethod
    def _design_line(manifest):
        for line in manifest.splitlines():
            if line.startswith("design"):
                return line.split("=", 1)[1].strip().strip("'\"")
        return ""

    def numeric(self, key):
        return self.columns[key].dtype != object


def levels_of(values, np):
    """Distinct values: ascending numbers, or texts in their design order."""
    if values.dtype != object:
        return np.unique(values[np.isfinite(values)])
    seen = []
    for v in values:
        if v not in seen:
            seen.append(v)
    return np.array(seen, dtype=object)


def log_spaced(levels, np):
    """Evenly spaced in log and not in linear: 100, 200, 400, 800 (at least 3 positive levels
    spanning a factor of 8)."""
    if len(levels) < 3 or levels.min() <= 0 or levels.max() / levels.min() < 8:
        return False
    log_gaps, gaps = np.diff(np.log(levels)), np.diff(levels)
    return np.ptp(log_gaps) <= 0.05 * log_gaps.mean() and np.ptp(gaps) > 0.2 * gaps.mean()


def apply_where(sweep, rows, clauses, np):
    """Keep the rows whose key equals the value of each KEY=VALUE clause."""
    for clause in clauses:
        key, sep, wanted = clause.partition("=")
        key, wanted = key.strip(), wanted.strip()
        if not sep or not key:
            fail(f"--where '{clause}': expected KEY=VALUE")
        if key not in sweep.keys:
            fail(f"--where: no varied key '{key}'; varied keys: {', '.join(sweep.keys)}")
        column = sweep.columns[key]
        levels = levels_of(column[rows], np)
        labels = format_levels(levels) if sweep.numeric(key) else list(levels)
        match = None
        for level, label in zip(levels, labels):
            if label == wanted or text(level) == wanted:
                match = level
            elif sweep.numeric(key):
                try:
                    value = float(wanted)
                except ValueError:
                    continue
                if math.isclose(value, level, rel_tol=1e-6, abs_tol=1e-12):
                    match = level
        if match is None:
            fail(f"--where: {key} has no value '{wanted}'; its values: {', '.join(labels)}")
        rows = rows & (column == match)
    return rows


def number_formatter(plt):
    """Tick labels in plain numbers with thousands separators: 2,000 not 2000 or 2e3."""
    def label(value, _position):
        if value == 0:
            return "0"
        if abs(value) >= 1000:
            return f"{value:,.0f}".replace("-", "−")
        return f"{value:.6g}".replace("-", "−")
    return plt.matplotlib.ticker.FuncFormatter(label)


def set_x_axis(axes, figure, plt, np, levels, log, label, grid, extra=0.0):
    """Log or linear x axis; grid levels as the ticks where they fit, else plain numbers.
    extra: room beyond the first and last level (in log units on a log axis)."""
    ticker = plt.matplotlib.ticker
    if log:
        axes.set_xscale("log")
    lo, hi = float(levels.min()), float(levels.max())
    if lo == hi:
        lo, hi = (lo * 0.9, hi * 1.1) if lo else (-1.0, 1.0)
    if log:
        pad = (math.log(hi) - math.log(lo)) * 0.04 + extra
        axes.set_xlim(math.exp(math.log(lo) - pad), math.exp(math.log(hi) + pad))
    else:
        pad = (hi - lo) * 0.04 + extra
        axes.set_xlim(lo - pad, hi + pad)
    axes.set_xlabel(label)
    labels = format_levels(levels)
    if grid and len(levels) <= 15:
        # Do the levels' labels fit side by side? Compare their gaps on the axis with the
        # width of the labels (about 0.6 em per character).
        position = np.log(levels) if log else levels.astype(float)
        left, right = axes.get_xlim()
        span = (math.log(right) - math.log(left)) if log else (right - left)
        width_in = axes.get_position().width * figure.get_figwidth()
        gaps_in = np.diff(position) / span * width_in if len(levels) > 1 else np.array([width_in])
        font_in = plt.rcParams["xtick.labelsize"]
        font_pt = font_in if isinstance(font_in, (int, float)) else 9.0
        needed = np.array([max(len(a), len(b)) for a, b in zip(labels, labels[1:])] or [0])
        needed_in = (needed * 0.6 * font_pt + 6) / 72
        if np.all(gaps_in >= needed_in):
            axes.xaxis.set_major_locator(ticker.FixedLocator(levels))
            axes.xaxis.set_major_formatter(ticker.FixedFormatter(labels))
            axes.xaxis.set_minor_locator(ticker.NullLocator())
            return
    if log:
        axes.xaxis.set_major_locator(ticker.LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
        axes.xaxis.set_minor_locator(ticker.LogLocator(base=10, subs=np.arange(2, 10) * 1.0))
        axes.xaxis.set_minor_formatter(ticker.NullFormatter())
    axes.xaxis.set_major_formatter(number_formatter(plt))


def sequential_colors(plt, count):
    """Colours for ordered values: viridis without its pale yellow end."""
    cmap = plt.get_cmap("viridis")
    if count == 1:
        return [cmap(0.35)]
    return [cmap(0.05 + 0.8 * i / (count - 1)) for i in range(count)]


def legend_order(groups, mean, xs, by_numeric, np):
    """The legend's entries top to bottom as the lines end at the right: by their mean at
    the largest x (a number key keeps its order, reversed when larger values end higher)."""
    ends = []
    for _, members in groups:
        idx = np.flatnonzero(members)
        ends.append(mean[idx[np.argmax(xs[idx])]] if xs.dtype != object else mean[idx].mean())
    order = list(range(len(groups)))
    if by_numeric:
        return order[::-1] if all(a < b for a, b in zip(ends, ends[1:])) else order
    return sorted(order, key=lambda i: -ends[i])


def legend_outside(axes, title, order=None):
    """A legend to the right of the axes: it never covers the data."""
    handles, labels = axes.get_legend_handles_labels()
    if order is not None and len(order) == len(handles):
        handles, labels = [handles[i] for i in order], [labels[i] for i in order]
    axes.legend(handles, labels, title=title, loc="upper left", bbox_to_anchor=(1.01, 1.0),
                borderaxespad=0.0, frameon=False, fontsize="small", title_fontsize="small",
                alignment="left")


def value_bar(bar, norm, label, plt, mpl, np):
    """The metric's colour bar: labelled with its unit, plain numbers, and with a diverging
    scale ticks on both halves (each half of the bar is one sign)."""
    bar.set_label(label)
    if isinstance(norm, mpl.colors.TwoSlopeNorm):
        locator = mpl.ticker.MaxNLocator(nbins=4)
        below = [t for t in locator.tick_values(norm.vmin, 0.0) if norm.vmin <= t < 0]
        above = [t for t in locator.tick_values(0.0, norm.vmax) if 0 < t <= norm.vmax]
        bar.set_ticks(below + [0.0] + above)
    elif isinstance(norm, mpl.colors.LogNorm):
        bar.set_label(f"{label}, log scale")
        bar.ax.yaxis.set_major_locator(mpl.ticker.LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
    bar.ax.yaxis.set_major_formatter(number_formatter(plt))
    bar.ax.yaxis.set_minor_locator(mpl.ticker.NullLocator())


def zero_line(axes, np, values):
    values = values[np.isfinite(values)]
    if values.size and values.min() < 0 < values.max():
        axes.axhline(0, color="0.45", linewidth=0.9, zorder=1)


def main():
    parser = argparse.ArgumentParser(prog=PROG, description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("results", help="results file written by campaign-sim sweep (HDF5)")
    parser.add_argument("--metric", required=True, help="final metric to plot (a column "
                        "<metric>_mean of /sweep/table, e.g. customers, profit, cac)")
    parser.add_argument("--x", help="varied key on the x axis (default: the first varied key)")
    parser.add_argument("--by", help="varied key for lines or colours (default: the next one)")
    kind = parser.add_mutually_exclusive_group()
    kind.add_argument("--heatmap", action="store_true", help="a heat map over --x and --by")
    kind.add_argument("--lines", action="store_true",
                      help="lines even where a heat map is the default")
    parser.add_argument("--where", action="append", default=[], metavar="KEY=VALUE",
                        help="only the variants with this value of a key (repeatable)")
    parser.add_argument("--xscale", choices=("auto", "linear", "log"), default="auto",
                        help="x axis scale (default: log for a key varied on a log scale)")
    parser.add_argument("-o", "--output", help="image to write (.png, .svg, .pdf; "
                        "default: OUT_<metric>.png next to OUT.h5)")
    args = parser.parse_args()

    if not os.path.isfile(args.results):
        fail(f"no such file: '{args.results}'")
    h5py, np, plt, mpl = import_libraries()
    try:
        f = h5py.File(args.results, "r")
    except OSError as error:
        fail(f"cannot open '{args.results}' as HDF5: {error}")
    with f:
        sweep = Sweep(f, args.results, np)
    table = sweep.table

    if not sweep.metrics:
        fail(f"'{args.results}' has an empty sweep table")
    if args.metric not in sweep.metrics:
        fail(f"no metric '{args.metric}' in the sweep table of '{args.results}'; available: "
             f"{', '.join(sweep.metrics)}")
    for option, key in (("--x", args.x), ("--by", args.by)):
        if key is not None and key not in sweep.keys:
            fail(f"{option} '{key}' is not a varied key of this sweep; varied keys: "
                 f"{', '.join(sweep.keys) or '(none)'}")
    if not sweep.keys:
        fail(f"'{args.results}' varies no key")
    if not sweep.done.any():
        fail(f"no variant of '{args.results}' finished ({sweep.failed} failed; "
             "see /sweep/failures)")

    rows = apply_where(sweep, sweep.done.copy(), args.where, np)
    if not rows.any():
        fail("no finished variant matches the --where values")

    def varies(key):
        return len(levels_of(sweep.columns[key][rows], np)) > 1

    x_key = args.x
    if x_key is None:
        candidates = [k for k in sweep.keys if k != args.by]
        x_key = next((k for k in candidates if varies(k)), candidates[0] if candidates else None)
        if x_key is None:
            fail(f"--by '{args.by}' is the only varied key: nothing left for --x")
    by_key = args.by
    if by_key is not None and by_key == x_key:
        fail(f"--by must differ from --x (both are '{x_key}')")
    if by_key is None:
        by_key = next((k for k in sweep.keys if k != x_key and varies(k)), None)
    if args.heatmap and by_key is None:
        fail(f"--heatmap needs a second varied key (--by); only '{x_key}' varies")
    others = [k for k in sweep.keys if k not in (x_key, by_key) and varies(k)]

    mean = table[f"{args.metric}_mean"].astype(float)
    lo = table[f"{args.metric}_ci95_lo"].astype(float)
    hi = table[f"{args.metric}_ci95_hi"].astype(float)
    no_value = int(np.count_nonzero(rows & ~np.isfinite(mean)))
    rows = rows & np.isfinite(mean)
    if not rows.any():
        fail(f"metric '{args.metric}' has no value (NaN) in every finished variant shown")
    # A CI that is NaN (one replication) is drawn as no interval.
    lo = np.where(np.isfinite(lo), lo, mean)
    hi = np.where(np.isfinite(hi), hi, mean)

    xs = sweep.columns[x_key]
    bys = sweep.columns[by_key] if by_key else None
    x_numeric = sweep.numeric(x_key)
    by_numeric = by_key is not None and sweep.numeric(by_key)
    x_levels = levels_of(xs[rows], np)
    by_levels = levels_of(bys[rows], np) if by_key else None

    # A grid: each (x, by) cell holds one variant, and no other key varies.
    cells = {}
    for i in np.flatnonzero(rows):
        cells.setdefault((xs[i], bys[i] if by_key else None), []).append(i)
    # Points drawn from ranges (or read from a file) rather than a grid's levels.
    sampled = sweep.design_kind != "grid"
    full_cross = len(cells) == len(x_levels) * (len(by_levels) if by_key else 1)
    grid = not others and all(len(v) == 1 for v in cells.values()) and (not sampled or full_cross)

    def is_log(key, levels):
        if key is None or not sweep.numeric(key) or levels.min() <= 0:
            return False
        return key in sweep.log_keys or log_spaced(levels, np)

    x_log = {"log": True, "linear": False}.get(args.xscale, is_log(x_key, x_levels) if x_numeric
                                                else False)
    if x_log and (not x_numeric or x_levels.min() <= 0):
        fail(f"--xscale log: '{x_key}' has values that are not positive numbers")

    if args.heatmap:
        mode = "heatmap"
    elif (not args.lines and grid and x_numeric and by_numeric
          and len(x_levels) >= HEATMAP_MIN_X and len(by_levels) >= HEATMAP_MIN_BY):
        mode = "heatmap"
    elif by_key is None or grid:
        mode = "lines" if x_numeric else "points"
    else:
        mode = "scatter" if x_numeric else "points"
    if mode == "heatmap" and not grid:
        if not sampled:
            fail(f"--heatmap: {', '.join(others)} also varies, so a cell would hold several "
                 f"variants; pick one value with --where {others[0]}=VALUE")
        if not (x_numeric and by_numeric):
            fail(f"--heatmap over a {sweep.design_kind} design needs two numeric keys "
                 "(it colours each variant's point by the metric)")
        mode = "heatmap-scatter"

    units = key_units(os.path.dirname(os.path.abspath(__file__)))
    step_unit = sweep.step_unit
    y_label = metric_label(args.metric, step_unit)
    x_label = key_label(x_key, units, step_unit)
    by_label = key_label(by_key, units, step_unit) if by_key else None
    reps = table["replications"][rows]

    figure, axes = plt.subplots(figsize=(9.5, 5.6), layout="constrained")
    ticker = mpl.ticker

    if mode in ("heatmap", "heatmap-scatter"):
        values = mean[rows]
        vmin, vmax = float(values.min()), float(values.max())
        if vmin < 0 < vmax:
            # Red losses, blue gains, white at 0; neither side shorter than a quarter of
            # the other, so a small loss is not painted as deep as the largest gain.
            cmap = plt.get_cmap("RdBu").copy()
            norm = mpl.colors.TwoSlopeNorm(vcenter=0.0, vmin=min(vmin, -0.25 * vmax),
                                           vmax=max(vmax, -0.25 * vmin))
        elif vmin > 0 and vmax / vmin >= 100:
            # Over two orders of magnitude a linear scale paints all but the top alike.
            cmap = plt.get_cmap("viridis").copy()
            norm = mpl.colors.LogNorm(vmin=vmin, vmax=vmax)
        else:
            cmap = plt.get_cmap("viridis").copy()
            norm = mpl.colors.Normalize(vmin=vmin, vmax=vmax if vmax > vmin else vmin + 1)
        cmap.set_bad("#e4e4e4")
    if mode == "heatmap":
        # The cells of failed variants stay in the map, marked: a hole is a result too.
        shown = apply_where(sweep, np.ones(len(table), bool), args.where, np)
        failed_rows = shown & ~sweep.done
        x_levels = levels_of(xs[rows | failed_rows], np)
        by_levels = levels_of(bys[rows | failed_rows], np)
        matrix = np.full((len(by_levels), len(x_levels)), np.nan)
        half = np.full_like(matrix, np.nan)
        x_index = {v: i for i, v in enumerate(x_levels)}
        by_index = {v: i for i, v in enumerate(by_levels)}
        for (xv, bv), [i] in cells.items():
            matrix[by_index[bv], x_index[xv]] = mean[i]
            half[by_index[bv], x_index[xv]] = (hi[i] - lo[i]) / 2
        image = axes.imshow(np.ma.masked_invalid(matrix), origin="lower", aspect="auto",
                            cmap=cmap, norm=norm, interpolation="nearest")
        # Cells of failed variants (or missing from the design) say so.
        failed_cells = set()
        for i in np.flatnonzero(failed_rows):
            xv, bv = xs[i], bys[i]
            if xv in x_index and bv in by_index:
                failed_cells.add((by_index[bv], x_index[xv]))
        x_labels, by_labels = (format_levels(x_levels) if x_numeric else list(x_levels),
                               format_levels(by_levels) if by_numeric else list(by_levels))
        axes.set_xticks(range(len(x_levels)), x_labels)
        axes.set_yticks(range(len(by_levels)), by_labels)
        if max(len(s) for s in x_labels) * len(x_levels) > 70:
            axes.tick_params(axis="x", labelrotation=45)
            for label in axes.get_xticklabels():
                label.set_horizontalalignment("right")
                label.set_rotation_mode("anchor")
        axes.set_xlabel(x_label)
        axes.set_ylabel(by_label)
        figure.canvas.draw()  # the axes' size, for the annotations' size
        box = axes.get_window_extent()
        cell_w = box.width / len(x_levels) * 72 / figure.dpi   # points
        cell_h = box.height / len(by_levels) * 72 / figure.dpi
        annotate = cell_w >= 22 and cell_h >= 10
        with_ci = cell_h >= 26 and cell_w >= 34
        longest = max(len(format_compact(v)) for v in matrix[np.isfinite(matrix)]) + 1
        size = max(5.5, min(10.0, cell_w / (0.62 * longest), cell_h / (2.6 if with_ci else 1.5)))
        for r in range(matrix.shape[0]):
            for c in range(matrix.shape[1]):
                v = matrix[r, c]
                if not np.isfinite(v):
                    if (r, c) in failed_cells and annotate:
                        axes.text(c, r, "failed", ha="center", va="center", fontsize=size * 0.8,
                                  color="0.35", style="italic")
                    continue
                if not annotate:
                    continue
                red, green, blue, _ = cmap(norm(v))
                dark = 0.2126 * red + 0.7152 * green + 0.0722 * blue < 0.5
                color = "white" if dark else "black"
                if with_ci and np.isfinite(half[r, c]):
                    axes.annotate(format_compact(v), (c, r), xytext=(0, 1), ha="center",
                                  va="bottom", textcoords="offset points", fontsize=size,
                                  color=color)
                    axes.annotate("±" + format_compact(half[r, c]), (c, r), xytext=(0, -1),
                                  ha="center", va="top", textcoords="offset points",
                                  fontsize=size * 0.78, color=color, alpha=0.85)
                else:
                    axes.text(c, r, format_compact(v), ha="center", va="center",
                              fontsize=size, color=color)
        bar = figure.colorbar(image, ax=axes, pad=0.02, fraction=0.05)
        value_bar(bar, norm, y_label, plt, mpl, np)
        axes.tick_params(length=0)
        for spine in axes.spines.values():
            spine.set_visible(False)
        how = "cell: final mean" + (" ± 95% CI half-width" if with_ci else "")
    elif mode == "heatmap-scatter":
        xv, bv = xs[rows], bys[rows]
        points = axes.scatter(xv, bv, c=mean[rows], cmap=cmap, norm=norm, s=46,
                              edgecolors="0.25", linewidths=0.4, zorder=3)
        set_x_axis(axes, figure, plt, np, x_levels, x_log, x_label, grid=False)
        if is_log(by_key, by_levels):
            axes.set_yscale("log")
            axes.yaxis.set_major_locator(ticker.LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
            axes.yaxis.set_minor_formatter(ticker.NullFormatter())
        axes.yaxis.set_major_formatter(number_formatter(plt))
        axes.set_ylabel(by_label)
        bar = figure.colorbar(points, ax=axes, pad=0.02, fraction=0.05)
        value_bar(bar, norm, y_label, plt, mpl, np)
        axes.grid(True, alpha=0.25)
        how = "point: one variant, coloured by its final mean"
    else:
        groups = [(None, rows)] if by_key is None else \
            [(level, rows & (bys == level)) for level in by_levels]
        groups = [(level, g) for level, g in groups if g.any()]
        by_labels = (format_levels(by_levels) if by_numeric else list(by_levels)) if by_key \
            else [None]
        label_of = dict(zip(list(by_levels), by_labels)) if by_key else {None: None}
        colour_bar = by_key is not None and by_numeric and len(by_levels) > MAX_LEGEND_LINES
        if by_key is None:
            colors = ["C0"]
        elif by_numeric:
            colors = sequential_colors(plt, len(groups))
        else:
            colors = [f"C{i % 10}" for i in range(len(groups))]
        if colour_bar:  # continuous colours by value (log where the key is)
            by_norm = (mpl.colors.LogNorm if is_log(by_key, by_levels) else mpl.colors.Normalize)(
                vmin=float(by_levels.min()), vmax=float(by_levels.max()))
            by_cmap = mpl.colors.LinearSegmentedColormap.from_list(
                "viridis_dark", sequential_colors(plt, 64))
            colors = [by_cmap(by_norm(level)) for level, _ in groups]

        if mode == "points":  # text x: categories, dodged by group
            positions = {v: i for i, v in enumerate(x_levels)}
            width = 0.6
            for g, ((level, members), color) in enumerate(zip(groups, colors)):
                offset = (g - (len(groups) - 1) / 2) * (width / max(len(groups), 1)) \
                    if len(groups) > 1 else 0.0
                idx = np.flatnonzero(members)
                px = np.array([positions[xs[i]] for i in idx]) + offset
                axes.errorbar(px, mean[idx], yerr=[mean[idx] - lo[idx], hi[idx] - mean[idx]],
                              fmt="o", color=color, markersize=5, capsize=3, linewidth=1.2,
                              label=label_of[level])
            x_labels = format_levels(x_levels) if x_numeric else list(x_levels)
            axes.set_xticks(range(len(x_levels)), x_labels)
            axes.set_xlim(-0.6, len(x_levels) - 0.4)
            if max(len(s) for s in x_labels) * len(x_levels) > 70:
                axes.tick_params(axis="x", labelrotation=30)
            axes.set_xlabel(x_label)
            how = "point: final mean, bar: 95% CI"
        elif mode == "lines":
            for (level, members), color in zip(groups, colors):
                idx = np.flatnonzero(members)
                idx = idx[np.argsort(xs[idx], kind="stable")]
                label = label_of[level] if by_key else "mean"
                axes.fill_between(xs[idx], lo[idx], hi[idx], color=color, alpha=0.16,
                                  linewidth=0)
                axes.plot(xs[idx], mean[idx], color=color, linewidth=1.8,
                          marker="o" if len(idx) <= 25 else None, markersize=3.5, label=label)
            set_x_axis(axes, figure, plt, np, x_levels, x_log, x_label,
                       grid=not sampled or len(x_levels) <= 15)
            how = "line: final mean, band: 95% CI"
        else:  # scatter: one point per variant, its CI as a bar
            # On a grid's levels, the groups sit side by side around each level (a tenth
            # of the narrowest gap between levels, in log for a log axis).
            dodge = 0.0
            if not sampled and len(x_levels) > 1 and len(groups) > 1:
                gaps = np.diff(np.log(x_levels) if x_log else x_levels)
                dodge = 0.2 * gaps.min() / (len(groups) - 1)
            for g, ((level, members), color) in enumerate(zip(groups, colors)):
                idx = np.flatnonzero(members)
                shift = (g - (len(groups) - 1) / 2) * dodge
                px = xs[idx] * math.exp(shift) if x_log else xs[idx] + shift
                axes.errorbar(px, mean[idx], yerr=[mean[idx] - lo[idx], hi[idx] - mean[idx]],
                              fmt="o", color=color, ecolor=color, elinewidth=0.9, capsize=0,
                              markersize=4.5, alpha=0.85, label=label_of[level])
            set_x_axis(axes, figure, plt, np, x_levels, x_log, x_label, grid=not sampled,
                       extra=dodge * (len(groups) - 1) / 2)
            how = "point: one variant's final mean, bar: its 95% CI"
        if colour_bar:
            mappable = plt.cm.ScalarMappable(norm=by_norm, cmap=by_cmap)
            bar = figure.colorbar(mappable, ax=axes, pad=0.02, fraction=0.05)
            bar.set_label(by_label)
            if not isinstance(by_norm, mpl.colors.LogNorm):
                bar.ax.yaxis.set_major_formatter(number_formatter(plt))
            else:
                bar.ax.yaxis.set_major_locator(ticker.LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
                bar.ax.yaxis.set_minor_formatter(ticker.NullFormatter())
                bar.ax.yaxis.set_major_formatter(number_formatter(plt))
        elif by_key is not None:
            legend_outside(axes, by_label, legend_order(groups, mean, xs, by_numeric, np))
        axes.set_ylabel(y_label)
        axes.yaxis.set_major_formatter(number_formatter(plt))
        zero_line(axes, np, mean[rows])
        axes.grid(True, alpha=0.3)
        axes.set_axisbelow(True)

    # Title: the scenario and what is plotted; subtitle: what a mark means, the design,
    # the replications, and what is not shown.
    metric_name = ACRONYMS.get(args.metric, args.metric.replace("_", " "))
    if "run.steps" in sweep.keys and len(levels_of(sweep.columns["run.steps"][rows], np)) > 1:
        when = "at the end of the run"
    elif sweep.steps:
        when = f"after {format_number(sweep.steps)} {sweep.step_unit or 'step'}" + \
            ("s" if int(sweep.steps) != 1 else "")
    else:
        when = "at the end of the run"
    if metric_unit(args.metric).endswith("per step"):
        when = f"in the last {sweep.step_unit or 'step'}"
    figure.suptitle(f"{sweep.name}: {metric_name} {when}", fontsize=13, x=0.01,
                    horizontalalignment="left")
    variants = int(np.count_nonzero(rows))
    reps_text = (f"{int(reps.min())} replications" if reps.min() == reps.max()
                 else f"{int(reps.min())}–{int(reps.max())} replications")
    notes = [how, f"{sweep.design_kind} design, {variants} variants × {reps_text}"]
    if args.where:
        notes.append("where " + ", ".join(args.where))
    if others:
        counts = ", ".join(f"{k} ({len(levels_of(sweep.columns[k][rows], np))} values)"
                           for k in others)
        notes.append(f"also varied: {counts}" + ("" if sampled else
                                                 " — pick one with --where KEY=VALUE"))
    missing = []
    if sweep.failed and mode == "heatmap":
        notes.append(f"{sweep.failed} failed variant{'s' if sweep.failed > 1 else ''} in grey")
    elif sweep.failed:
        missing.append(f"{sweep.failed} failed variant{'s' if sweep.failed > 1 else ''}")
    if no_value:
        missing.append(f"{no_value} without a value")
    if missing:
        notes.append(" and ".join(missing) + " not shown")
    subtitle = " · ".join(notes)
    if len(subtitle) > 110:  # two lines rather than one clipped one
        cut = subtitle.rfind(" · ", 0, 110)
        subtitle = subtitle[:cut] + "\n" + subtitle[cut + 3:]
    axes.set_title(subtitle, fontsize=9, color="0.3", loc="left")

    output = args.output or os.path.join(
        os.path.dirname(os.path.abspath(args.results)),
        f"{os.path.splitext(os.path.basename(args.results))[0]}_{args.metric}.png")
    save_figure(PROG, figure, output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
