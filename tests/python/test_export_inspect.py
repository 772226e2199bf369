#!/usr/bin/env python3
"""End-to-end checks of `campaign-sim export` and `campaign-sim inspect`: every CSV table
parsed back equals the HDF5 file's values exactly (numbers are written in their shortest
exact form; pandas reads them exactly with float_precision="round_trip"), for a sweep's file and a run's, and `inspect --json` parses and agrees
with the file.

    python3 test_export_inspect.py --cli build/campaign-sim --source-dir . --work-dir /tmp/w

Uses Debian's python3-h5py, -numpy and -pandas. Prints "N passed, N failed" last.
"""

import io
import json
import os
import subprocess
import sys

from end_to_end import Tally, cascade_scenario, fresh_dir, parse_args, write_scenario

try:
    import h5py
    import numpy as np
    import pandas as pd
except ImportError as error:
    print(f"cannot import h5py/numpy/pandas ({error}): apt-get install python3-h5py python3-numpy "
          "python3-pandas")
    sys.exit(2)

SERIES = ["mean", "sd", "p05", "p50", "p95", "ci95_lo", "ci95_hi"]


def export(cli, path, *extra):
    result = subprocess.run([cli, "export", path, *extra], capture_output=True, text=True)
    return result, (pd.read_csv(io.StringIO(result.stdout), float_precision="round_trip")
                    if result.returncode == 0 and result.stdout else None)


