#!/usr/bin/env python3
"""Plot a campaign-sim comparison: four panels on one metric (default: the objective).

    scripts/plot_compare.py OUT.h5 [--metric METRIC] [-o FILE.png]

Reads a file written by `campaign-sim compare` (docs/compare.md): /compare/summary and
each variant's per-replication finals. The panels:

  means         each variant's mean with its 95% CI, the best marked (a variant failing
                a --constraint is drawn hollow);
  differences   a forest plot of the paired differences to the baseline with their 95%
                CIs, and the line of no difference;
  distribution  each variant's empirical distribution over the replications (ECDF), with
                the bad 5% tail (the value CVaR is measured beyond) as a dotted line;
  leads         for a campaign, where each variant's leads went, as stacked bars of the
                mean per replication: customers, lost to capacity, to stock, in handoffs,
                not converted (P(best) bars for the diffusion models).

-o defaults to OUT_compare_<metric>.png next to OUT.h5. Needs h5py, numpy and matplotlib
(Debian's python3-h5py, -numpy, -matplotlib); when another python3 comes first on PATH
and lacks them, the script runs itself again with /usr/bin/python3.
"""

import argparse
import os
import sys

from plot_common import fail as plot_common_fail, import_plotting
from plot_common import constraint_eligible, format_compact, metric_label, save_figure, text

PROG = "plot_compare.py"
LEAD_FATES = [("customers", "customers"), ("leads_lost_capacity", "lost: sales capacity"),
              ("leads_lost_stock", "lost: out of stock"), ("leads_lost_handoff", "lost: handoffs"),
              ("leads_not_converted", "not converted")]


def fail(message, code=1):
    plot_common_fail(PROG, message, code)


