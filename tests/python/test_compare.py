#!/usr/bin/env python3
"""End-to-end checks of `campaign-sim compare`: /compare's figures recomputed with numpy
from the variants' per-replication finals in the same file (means, paired
95% CIs, win counts, tails, the worth of common random numbers, ratios of means);
identical variants differ by exactly nothing; the figures are the same at 1 and 2
threads; --independent runs unpaired; --constraint and --select; bad input is one line and
no file.

    python3 test_compare.py --cli build/campaign-sim --source-dir . --work-dir /tmp/w

Also draws scripts/plot_compare.py's figures and reads them back. Uses Debian's
python3-h5py, -numpy and -matplotlib. Prints "N passed, N failed" last.
"""

import json
import math
import os
import subprocess
import sys

from end_to_end import Tally, cascade_scenario, fresh_dir, parse_args, write_scenario

try:
    import h5py
    import matplotlib
    import numpy as np

    matplotlib.use("Agg")
    import matplotlib.image
except ImportError as error:
    print(f"cannot import h5py/numpy/matplotlib ({error}): apt-get install python3-h5py python3-numpy "
          "python3-matplotlib")
    sys.exit(2)


def summary(path):
    """/compare/summary as {(metric, variant): row} and the finals per variant."""
    with h5py.File(path, "r") as f:
        table = f["compare/summary"][()]
        rows = {(r["metric"].decode(), r["variant"].decode()): r for r in table}
        wins = {(r["metric"].decode(), r["variant"].decode(), r["other"].decode()): r for r in f["compare/wins"][()]}
        finals = {}
        for name, group in f["scenarios"].items():
            names = group.attrs["metrics"].split(",")
            data = group["finals"][()]
            finals[name] = {column: data[column] for column in data.dtype.names}
        attrs = dict(f["compare"].attrs)
    return rows, wins, finals, attrs, table


# Student's t(0.975, 59), for 60 replications (statistical tables; scipy.stats.t.ppf).
T_59 = 2.0009954


def close(a, b, rel=1e-9):
    return (math.isnan(a) and math.isnan(b)) or abs(a - b) <= rel * max(1.0, abs(a), abs(b))


