#!/usr/bin/env python3
"""One self-contained HTML report of a campaign-sim results file: a run's, a sweep's or a
comparison's. It holds the key tables, the figures (PNG, embedded) and the scenario, and
needs no network and no other file to open, so it can go out by e-mail.

    scripts/report.py OUT.h5 [-o REPORT.html] [--metric METRIC]

  run         each scenario's final metrics (mean, 95% CI, 5% and 95% of replications)
              and the mean curve with its bands (plot_run.py);
  sweep       the sweep table (the varied values, the metric's mean and 95% CI; the first
              200 variants) and plot_sweep.py's figure;
  comparison  the verdict (the best variant on the objective), /compare/summary for every
              compared metric, the selection or the constraints when there are, and
              plot_compare.py's four panels.

--metric picks the metric of the figures and tables (default: the comparison's
objective; customers for a campaign; total_adopted otherwise). -o defaults to
OUT_report.html next to OUT.h5. Needs Debian's python3-h5py, -numpy and -matplotlib;
when another python3 comes first on PATH and lacks them, it runs itself again with
/usr/bin/python3.
"""

import argparse
import base64
import html
import os
import subprocess
import sys
import tempfile

from plot_common import constraint_eligible, import_plotting, text
from plot_common import fail as plot_common_fail

PROG = "report.py"
HERE = os.path.dirname(os.path.abspath(__file__))
CSS = """
body { font-family: sans-serif; max-width: 1100px; margin: 2em auto; color: #222; }
h1 { font-size: 1.5em; } h2 { font-size: 1.2em; margin-top: 1.6em; border-bottom: 1px solid #ccc; }
table { border-collapse: collapse; font-size: 0.85em; margin: 0.5em 0; }
th, td { border: 1px solid #ccc; padding: 0.2em 0.5em; text-align: right; }
th { background: #f2f2f2; } td.text { text-align: left; }
tr.best td { font-weight: bold; background: #eef7ee; }
img { max-width: 100%; } pre { background: #f7f7f7; padding: 0.8em; font-size: 0.8em; overflow-x: auto; }
p.verdict { font-size: 1.05em; background: #f4f8ff; padding: 0.6em; border-left: 4px solid #48c; }
"""


def fail(message, code=1):
    plot_common_fail(PROG, message, code)


def number(value):
    try:
        v = float(value)
    except (TypeError, ValueError):
        return html.escape(text(value))
    if v != v:
        return ""
    if abs(v) >= 1000 or v == int(v):
        return f"{v:,.0f}" if abs(v) >= 1000 else f"{v:g}"
    return f"{v:.4g}"


def probability(p):
    """P(best) as the command line prints it: its resolution is one resample."""
    p = float(p)
    return "" if p != p else ">0.999" if p >= 0.9995 else "<0.001" if p < 0.0005 else f"{p:.3f}"


def table(header, rows, best=None):
    out = ["<table><tr>" + "".join(f"<th>{html.escape(h)}</th>" for h in header) + "</tr>"]
    for i, row in enumerate(rows):
        cells = []
        for cell in row:
            if isinstance(cell, str):
                cells.append(f'<td class="text">{html.escape(cell)}</td>')
            else:
                cells.append(f"<td>{number(cell)}</td>")
        row_class = ' class="best"' if i == best else ""
        out.append(f"<tr{row_class}>" + "".join(cells) + "</tr>")
    return "\n".join(out) + "</table>"


def figure(script, results, extra, temp):
    """A figure drawn by one of the plot scripts, as an embedded <img>."""
    path = os.path.join(temp, f"{os.path.basename(script)}.png")
    run = subprocess.run([sys.executable, os.path.join(HERE, script), results, *extra, "-o", path],
                         capture_output=True, text=True)
    if run.returncode != 0:
        return f"<p>(no figure: {html.escape(run.stderr.strip())})</p>"
    with open(path, "rb") as f:
        data = base64.b64encode(f.read()).decode()
    return f'<img alt="{html.escape(script)}" src="data:image/png;base64,{data}">'