def main():
    parser = argparse.ArgumentParser(prog=PROG, description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("results", help="results file written by campaign-sim compare (HDF5)")
    parser.add_argument("--metric", help="metric to plot (default: the comparison's objective)")
    parser.add_argument("-o", "--output", help="image to write (.png, .svg, .pdf; "
                        "default: OUT_compare_<metric>.png next to OUT.h5)")
    args = parser.parse_args()
    if not os.path.isfile(args.results):
        fail(f"no such file: '{args.results}'")
    h5py, np, plt, _ = import_plotting(PROG, __file__)
    try:
        f = h5py.File(args.results, "r")
    except OSError as error:
        fail(f"cannot open '{args.results}' as HDF5: {error}")
    with f:
        if "compare" not in f:
            fail(f"'{args.results}' has no /compare: it was not written by campaign-sim compare")
        attrs = f["compare"].attrs
        baseline, objective = text(attrs["baseline"]), text(attrs["objective"])
        paired = int(attrs["paired"]) == 1
        metric = args.metric or objective
        summary = f["compare/summary"][()]
        metrics = sorted({text(m) for m in summary["metric"]})
        if metric not in metrics:
            fail(f"no metric '{metric}' in /compare/summary; compared: {', '.join(metrics)}")
        rows = [r for r in summary if text(r["metric"]) == metric]
        variants = [text(r["variant"]) for r in rows]
        better = text(rows[0]["better"])
        eligible = constraint_eligible(f["compare"], variants)
        finals, fates = {}, {}
        for v in variants:
            data = f[f"scenarios/{v}/finals"][()]
            finals[v] = data[metric] if metric in data.dtype.names else None
            fates[v] = {name: float(np.nanmean(data[name])) for name, _ in LEAD_FATES if name in data.dtype.names}
        step_unit = None
        config = f[f"scenarios/{variants[0]}"].attrs.get("config_toml", "")
        for line in text(config).splitlines():
            if line.startswith("step_unit"):
                step_unit = line.split("=", 1)[1].strip().strip('"')
    means = np.array([r["mean"] for r in rows])
    lo, hi = np.array([r["ci95_lo"] for r in rows]), np.array([r["ci95_hi"] for r in rows])
    dlo, dhi = np.array([r["diff_ci95_lo"] for r in rows]), np.array([r["diff_ci95_hi"] for r in rows])
    diffs = np.array([r["diff"] for r in rows])
    label = metric_label(metric, step_unit)
    ranked = [i for i, v in enumerate(variants) if eligible[v] and not np.isnan(means[i])]
    best = None
    if better in ("higher", "lower") and ranked:
        best = max(ranked, key=lambda i: means[i] if better == "higher" else -means[i])

    figure, axes = plt.subplots(2, 2, figsize=(12, 8.5))
    y = np.arange(len(variants))[::-1]
    colours = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    colour = {v: colours[i % len(colours)] for i, v in enumerate(variants)}

    # Means with their 95% CIs.
    ax = axes[0][0]
    for i, v in enumerate(variants):
        face = colour[v] if eligible[v] else "white"
        ax.errorbar(means[i], y[i], xerr=[[means[i] - lo[i]], [hi[i] - means[i]]], fmt="o", color=colour[v],
                    markerfacecolor=face, capsize=4, markersize=7)
        ax.annotate(format_compact(means[i]), (means[i], y[i]), textcoords="offset points", xytext=(0, 7),
                    ha="center", fontsize=8)
    ax.set_yticks(y, [v + (" (best)" if i == best else "") + ("" if eligible[v] else " (fails a constraint)")
                      for i, v in enumerate(variants)])
    ax.set_xlabel(label)
    ax.set_title(f"mean and 95% CI{'' if better not in ('higher', 'lower') else f' ({better} is better)'}")
    ax.grid(axis="x", alpha=0.3)

    # Paired differences to the baseline.
    ax = axes[0][1]
    others = [i for i, v in enumerate(variants) if v != baseline]
    for k, i in enumerate(others):
        v = variants[i]
        ax.errorbar(diffs[i], k, xerr=[[diffs[i] - dlo[i]], [dhi[i] - diffs[i]]], fmt="s", color=colour[v],
                    capsize=4)
    ax.axvline(0, color="black", linewidth=1)
    ax.set_yticks(range(len(others)), [variants[i] for i in others])
    ax.invert_yaxis()
    ax.set_xlabel(f"difference to {baseline}: {label}")
    ax.set_title(f"{'paired' if paired else 'unpaired (Welch)'} difference and 95% CI")
    ax.grid(axis="x", alpha=0.3)

    # Distributions: ECDFs.
    ax = axes[1][0]
    for i, v in enumerate(variants):
        x = finals[v]
        if x is None:
            continue
        x = np.sort(x[~np.isnan(x)])
        if len(x) == 0:
            continue
        ax.step(x, np.arange(1, len(x) + 1) / len(x), where="post", color=colour[v], label=v)
        ax.axvline(rows[i]["tail05"], color=colour[v], linestyle=":", linewidth=1)
    ax.set_xlabel(label)
    ax.set_ylabel("share of replications at or below")
    counts = {len(finals[v]) for v in variants if finals[v] is not None}
    ax.set_title("distribution over replications (dotted: the bad 5% tail)" if len(counts) <= 1 else
                 "distribution over each variant's replications (dotted: the bad 5% tail of the common ones)",
                 fontsize=10 if len(counts) > 1 else None)
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)

    # Where the leads went (a campaign), else P(best).
    ax = axes[1][1]
    if all(fates[v] for v in variants):
        left = np.zeros(len(variants))
        for name, fate in LEAD_FATES:
            values = np.array([fates[v].get(name, 0.0) for v in variants])
            ax.barh(y, values, left=left, label=fate)
            left += values
        ax.set_yticks(y, variants)
        ax.set_xlabel("leads per campaign (mean over replications)")
        ax.set_title("where the leads went")
        ax.set_xlim(0, max(1.0, float(left.max())) * 1.75)  # room for the legend on the right
        ax.legend(fontsize=8, loc="upper right")
    else:
        p = np.array([r["p_best"] for r in rows])
        ax.barh(y, np.nan_to_num(p), color=[colour[v] for v in variants])
        ax.set_yticks(y, variants)
        ax.set_xlim(0, 1)
        ax.set_xlabel(f"P(best) by {metric} (paired bootstrap)")
        ax.set_title("probability of having the best mean")
    ax.grid(axis="x", alpha=0.3)

    figure.suptitle(f"{os.path.basename(args.results)}: {metric} across {len(variants)} variants "
                    f"({'common random numbers' if paired else 'independent streams'})")
    figure.tight_layout()
    output = args.output or os.path.join(os.path.dirname(os.path.abspath(args.results)),
                                         f"{os.path.splitext(os.path.basename(args.results))[0]}_compare_{metric}.png")
    save_figure(PROG, figure, output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
