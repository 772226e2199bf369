#!/usr/bin/env python3
"""End-to-end check of scripts/plot_run.py: it draws a results file of the current schema
and ones of schemas 1 and 2 (rebuilt here from the same values with h5py, the layouts
engines up to 0.2.0 and 0.3.0 wrote), and it refuses a missing metric with one line and
exit status 1.

    python3 test_plot_run.py --cli build/campaign-sim --source-dir . --work-dir /tmp/w

Uses Debian's python3-h5py, -numpy and -matplotlib. Prints "N passed, N failed" last.
"""

import os
import subprocess
import sys

from end_to_end import Tally, cascade_scenario, parse_args, write_scenario

try:
    import h5py
except ImportError as error:
    print(f"cannot import h5py ({error}): apt-get install python3-h5py")
    sys.exit(2)

SCENARIO = cascade_scenario(replications=30, steps=12, seed=5, people=2000, seeds=3,
                            transmission=0.2)
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def write_older_schema(source, target, schema):
    """The same values in an older layout. Schema 2: a table per metric, series/<metric>;
    schema 1: a group of vectors per metric, series/<metric>/<column>, and finals/<metric>."""
    with h5py.File(source, "r") as src, h5py.File(target, "w") as dst:
        for key, value in src.attrs.items():
            dst.attrs[key] = value
        dst.attrs["schema_version"] = schema
        for name, s in src["scenarios"].items():
            g = dst.create_group(f"scenarios/{name}")
            for key, value in s.attrs.items():
                g.attrs[key] = value
            metrics = s.attrs["metrics"].split(",")
            for m, metric in enumerate(metrics):
                table = s["series"][m]  # schema 3: row m of the stacked tables
                if schema == 2:
                    g[f"series/{metric}"] = table
                else:
                    for column in table.dtype.names:
                        g[f"series/{metric}/{column}"] = table[column]
            if schema == 2:
                g["finals"] = s["finals"][()]
            else:
                for column in s["finals"].dtype.names:
                    g[f"finals/{column}"] = s["finals"][column]


def main():
    args = parse_args()
    scenario = write_scenario(args.work_dir, "plot.toml", SCENARIO)
    current = os.path.join(args.work_dir, "plot.h5")
    subprocess.run([args.cli, "run", scenario, "-o", current, "-q"], check=True)
    files = [("schema 3", current)]
    for schema in (2, 1):
        files.append((f"schema {schema}", os.path.join(args.work_dir, f"plot_schema{schema}.h5")))
        write_older_schema(current, files[-1][1], schema)
    script = os.path.join(args.source_dir, "scripts", "plot_run.py")
    tally = Tally()
    check = tally.check

    for label, results in files:
        image = os.path.join(args.work_dir, f"plot_{label.replace(' ', '')}.png")
        if os.path.exists(image):
            os.remove(image)
        run = subprocess.run([sys.executable, script, results, "-o", image],
                             capture_output=True, text=True)
        check(run.returncode == 0, f"{label}: exit status {run.returncode}: {run.stderr}")
        ok = os.path.isfile(image) and os.path.getsize(image) > 10_000
        with open(image, "rb") if ok else open(os.devnull, "rb") as f:
            ok = ok and f.read(8) == PNG_SIGNATURE
        check(ok, f"{label}: {image} is a PNG image")

    run = subprocess.run([sys.executable, script, current, "-o",
                          os.path.join(args.work_dir, "never.png"), "--metric", "revenue"],
                         capture_output=True, text=True)
    lines = run.stderr.strip().splitlines()
    check(run.returncode == 1 and len(lines) == 1 and "no metric 'revenue'" in lines[0]
          and "total_adopted" in lines[0], f"missing metric: {run.returncode} {run.stderr!r}")
    check(not os.path.exists(os.path.join(args.work_dir, "never.png")), "no image for an error")
    return tally.finish()


if __name__ == "__main__":
    sys.exit(main())