def main():
    parser = argparse.ArgumentParser(prog=PROG, description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("results", help="results file written by campaign-sim (HDF5)")
    parser.add_argument("-o", "--output", help="report to write (.html; default: OUT_report.html next to OUT.h5)")
    parser.add_argument("--metric", help="metric of the figures and tables")
    args = parser.parse_args()
    if not os.path.isfile(args.results):
        fail(f"no such file: '{args.results}'")
    output = args.output or os.path.splitext(os.path.abspath(args.results))[0] + "_report.html"
    if os.path.isdir(output) or not output.lower().endswith((".html", ".htm")):
        fail(f"-o {output}: name an .html file")
    h5py, np, _, _ = import_plotting(PROG, __file__)
    try:
        f = h5py.File(args.results, "r")
    except OSError as error:
        fail(f"cannot open '{args.results}' as HDF5: {error}")
    body = []
    with f:
        if "scenarios" not in f or not len(f["scenarios"]):
            fail(f"'{args.results}' holds no scenario: not a campaign-sim results file")
        names = list(f["scenarios"].keys())
        first = f["scenarios"][names[0]]
        config = text(first.attrs.get("config_toml", ""))
        finals_names = list(first["finals"].dtype.names)
        campaign = "customers" in finals_names
        kind = "comparison" if "compare" in f else "sweep" if "sweep" in f else "run"
        metric = args.metric
        if kind == "comparison":
            metric = metric or text(f["compare"].attrs["objective"])
        metric = metric or ("customers" if campaign else "total_adopted")
        known = (sorted({text(m) for m in f["compare/summary"]["metric"]}) if kind == "comparison"
                 else [c[:-len("_mean")] for c in f["sweep/table"].dtype.names if c.endswith("_mean")]
                 if kind == "sweep" else text(first.attrs["metrics"]).split(","))
        if metric not in known:
            fail(f"--metric {metric}: not in this {kind}'s results; available: {', '.join(known)}")
        title = f"{os.path.basename(args.results)}: a {kind} of {len(names)} scenario{'s' if len(names) > 1 else ''}"
        body.append(f"<h1>{html.escape(title)}</h1>")
        body.append(f"<p>Written {html.escape(text(f.attrs.get('created_utc', '')))} by campaign-sim "
                    f"{html.escape(text(f.attrs.get('engine_version', '')))}.</p>")
        with tempfile.TemporaryDirectory() as temp:
            if kind == "comparison":
                body += comparison_section(f, np, metric)
                body.append("<h2>Figures</h2>" + figure("plot_compare.py", args.results, ["--metric", metric], temp))
            elif kind == "sweep":  # the figure first: the table may be long
                body.append("<h2>Figure</h2>" + figure("plot_sweep.py", args.results, ["--metric", metric], temp))
                body += sweep_section(f, np, metric)
            else:
                body += run_section(f, np, names)
                body.append("<h2>Figure</h2>" + figure("plot_run.py", args.results, ["--metric", metric], temp))
        body.append(f"<h2>Scenario</h2><details><summary>{html.escape(names[0])}: the resolved scenario "
                    f"(every key)</summary><pre>{html.escape(config)}</pre></details>")
    page = (f"<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>{html.escape(title)}</title>"
            f"<style>{CSS}</style></head><body>\n" + "\n".join(body) + "\n</body></html>\n")
    try:
        with open(output, "w", encoding="utf-8") as out:
            out.write(page)
    except OSError as error:
        fail(f"cannot write '{output}': {error.strerror or error}")
    print(f"wrote {output}")
    return 0


def run_section(f, np, names):
    """The engine's own statistics of each metric at the last step (the series' last
    column: mean, 95% CI, the sketch's 5% and 95%); derived finals (cpl, cac, roi) from
    the finals, with nearest-rank quantiles and a normal 95% interval."""
    out = ["<h2>Final metrics</h2>"]
    for name in names[:20]:
        group = f["scenarios"][name]
        finals = group["finals"][()]
        metrics = text(group.attrs["metrics"]).split(",")
        series = group["series"][()]
        rows = []
        for m, metric in enumerate(metrics):
            last = series[m][-1]
            rows.append([metric, last["mean"], last["ci95_lo"], last["ci95_hi"], last["p05"], last["p95"]])
        for column in finals.dtype.names[len(metrics):]:
            x = finals[column]
            x = np.sort(x[~np.isnan(x)])
            if len(x) == 0:
                continue
            half = 1.96 * x.std(ddof=1) / np.sqrt(len(x)) if len(x) > 1 else float("nan")
            rank = lambda q: x[max(1, int(np.ceil(q * len(x)))) - 1]  # noqa: E731
            rows.append([column + " (derived)", x.mean(), x.mean() - half, x.mean() + half, rank(0.05), rank(0.95)])
        out.append(f"<p>{html.escape(name)}: {len(finals)} replications.</p>")
        out.append(table(["metric", "mean", "95% CI low", "95% CI high", "5% of replications",
                          "95% of replications"], rows))
    return out


def sweep_section(f, np, metric):
    tab = f["sweep/table"][()]
    fixed = {"id", "name", "replications", "status", "target_reached"}
    stats = ("_mean", "_sd", "_ci95_lo", "_ci95_hi")
    keys = [c for c in tab.dtype.names if c not in fixed and not c.endswith(stats)]
    if f"{metric}_mean" not in tab.dtype.names:
        return [f"<p>(no column {html.escape(metric)}_mean in /sweep/table)</p>"]
    rows = []
    for r in tab[:200]:
        rows.append([int(r["id"]), *[text(r[k]) if isinstance(r[k], bytes) else float(r[k]) for k in keys],
                     int(r["replications"]), text(r["status"]), float(r[f"{metric}_mean"]),
                     float(r[f"{metric}_ci95_lo"]), float(r[f"{metric}_ci95_hi"])])
    done = [i for i, r in enumerate(tab[:200]) if text(r["status"]) == "done"]
    best = max(done, key=lambda i: tab[i][f"{metric}_mean"]) if done else None
    return [f"<h2>Sweep: {len(tab)} variants</h2>",
            f"<p>{metric}: the highest mean is in bold{' (the first 200 variants shown)' if len(tab) > 200 else ''}.</p>",
            table(["id", *keys, "replications", "status", f"{metric} mean", "95% CI low", "95% CI high"], rows,
                  best)]


def comparison_section(f, np, metric):
    compare = f["compare"]
    attrs = compare.attrs
    summary = compare["summary"][()]
    baseline, objective = text(attrs["baseline"]), text(attrs["objective"])
    out = [f"<h2>Comparison</h2><p>Baseline {html.escape(baseline)}; objective {html.escape(objective)}; "
           f"{'common random numbers (paired)' if int(attrs['paired']) == 1 else 'independent streams'}.</p>"]
    rows = [r for r in summary if text(r["metric"]) == metric]
    better = text(rows[0]["better"]) if rows else ""
    eligible = constraint_eligible(compare, [text(r["variant"]) for r in rows])
    ranked = [i for i, r in enumerate(rows) if eligible[text(r["variant"])] and r["mean"] == r["mean"]]
    best = None
    if better in ("higher", "lower") and ranked:
        best = max(ranked, key=lambda i: rows[i]["mean"] if better == "higher" else -rows[i]["mean"])
        w = rows[best]
        out.append(f'<p class="verdict">On {html.escape(metric)} ({better} is better), '
                   f"<b>{html.escape(text(w['variant']))}</b> has the best mean, {number(w['mean'])} "
                   f"(95% CI {number(w['ci95_lo'])} to {number(w['ci95_hi'])}), P(best) {probability(w['p_best'])}"
                   + ("" if text(w["variant"]) == baseline else
                      f"; against {html.escape(baseline)}: {number(w['diff'])} "
                      f"(95% CI {number(w['diff_ci95_lo'])} to {number(w['diff_ci95_hi'])})") + ".</p>")
    if "selection" in compare:
        sel = compare["selection"][()]
        out.append(f"<h2>Sequential selection (KN)</h2><p>Selected {html.escape(text(attrs['selected']))} "
                   f"(indifference {number(attrs['selection_indifference'])}, confidence "
                   f"{number(attrs['selection_confidence'])}); the tables below are over the replications "
                   f"every variant ran.</p>")
        out.append(table(["variant", "replications", "eliminated at", "selected"],
                         [[text(r["variant"]), int(r["replications"]),
                           int(r["eliminated_at"]) if r["eliminated_at"] else "", "yes" if r["selected"] else ""]
                          for r in sel]))
    if "constraints" in compare:
        out.append("<h2>Constraints</h2>")
        out.append(table(["constraint", "variant", "share meeting it", "95% CI low", "95% CI high", "meets"],
                         [[text(r["constraint"]), text(r["variant"]), float(r["share"]), float(r["ci95_lo"]),
                           float(r["ci95_hi"]), "yes" if r["meets"] else "no"] for r in compare["constraints"][()]]))
    if "seeding_value" in compare:
        out.append(f"<h2>Seeding value against {html.escape(baseline)}</h2><p>Each variant's adopters followed "
                   "person by person against the baseline's (Libai, Muller &amp; Peres 2013): expansion would not "
                   "have bought within the horizon, acceleration would have, later; mean per replication.</p>")
        out.append(table(["variant", "measure", "mean", "95% CI low", "95% CI high"],
                         [[text(r["variant"]), text(r["measure"]), float(r["mean"]), float(r["ci95_lo"]),
                           float(r["ci95_hi"])] for r in compare["seeding_value"][()]]))
    for m in dict.fromkeys(text(r["metric"]) for r in summary):
        part = [r for r in summary if text(r["metric"]) == m]
        out.append(f"<h2>{html.escape(m)}</h2>")
        out.append(table(["variant", "mean", "95% CI low", "95% CI high", f"vs {baseline}", "95% CI low",
                          "95% CI high", "P(best)", "bad 5% tail", "CVaR 5%"],
                         [[text(r["variant"]) + ("" if eligible[text(r["variant"])] else " (fails a constraint)"),
                           r["mean"], r["ci95_lo"], r["ci95_hi"], r["diff"], r["diff_ci95_lo"],
                           r["diff_ci95_hi"], probability(r["p_best"]), r["tail05"], r["cvar05"]] for r in part],
                         best if m == metric else None))
    return out


if __name__ == "__main__":
    sys.exit(main())