def main():
    args = parse_args()
    tally = Tally()
    check = tally.check
    work = fresh_dir(args.work_dir, "compare")
    triads = os.path.join(args.source_dir, "scenarios", "partner_team_triads.toml")
    small = ["--set", "audience.size=3000", "-r", "60", "-q"]

    # Three variants of the triad plan: wear-out 0.7 (the file's), 0.8, and the file again.
    out = os.path.join(work, "wear.h5")
    run = subprocess.run([args.cli, "compare", triads, "--variant", "high_wear:media.wearout=0.8",
                          "--variant", "twin:", "-o", out, *small, "-t", "2"], capture_output=True, text=True)
    if not check(run.returncode == 0, f"compare runs: {run.stderr}"):
        return tally.finish()
    rows, wins, finals, attrs, table = summary(out)
    base = "partner_team_triads"
    check(attrs["baseline"] == base and attrs["objective"] == "customers" and attrs["paired"] == 1,
          f"attributes {attrs}")
    metrics = sorted({m for m, _ in rows})
    check(set(metrics) >= {"customers", "revenue", "profit", "cac", "roi", "marketing_cost", "cost"},
          f"the default metrics and the ratios' parts: {metrics}")
    for metric in ["customers", "profit", "cac"]:
        b = finals[base][metric]
        for variant in [base, "high_wear", "twin"]:
            x = finals[variant][metric]
            r = rows[(metric, variant)]
            ok = ~np.isnan(x)
            n = int(ok.sum())
            check(r["n"] == n == 60, f"{metric} {variant}: n = 60 (every replication has customers)")
            check(close(r["mean"], float(np.mean(x[ok]))), f"{metric} {variant}: mean")
            check(close(r["sd"], float(np.std(x[ok], ddof=1))), f"{metric} {variant}: sd")
            half = T_59 * np.std(x[ok], ddof=1) / math.sqrt(n)
            check(close(r["ci95_hi"] - r["mean"], half, 1e-4), f"{metric} {variant}: CI half-width")
            d = x - b
            d = d[~np.isnan(d)]
            check(close(r["diff"], float(np.mean(d))), f"{metric} {variant}: paired difference")
            if np.std(d, ddof=1) > 0:
                dh = T_59 * np.std(d, ddof=1) / math.sqrt(len(d))
                check(close(r["diff_ci95_hi"] - r["diff"], dh, 1e-4), f"{metric} {variant}: paired CI")
                crn = (np.var(x, ddof=1) + np.var(b, ddof=1)) / np.var(x - b, ddof=1)
                check(close(r["crn_factor"], float(crn), 1e-6), f"{metric} {variant}: CRN factor {r['crn_factor']}")
            # The bad tail: the worst ceil(5% n) replications.
            k = math.ceil(0.05 * n)
            worst = np.sort(x[ok])[::-1][:k] if r["better"] == b"lower" else np.sort(x[ok])[:k]
            q = 0.95 if r["better"] == b"lower" else 0.05
            nearest_rank = np.sort(x[ok])[max(1, math.ceil(q * n)) - 1]
            check(r["tail05"] == nearest_rank and close(r["cvar05"], float(np.mean(worst))), f"{metric} {variant}: tail")
            if variant != base:
                higher = r["better"] == b"higher"
                w = wins[(metric, variant, base)]
                beats = int(np.sum(x > b) if higher else np.sum(x < b))
                check(w["wins"] == beats and w["ties"] == int(np.sum(x == b)), f"{metric} {variant}: wins {w}")
    # The ratio of means of cac, and the mean of the per-replication ratios.
    r = rows[("cac", "high_wear")]
    mc, cu = finals["high_wear"]["marketing_cost"], finals["high_wear"]["customers"]
    check(close(r["ratio_of_means"], float(np.mean(mc) / np.mean(cu))), "cac: ratio of means")
    # The twin is the baseline again: nothing differs, everything ties, P(best) is shared.
    for metric in ["customers", "profit"]:
        r = rows[(metric, "twin")]
        check(r["diff"] == 0 and r["diff_ci95_lo"] == 0 and r["diff_ci95_hi"] == 0, f"twin {metric}: diff 0")
        w = wins[(metric, "twin", base)]
        check(w["wins"] == 0 and w["losses"] == 0 and w["ties"] == 60, f"twin {metric}: all ties {w}")
        check(rows[(metric, "twin")]["p_best"] == rows[(metric, base)]["p_best"], f"twin {metric}: same P(best)")
    # Wear-out 0.8 sells more: it wins, and pairing pays (measured 0.91 on the bundled size).
    r = rows[("customers", "high_wear")]
    check(r["diff_ci95_lo"] > 0 and r["p_best"] > 0.99, f"high wear-out sells more: {r['diff']}, P(best) {r['p_best']}")
    check(r["correlation"] > 0.7 and r["crn_factor"] > 3, f"pairing matters: rho {r['correlation']}, k {r['crn_factor']}")
    p = [rows[("customers", v)]["p_best"] for v in [base, "high_wear", "twin"]]
    check(close(sum(p), 1.0, 1e-12), f"P(best) sums to 1: {p}")
    # Printed: the table, the winner marked, the paragraph.
    shown = subprocess.run([args.cli, "compare", triads, "--variant", "high_wear:media.wearout=0.8", "-o",
                            os.path.join(work, "shown.h5"), "--set", "audience.size=3000", "-r", "60"],
                           capture_output=True, text=True)
    lines = shown.stdout.splitlines()
    check(shown.returncode == 0 and all(len(line) <= 100 for line in lines if not line.startswith("wrote")),
          "the output fits 100 columns (but the line naming the file)")
    check(any(line.startswith("* high_wear") for line in lines), "the winner is marked")
    check(any("high_wear has" in line and "more customers than partner_team_triads" in line for line in lines),
          "the paragraph names the winner")
    check(any("common random numbers made this comparison" in line for line in lines), "the worth of pairing")

    # inspect and export know a comparison's file.
    shown = subprocess.run([args.cli, "inspect", out, "--json"], capture_output=True, text=True)
    info = json.loads(shown.stdout) if shown.returncode == 0 else {}
    check(info.get("compare", {}).get("baseline") == base and info["compare"]["tables"] == ["summary", "wins"],
          f"inspect --json: {info.get('compare')}")
    exported = subprocess.run([args.cli, "export", out], capture_output=True, text=True)
    lines = exported.stdout.splitlines()
    check(exported.returncode == 0 and lines[0].startswith("metric,variant,better,n,mean") and
          len(lines) == 1 + len(table), f"export of a comparison: /compare/summary ({len(lines)} lines)")
    missing = subprocess.run([args.cli, "export", out, "--table", "selection"], capture_output=True, text=True)
    check(missing.returncode == 2 and "--select" in missing.stderr, f"no selection table: {missing.stderr.strip()}")

    # The same figures at 1 thread.
    one = os.path.join(work, "one.h5")
    subprocess.run([args.cli, "compare", triads, "--variant", "high_wear:media.wearout=0.8", "--variant", "twin:",
                    "-o", one, *small, "-t", "1"], check=True)
    other = summary(one)[4]
    check(all(other[c].tobytes() == table[c].tobytes() if table[c].dtype.kind != "O" else list(other[c]) == list(table[c])
              for c in table.dtype.names), "/compare/summary is bit-identical at 1 and 2 threads")

    # Solo against the team: whole files; independent streams.
    solo = os.path.join(args.source_dir, "scenarios", "solo_guerrilla.toml")
    indep = os.path.join(work, "indep.h5")
    run = subprocess.run([args.cli, "compare", solo, triads, "--independent", "-o", indep, *small],
                         capture_output=True, text=True)
    if check(run.returncode == 0, f"--independent runs: {run.stderr}"):
        rows, _, finals, attrs, _ = summary(indep)
        check(attrs["paired"] == 0, "paired = 0")
        r = rows[("customers", "partner_team_triads")]
        check(math.isnan(r["crn_factor"]), "no pairing figure when unpaired")
        a, b = finals["partner_team_triads"]["customers"], finals["solo_guerrilla"]["customers"]
        check(close(r["diff"], float(np.mean(a) - np.mean(b))), "unpaired difference of means")
        se = math.sqrt(np.var(a, ddof=1) / len(a) + np.var(b, ddof=1) / len(b))
        half = r["diff_ci95_hi"] - r["diff"]
        check(1.95 * se < half < 2.05 * se, f"Welch's half-width {half} is t x se = ~2 x {se}")
        check(r["diff_ci95_lo"] > 0, "the team sells more, even unpaired")

    # A constraint: only the variants meeting it are ranked.
    con = os.path.join(work, "constraint.h5")
    run = subprocess.run([args.cli, "compare", triads, "--variant", "low:media.wearout=0.5", "--variant",
                          "high:media.wearout=0.8", "--constraint", "customers>=0@1", "--constraint",
                          "customers<=390@0.9", "-o", con, *small], capture_output=True, text=True)
    if check(run.returncode == 0, f"--constraint runs: {run.stderr}"):
        with h5py.File(con, "r") as f:
            table = f["compare/constraints"][()]
            rows = f["compare/summary"][()]
            finals = {v: f[f"scenarios/{v}/finals"]["customers"] for v in ["partner_team_triads", "low", "high"]}
        for row in table:
            x = finals[row["variant"].decode()]
            text = row["constraint"].decode()
            share = float(np.mean(x <= 390)) if "<=" in text else float(np.mean(x >= 0))
            check(close(row["share"], share) and row["meets"] == (share >= (0.9 if "<=" in text else 1.0)),
                  f"constraint {text} {row['variant']}: share {row['share']} (numpy {share})")
        eligible = {row["variant"].decode() for row in table if row["meets"]}
        eligible -= {row["variant"].decode() for row in table if not row["meets"]}
        best = {r["variant"].decode(): r["p_best"] for r in rows if r["metric"] == b"customers"}
        check(all(math.isnan(p) == (v not in eligible) for v, p in best.items()),
              f"P(best) only for the eligible {sorted(eligible)}: {best}")

    # Sequential selection: wear-outs 0.5 .. 0.8, the best by customers; each variant's
    # results are those of a fixed run of the replications it used.
    sel = os.path.join(work, "select.h5")
    variants = [f"--variant=w{w}:media.wearout=0.{w}" for w in (50, 60, 70, 80)]
    run = subprocess.run([args.cli, "compare", triads, *variants, "--select", "--indifference", "5",
                          "--metrics", "customers", "-o", sel, "--set", "audience.size=3000", "-q"],
                         capture_output=True, text=True)
    if check(run.returncode == 0, f"--select runs: {run.stderr}"):
        with h5py.File(sel, "r") as f:
            table = f["compare/selection"][()]
            names = [v.decode() for v in table["variant"]]
            check(f["compare"].attrs["selected"] == "w80" and list(table["selected"]) == [0, 0, 0, 0, 1],
                  f"the highest wear-out is selected: {f['compare'].attrs['selected']}")
            for row in table:
                group = f["scenarios"][row["variant"].decode()]
                check(group.attrs["replications"] == row["replications"], f"{row['variant']}: replications")
                check(row["selected"] == 1 or row["eliminated_at"] == row["replications"], f"{row['variant']}: out")
            check(f["compare"].attrs["selection_guaranteed"] == 1.0, "guaranteed")
            used = int(table["replications"][names.index("w80")])
            w80 = f["scenarios/w80/finals"]["customers"]
        fixed = os.path.join(work, "fixed.h5")
        subprocess.run([args.cli, "compare", triads, "--variant=w80:media.wearout=0.80", "-o", fixed,
                        "--set", "audience.size=3000", "-r", str(used), "-q"], check=True)
        with h5py.File(fixed, "r") as f:
            check(np.array_equal(f["scenarios/w80/finals"]["customers"], w80),
                  f"the selected variant's {used} replications equal a fixed run's")

    # --seeding-value: the triad plan against broadcast advertising alone, person by person.
    # Every replication's split adds up to the two runs' own customers (the logging runs
    # equal the comparison's), and the summary is the mean of the replications' splits.
    seeding = os.path.join(work, "seeding.h5")
    run = subprocess.run([args.cli, "compare", triads, "--set", "media.advertising=0.003", "--variant",
                          "ads:media.strategy=none", "--variant", "twin:media.strategy=none", "--baseline", "ads",
                          "--seeding-value",
                          "-o", seeding, *small], capture_output=True, text=True)
    if check(run.returncode == 0, f"--seeding-value runs: {run.stderr}"):
        with h5py.File(seeding, "r") as f:
            reps = f["compare/seeding_value_replications"][()]
            table = f["compare/seeding_value"][()]
            customers = {name: f[f"scenarios/{name}/finals"]["customers"] for name in (base, "ads", "twin")}
        for name in (base, "twin"):
            mine = reps[reps["variant"] == name.encode()]
            check(len(mine) == 60 and list(mine["replication"]) == list(range(60)), f"{name}: 60 replications")
            check(np.array_equal(mine["adopters"], customers[name]) and np.array_equal(mine["base_adopters"], customers["ads"]),
                  f"{name}: the logging runs' customers are the comparison's")
            check(np.all(mine["outside"] == 0) and np.all(mine["base_outside"] == 0), f"{name}: no agency, none outside")
            logged = mine["expansion"] + mine["acceleration"] + mine["unchanged"] + mine["delayed"]
            check(np.array_equal(logged, mine["adopters"]), f"{name}: expansion + acceleration + unchanged + delayed = customers")
            check(np.array_equal(mine["displaced"] + mine["acceleration"] + mine["unchanged"] + mine["delayed"],
                                 mine["base_adopters"]), f"{name}: the base's customers are split too")
            rows = {r["measure"].decode(): r for r in table if r["variant"].decode() == name}
            gained = mine["expansion"] + mine["acceleration"]
            half = T_59 * gained.std(ddof=1) / math.sqrt(60)
            check(close(rows["gained"]["mean"], gained.mean()) and close(rows["gained"]["ci95_hi"], gained.mean() + half),
                  f"{name}: gained's mean and CI {rows['gained']}")
            check(close(rows["net"]["mean"], (mine["adopters"] - mine["base_adopters"]).mean()), f"{name}: net")
            check(close(rows["steps_gained_per_accelerated"]["mean"],
                        mine["steps_gained"].sum() / mine["acceleration"].sum() if mine["acceleration"].sum() else math.nan),
                  f"{name}: steps sooner (undefined without acceleration)")
        twin = reps[reps["variant"] == b"twin"]
        check(np.all(twin["expansion"] + twin["acceleration"] + twin["delayed"] + twin["displaced"] == 0),
              "the base against itself: everyone unchanged")
        team = reps[reps["variant"] == base.encode()]
        check(team["expansion"].sum() > 0 and team["acceleration"].sum() > 0 and team["displaced"].sum() > 0,
              "the triad plan over advertising expands, accelerates and displaces")
        exported = subprocess.run([args.cli, "export", seeding, "--table", "seeding_value_replications"],
                                  capture_output=True, text=True)
        lines = exported.stdout.splitlines()
        check(exported.returncode == 0 and lines[0].startswith("variant,replication,expansion,acceleration") and
              len(lines) == 1 + 120, f"export --table seeding_value_replications ({len(lines)} lines)")
        missing = subprocess.run([args.cli, "export", out, "--table", "seeding_value"], capture_output=True, text=True)
        check(missing.returncode == 2 and "--seeding-value" in missing.stderr, f"no seeding value: {missing.stderr.strip()}")

    # scripts/check_selection.py: a short run of the long check (exact binomial means).
    checked = subprocess.run([sys.executable, os.path.join(args.source_dir, "scripts", "check_selection.py"),
                              "--cli", args.cli, "--macro", "10"], capture_output=True, text=True)
    check(checked.returncode == 0 and "selected  the best in 10 of 10" in checked.stdout and
          checked.stdout.rstrip().splitlines()[-1].startswith("passed"),
          f"check_selection.py: {checked.stdout.strip()} {checked.stderr.strip()}")

    cascade = write_scenario(work, "cascade.toml", cascade_scenario(replications=4, steps=5, seed=1, people=300, seeds=2))
    # scripts/plot_compare.py: four panels from each file, a picture and not a blank.
    script = os.path.join(args.source_dir, "scripts", "plot_compare.py")
    for name, source, extra in [("wear", out, []), ("constraint", con, ["--metric", "customers"]),
                                ("independent", indep, [])]:
        image = os.path.join(work, f"{name}.png")
        drawn = subprocess.run([sys.executable, script, source, *extra, "-o", image], capture_output=True, text=True)
        if check(drawn.returncode == 0 and drawn.stdout.strip() == f"wrote {image}",
                 f"plot_compare {name}: {drawn.stderr.strip()}"):
            with open(image, "rb") as f:
                check(f.read(8) == b"\x89PNG\r\n\x1a\n" and os.path.getsize(image) > 40_000, f"{name}: a PNG")
            pixels = matplotlib.image.imread(image)[..., :3]
            quantised = (pixels * 15).round().astype(np.uint8).reshape(-1, 3)
            _, counts = np.unique(quantised, axis=0, return_counts=True)
            check(pixels.shape[1] >= 1500 and int(np.count_nonzero(counts >= 0.001 * len(quantised))) >= 5,
                  f"{name}: a picture in several colours")
    sweep_file = os.path.join(work, "sweep.h5")
    subprocess.run([args.cli, "sweep", cascade, "-o", sweep_file, "--vary", "diffusion.transmission=0.1,0.2", "-q"],
                   check=True)
    refused = subprocess.run([sys.executable, script, sweep_file, "-o", os.path.join(work, "no.png")],
                             capture_output=True, text=True)
    check(refused.returncode == 1 and "no /compare" in refused.stderr and not os.path.exists(os.path.join(work, "no.png")),
          f"plot_compare refuses a sweep's file: {refused.stderr.strip()}")
    wrong = subprocess.run([sys.executable, script, out, "--metric", "nonsense", "-o", os.path.join(work, "no.png")],
                           capture_output=True, text=True)
    check(wrong.returncode == 1 and "compared: " in wrong.stderr, f"an unknown metric: {wrong.stderr.strip()}")

    # scripts/report.py: one self-contained HTML file for a comparison's, a sweep's and a run's file.
    report = os.path.join(args.source_dir, "scripts", "report.py")
    run_file = os.path.join(work, "run.h5")
    subprocess.run([args.cli, "run", cascade, "-o", run_file, "-q"], check=True)
    for name, source, words in [("compare", sel, ["Sequential selection (KN)", "w80", "customers"]),
                                ("seeding", seeding, ["Seeding value against ads", "acceleration_share"]),
                                ("sweep", sweep_file, ["Sweep: 2 variants", "diffusion.transmission"]),
                                ("run", run_file, ["Final metrics", "total_adopted"])]:
        page_path = os.path.join(work, f"{name}_report.html")
        made = subprocess.run([sys.executable, report, source, "-o", page_path], capture_output=True, text=True)
        if check(made.returncode == 0, f"report of a {name}: {made.stderr.strip()}"):
            with open(page_path, encoding="utf-8") as page_file:
                page = page_file.read()
            check(page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>"), f"{name}: an HTML page")
            check("data:image/png;base64," in page and "(no figure" not in page, f"{name}: the figure is embedded")
            check("http://" not in page and "https://" not in page and 'src="' not in page.replace('src="data:', ""),
                  f"{name}: nothing outside the file")
            check(all(w in page for w in words), f"{name}: holds {words}")
    refused = subprocess.run([sys.executable, report, sel, "-o", os.path.join(work, "report.txt")],
                             capture_output=True, text=True)
    check(refused.returncode == 1 and ".html" in refused.stderr, f"report to a .txt: {refused.stderr.strip()}")

    # Bad input: one line, exit 2, no file.
    denser = write_scenario(work, "denser.toml", cascade_scenario(replications=4, steps=5, seed=1, people=300, seeds=2)
                            .replace("mean_degree = 6", "mean_degree = 8").replace("[run]\n", "[run]\nname = \"denser\"\n"))
    bad = [
        ([cascade, denser], "graph.mean_degree"),
        ([cascade, "--variant", "a:graph.mean_degree=8"], "graph.mean_degree"),
        ([triads, "--variant", "x:media.wearout=0.8", "--metrics", "customers,nonsense"], "nonsense"),
        ([triads, "--variant", "x:media.wearout=0.8", "--objective", "messages"], "not a goal"),
        ([triads, "--variant", "x:media.wearout=0.8", "--objective", "profit:up"], "max or min"),
        ([triads, "--variant", "x:media.wearout=0.8", "--variant", "x:media.wearout=0.9"], "two variants are named x"),
        ([triads], "nothing to be compared"),
        ([triads, "--variant", "x:media.nonsense=1"], "media.nonsense"),
        ([triads, "--variant", "x:media.wearout=0.8", "--baseline", "y"], "no variant of that name"),
        ([triads, "--variant", "x=1"], "NAME:key=value"),
        ([triads, solo, "--variant", "x:media.wearout=0.8"], "--variant makes variants of one"),
        ([cascade, "--variant", "b:run.replications=5"], "replications"),
        ([triads, "--variant", "x:media.wearout=0.8", "--select"], "--indifference"),
        ([triads, "--variant", "x:media.wearout=0.8", "--select", "--indifference", "0"], "allowed > 0"),
        ([triads, "--variant", "x:media.wearout=0.8", "--select", "--indifference", "5", "--confidence", "1"],
         "between 0 and 1"),
        ([triads, "--variant", "x:media.wearout=0.8", "--select", "--indifference", "5", "--objective", "cac"],
         "is a ratio"),
        ([triads, "--variant", "x:media.wearout=0.8", "--indifference", "5"], "is for --select"),
        ([triads, "--variant", "x:media.wearout=0.8", "--constraint", "cac<60"], "METRIC<=VALUE@LEVEL"),
        ([triads, "--variant", "x:media.wearout=0.8", "--constraint", "caq<=1@0.5"], "--constraint caq"),
        ([triads, "--variant", "x:media.wearout=0.8", "--metrics", "custmers"], "did you mean customers?"),
        ([triads, "--variant", "w:media.wearot=0.8"], "--variant w: media.wearot"),
        ([cascade, triads, "-r", "5"], "different models"),
        ([triads, "--variant", "x:media.wearout=0.8", "--seeding-value", "--independent"], "common random numbers"),
        ([triads, "--variant", "x:media.wearout=0.8", "--seeding-value", "--select", "--indifference", "5"],
         "--seeding-value and --select"),
        ([triads, "--variant", "x:run.steps=26", "--seeding-value"], "the same run.steps"),
    ]
    for i, (command, words) in enumerate(bad):
        target = os.path.join(work, f"bad{i}.h5")
        result = subprocess.run([args.cli, "compare", *command, "-o", target, "-q"], capture_output=True, text=True)
        message = result.stderr.strip()
        check(result.returncode == 2 and words in message and len(message.splitlines()) == 1,
              f"bad input {command[1:]}: exit {result.returncode}, {message!r}")
        check(not os.path.exists(target) and not os.path.exists(target + ".parts"), f"no file for {command[1:]}")
    return tally.finish()


if __name__ == "__main__":
    sys.exit(main())