def same(a, b):
    """Equal numbers, NaN equal to NaN."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return a.shape == b.shape and bool(np.all((a == b) | (np.isnan(a) & np.isnan(b))))


def main():
    args = parse_args()
    tally = Tally()
    check = tally.check
    work = fresh_dir(args.work_dir, "export")
    scenario = write_scenario(work, "s.toml", cascade_scenario(replications=12, steps=6, seed=3, people=500,
                                                                seeds=2))
    sweep = os.path.join(work, "sweep.h5")
    subprocess.run([args.cli, "sweep", scenario, "-o", sweep, "-q", "--vary", "diffusion.transmission=0.1,0.25",
                    "--vary", "graph.model=erdos_renyi,barabasi_albert"], check=True)
    triads = os.path.join(args.source_dir, "scenarios", "partner_team_triads.toml")
    campaign = os.path.join(work, "campaign.h5")
    subprocess.run([args.cli, "run", triads, "-o", campaign, "-q", "-r", "5"], check=True)

    with h5py.File(sweep, "r") as f:
        table = f["sweep/table"][()]
        scenarios = {name: (g.attrs["variant_id"], g["finals"][()], g["series"][()], g.attrs["metrics"].split(","))
                     for name, g in f["scenarios"].items()}

    # --table sweep (the default for a sweep's file): /sweep/table, column for column.
    result, frame = export(args.cli, sweep)
    if check(frame is not None, f"export of a sweep: {result.stderr!r}"):
        check(list(frame.columns) == list(table.dtype.names), f"columns {list(frame.columns)}")
        check(len(frame) == 4, f"4 rows: {len(frame)}")
        for column in table.dtype.names:
            stored = table[column]
            if stored.dtype.kind == "O":
                ok = [s.decode() for s in stored] == list(frame[column])
            else:
                ok = same(stored, frame[column])
            check(ok, f"sweep column {column} parsed back equals the file's")
        check(frame["graph.model"].dtype == object and set(frame["graph.model"]) == {"erdos_renyi", "barabasi_albert"},
              "a text key stays text")

    # --table finals: a row per variant and replication, led by id, name and the values.
    result, frame = export(args.cli, sweep, "--table", "finals")
    if check(frame is not None, f"export finals: {result.stderr!r}"):
        check(list(frame.columns[:5]) == ["id", "name", "diffusion.transmission", "graph.model", "replication"],
              f"finals' leading columns {list(frame.columns[:5])}")
        check(len(frame) == 4 * 12, f"a row per variant and replication: {len(frame)}")
        for name, (vid, finals, _, _) in scenarios.items():
            rows = frame[frame["name"] == name]
            check(list(rows["id"].unique()) == [vid] and list(rows["replication"]) == list(range(12)),
                  f"{name}: id and replications")
            check(all(same(finals[c], rows[c]) for c in finals.dtype.names), f"{name}: finals equal the file's")

    # --table series, to a file: long form, a row per variant, metric and step.
    out = os.path.join(work, "series.csv")
    result = subprocess.run([args.cli, "export", sweep, "--table", "series", "-o", out], capture_output=True, text=True)
    if check(result.returncode == 0 and os.path.isfile(out), f"export series -o: {result.stderr!r}"):
        frame = pd.read_csv(out, float_precision="round_trip")
        check(list(frame.columns) == ["id", "name", "diffusion.transmission", "graph.model", "metric", "step"] + SERIES,
              f"series columns {list(frame.columns)}")
        for name, (_, _, series, metrics) in scenarios.items():
            for m, metric in enumerate(metrics):
                rows = frame[(frame["name"] == name) & (frame["metric"] == metric)]
                ok = list(rows["step"]) == list(range(7)) and all(same(series[m][c], rows[c]) for c in SERIES)
                if not check(ok, f"{name} {metric}: the series equals the file's"):
                    break

    # A run's file: finals with its derived ratios (NaN as empty cells), series.
    result, frame = export(args.cli, campaign)
    with h5py.File(campaign, "r") as f:
        (name, g), = f["scenarios"].items()
        finals = g["finals"][()]
    if check(frame is not None, f"export of a run: {result.stderr!r}"):
        check(list(frame.columns) == ["name", "replication", *finals.dtype.names], "a run's finals columns")
        check(all(same(finals[c], frame[c]) for c in finals.dtype.names), "a run's finals equal the file's")
    result, _ = export(args.cli, campaign, "--table", "sweep")
    check(result.returncode == 2 and "not a sweep" in result.stderr, f"--table sweep of a run: {result.stderr!r}")

    # inspect --json parses and says what the file holds.
    result = subprocess.run([args.cli, "inspect", sweep, "--json"], capture_output=True, text=True)
    try:
        info = json.loads(result.stdout)
    except json.JSONDecodeError as error:
        info = None
        check(False, f"inspect --json parses: {error}: {result.stdout[:200]!r}")
    if info is not None:
        check(info["schema_version"] == 4 and info["sweep"]["variants"] == 4 and info["sweep"]["done"] == 4,
              f"inspect: schema and variants {info.get('sweep')}")
        check(info["sweep"]["keys"] == ["diffusion.transmission", "graph.model"], "inspect: the varied keys")
        check(sorted(s["name"] for s in info["scenarios"]) == sorted(scenarios), "inspect: the scenarios")
        check([s["variant_id"] for s in info["scenarios"]] == [0, 1, 2, 3], "inspect: in id order")
        check(all(s["replications"] == 12 and s["steps"] == 6 and s["metrics"] == ["newly_adopted", "total_adopted",
                                                                                     "active"]
                  for s in info["scenarios"]), "inspect: replications, steps, metrics")
    result = subprocess.run([args.cli, "inspect", campaign, "--json"], capture_output=True, text=True)
    info = json.loads(result.stdout) if result.returncode == 0 else None
    check(info is not None and info["sweep"] is None and info["scenarios"][0]["variant_id"] is None
          and info["scenarios"][0]["finals"][-3:] == ["cpl", "cac", "roi"], "inspect --json of a run")
    result = subprocess.run([args.cli, "inspect", sweep], capture_output=True, text=True)
    check(result.returncode == 0 and "4 variants: 4 done" in result.stdout, f"inspect as a table: {result.stdout!r}")

    # Bad input: one line, exit 2.
    not_results = write_scenario(work, "not.h5", "not HDF5 at all\n")
    for label, command, needle in [
        ("not an HDF5 file", ["inspect", not_results], "not an HDF5 file"),
        ("missing file", ["export", os.path.join(work, "missing.h5")], "missing.h5"),
        ("unknown table", ["export", sweep, "--table", "everything"], "allowed: sweep, finals, series"),
        ("unknown format", ["export", sweep, "--format", "xlsx"], "allowed: csv"),
        ("export onto its input", ["export", sweep, "-o", sweep], "input"),
        ("a CSV named .h5", ["export", sweep, "-o", os.path.join(work, "x.h5")], ".csv"),
    ]:
        result = subprocess.run([args.cli, *command], capture_output=True, text=True)
        lines = result.stderr.strip().splitlines()
        check(result.returncode == 2 and len(lines) == 1 and needle in lines[0],
              f"{label}: exit {result.returncode}, one line naming {needle!r}: {result.stderr!r}")
    return tally.finish()


if __name__ == "__main__":
    sys.exit(main())
