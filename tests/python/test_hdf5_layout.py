#!/usr/bin/env python3
"""End-to-end check of the results file layout (docs/hdf5-layout.md, schema_version 4).

Runs the CLI on a small independent-cascade scenario, opens the result with h5py and
checks every documented group, dataset and attribute, the consistency of the summaries
with the saved trajectories, and that the output does not depend on the thread count.

    python3 test_hdf5_layout.py --cli build/campaign-sim --source-dir . --work-dir /tmp/w

Uses only Debian's python3-h5py and python3-numpy (run it with /usr/bin/python3).
Prints "N passed, N failed" last and exits non-zero on any failure.
"""

import argparse
import datetime
import math
import os
import re
import subprocess
import sys
import traceback

try:
    import h5py
    import numpy as np
except ImportError as error:
    print(f"cannot import h5py/numpy ({error}): apt-get install python3-h5py python3-numpy,"
          " and run with /usr/bin/python3")
    sys.exit(2)

REPLICATIONS = 50
STEPS = 10
SEED = 7
SEEDS = 3
METRICS = ["newly_adopted", "total_adopted", "active"]
SERIES = ["mean", "sd", "p05", "p50", "p95", "ci95_lo", "ci95_hi"]
PERCENTILES = {"p05": 5, "p50": 50, "p95": 95}
SKETCH_RELATIVE_ERROR = 2.0 ** -9
T_975_DF49 = 2.009575237129  # Student t_{0.975} with 49 degrees of freedom

SCENARIO = f"""\
[run]
name = "t"
replications = {REPLICATIONS}
steps = {STEPS}
seed = {SEED}

[audience]
size = 2000

[graph]
model = "erdos_renyi"
mean_degree = 6

[diffusion]
model = "independent_cascade"
transmission = 0.3

[seeding]
count = {SEEDS}
"""


class Checks:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, name, ok, detail=""):
        if ok:
            self.passed += 1
        else:
            self.failed += 1
            print(f"FAIL {name}" + (f": {detail}" if detail else ""))
        return ok

    def guarded(self, name, function, *args):
        """Runs a group of checks; an exception inside counts as one failure."""
        try:
            function(self, *args)
        except Exception:  # noqa: BLE001 - any error is a failed check, reported in full
            self.failed += 1
            print(f"FAIL {name}: exception")
            traceback.print_exc(file=sys.stdout)


def run_cli(cli, args, timeout=600):
    return subprocess.run([cli, *args], capture_output=True, text=True, timeout=timeout,
                          stdin=subprocess.DEVNULL)


def project_version(source_dir):
    try:
        with open(os.path.join(source_dir, "CMakeLists.txt"), encoding="utf-8") as f:
            match = re.search(r"project\([^)]*VERSION\s+([0-9][0-9.]*)", f.read())
        return match.group(1) if match else None
    except OSError:
        return None


def is_str(value):
    return isinstance(value, str)


def check_root(c, f, source_dir):
    attrs = f.attrs
    c.check("root members", sorted(f.keys()) == ["scenarios"], str(list(f.keys())))
    c.check("root file_type", is_str(attrs.get("file_type"))
            and attrs["file_type"] == "campaign-sim results", repr(attrs.get("file_type")))
    version = attrs.get("schema_version")
    c.check("root schema_version is int64 4",
            isinstance(version, np.integer) and version.dtype == np.int64 and int(version) == 4,
            repr(version))
    engine = attrs.get("engine_version")
    expected = project_version(source_dir)
    c.check("root engine_version", is_str(engine) and engine != ""
            and (expected is None or engine == expected), f"{engine!r} vs project {expected!r}")
    created = attrs.get("created_utc")
    ok = is_str(created) and re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", created) is not None
    if c.check("root created_utc is ISO 8601 UTC", ok, repr(created)):
        stamp = datetime.datetime.strptime(created, "%Y-%m-%dT%H:%M:%SZ").replace(
            tzinfo=datetime.timezone.utc)
        age = datetime.datetime.now(datetime.timezone.utc) - stamp
        c.check("root created_utc is recent", datetime.timedelta(seconds=-120) < age
                < datetime.timedelta(hours=1), created)


def check_scenario_attributes(c, g):
    attrs = g.attrs
    toml_text = attrs.get("config_toml")
    if c.check("config_toml is a str", is_str(toml_text), repr(type(toml_text))):
        try:
            import tomllib
        except ImportError:
            c.check("tomllib available (python >= 3.11)", False, sys.version)
        else:
            config = tomllib.loads(toml_text)
            c.check("config_toml run.replications", config["run"]["replications"] == REPLICATIONS,
                    str(config["run"]))
            c.check("config_toml run.steps", config["run"]["steps"] == STEPS, str(config["run"]))
            c.check("config_toml diffusion.model",
                    config["diffusion"]["model"] == "independent_cascade",
                    str(config.get("diffusion")))
    # The seed spans 64 bits (uint64); the counts users compute with are int64, so that
    # `steps + 1` stays an integer in numpy (uint64 + int gives a float).
    for name, expected, dtype in (("seed", SEED, np.uint64), ("replications", REPLICATIONS, np.int64),
                                  ("steps", STEPS, np.int64)):
        value = attrs.get(name)
        c.check(f"scenario attribute {name} is {np.dtype(dtype).name} {expected}",
                isinstance(value, np.integer) and value.dtype == dtype
                and int(value) == expected, repr(value))
    steps = attrs.get("steps")
    c.check("steps + 1 stays an integer", np.issubdtype(np.asarray(steps + 1).dtype, np.integer),
            repr(steps + 1))
    metrics = attrs.get("metrics")
    c.check("scenario attribute metrics", is_str(metrics) and metrics.split(",") == METRICS,
            repr(metrics))
    c.check("scenario attribute step_index", is_str(attrs.get("step_index"))
            and "0" in attrs["step_index"], repr(attrs.get("step_index")))


def check_shapes(c, g):
    c.check("scenario members", sorted(g.keys()) == ["finals", "series", "trajectories"],
            str(list(g.keys())))
    # Groups track creation order, so h5py lists metrics as the engine names them.
    c.check("trajectories lists every metric in engine order",
            list(g["trajectories"].keys()) == METRICS, str(list(g["trajectories"].keys())))
    finals = g["finals"]
    record = np.dtype([(name, "<f8") for name in METRICS])
    c.check(f"finals is a table of {REPLICATIONS} records, a float64 column per metric in "
            "engine order", isinstance(finals, h5py.Dataset) and finals.dtype == record
            and finals.shape == (REPLICATIONS,), f"{finals.dtype} {finals.shape}")
    series = g["series"]
    record = np.dtype([(name, "<f8") for name in SERIES])
    c.check(f"series stacks a table per metric ({len(METRICS)}) of {STEPS + 1} records with "
            f"float64 columns {', '.join(SERIES)}", isinstance(series, h5py.Dataset)
            and series.dtype == record and series.shape == (len(METRICS), STEPS + 1),
            f"{series.dtype} {series.shape}")
    for metric in METRICS:
        d = g["trajectories"][metric]
        c.check(f"trajectories/{metric} float64 ({REPLICATIONS}, {STEPS + 1})",
                d.dtype == np.float64 and d.shape == (REPLICATIONS, STEPS + 1),
                f"{d.dtype} {d.shape}")


def check_consistency(c, g):
    for metric in METRICS:
        traj = g["trajectories"][metric][()]
        # Row m of series is the m-th metric of the metrics attribute.
        row = g["series"][g.attrs["metrics"].split(",").index(metric)]
        series = {name: row[name] for name in SERIES}
        finals = g["finals"][metric][()]
        c.check(f"{metric}: finals == trajectories[:, -1]", np.array_equal(finals, traj[:, -1]))
        c.check(f"{metric}: mean == trajectories.mean(axis=0)",
                np.allclose(series["mean"], traj.mean(axis=0), rtol=1e-12, atol=1e-12),
                f"{series['mean']} vs {traj.mean(axis=0)}")
        sd = traj.std(axis=0, ddof=1)
        c.check(f"{metric}: sd == std(ddof=1)", np.allclose(series["sd"], sd, rtol=1e-10,
                                                             atol=1e-12),
                f"{series['sd']} vs {sd}")
        for name, percent in PERCENTILES.items():
            got = series[name]
            for step in range(STEPS + 1):
                column = traj[:, step]
                expected = np.percentile(column, percent, method="inverted_cdf")
                exact = bool(np.all(column == np.round(column)) and np.all(np.abs(column) < 512))
                if exact:
                    ok = got[step] == expected
                else:
                    ok = abs(got[step] - expected) <= SKETCH_RELATIVE_ERROR * abs(expected)
                if not c.check(f"{metric}: {name}[{step}] vs nearest rank"
                               f" ({'exact' if exact else 'within 2^-9'})", ok,
                               f"{got[step]!r} vs {expected!r}"):
                    break
        c.check(f"{metric}: p05 <= p50 <= p95", np.all(series["p05"] <= series["p50"])
                and np.all(series["p50"] <= series["p95"]))
        lo, hi, mean = series["ci95_lo"], series["ci95_hi"], series["mean"]
        c.check(f"{metric}: ci95_lo <= mean <= ci95_hi", np.all(lo <= mean) and np.all(mean <= hi),
                f"{lo} {mean} {hi}")
        half = T_975_DF49 * sd / math.sqrt(REPLICATIONS)
        c.check(f"{metric}: ci95 = mean +- t(49) sd / sqrt(n)",
                np.allclose(hi - mean, half, rtol=1e-5, atol=1e-9)
                and np.allclose(mean - lo, half, rtol=1e-5, atol=1e-9), f"{hi - mean} vs {half}")

    # The metric definitions of docs/hdf5-layout.md, on the saved trajectories.
    newly = g["trajectories"]["newly_adopted"][()]
    total = g["trajectories"]["total_adopted"][()]
    active = g["trajectories"]["active"][()]
    c.check("total_adopted after seeding == seeding.count", np.all(total[:, 0] == SEEDS),
            str(total[:, 0]))
    c.check("total_adopted grows by newly_adopted", np.array_equal(np.diff(total, axis=1),
                                                                   newly[:, 1:]))
    c.check("independent cascade: active == newly_adopted after step 1",
            np.array_equal(active[:, 1:], newly[:, 1:]))
    c.check("counts are whole and non-negative",
            all(np.all(a >= 0) and np.all(a == np.round(a)) for a in (newly, total, active)))


def datasets_of(f):
    found = {}
    f.visititems(lambda name, obj: found.__setitem__(name, obj[()])
                 if isinstance(obj, h5py.Dataset) else None)
    return found


def attributes_of(f):
    found = {"/": dict(f.attrs)}
    f.visititems(lambda name, obj: found.__setitem__(name, dict(obj.attrs)))
    return found


def check_thread_invariance(c, path_1, path_2):
    with h5py.File(path_1, "r") as f1, h5py.File(path_2, "r") as f2:
        d1, d2 = datasets_of(f1), datasets_of(f2)
        c.check("threads 1 vs 2: same datasets", sorted(d1) == sorted(d2),
                f"{sorted(d1)} vs {sorted(d2)}")
        differing = [name for name in sorted(set(d1) & set(d2))
                     if d1[name].shape != d2[name].shape
                     or not np.array_equal(d1[name].view(np.uint64), d2[name].view(np.uint64))]
        c.check("threads 1 vs 2: every dataset bit-identical", not differing, str(differing))
        a1, a2 = attributes_of(f1), attributes_of(f2)
        a1["/"].pop("created_utc", None)
        a2["/"].pop("created_utc", None)
        c.check("threads 1 vs 2: same attributes (but created_utc)", repr(a1) == repr(a2))


def check_unwritable_output(c, cli, scenario, work_dir):
    out = os.path.join(work_dir, "no-such-dir", "out.h5")
    result = run_cli(cli, ["run", scenario, "-o", out, "--quiet"])
    c.check("missing output directory: non-zero exit", result.returncode != 0,
            f"exit {result.returncode}")
    message = result.stderr.strip()
    # A long path is shortened in the middle (excerpt_path), so look for its ends.
    c.check("missing output directory: one clear line", "cannot create output file" in message
            and "no-such-dir/out.h5" in message and "does not exist" in message
            and len(message.splitlines()) == 1, repr(message))
    c.check("missing output directory: nothing created", not os.path.exists(os.path.dirname(out)))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cli", required=True, help="path to the campaign-sim executable")
    parser.add_argument("--source-dir", required=True, help="repository root")
    parser.add_argument("--work-dir", required=True, help="scratch directory (its files are replaced)")
    parser.add_argument("--sanitized", action="store_true", help="the binary has the sanitizers")
    args = parser.parse_args()

    c = Checks()
    work = os.path.abspath(args.work_dir)
    os.makedirs(work, exist_ok=True)
    for name in os.listdir(work):  # only what earlier runs of this script leave
        if name.endswith(".h5") or ".h5.tmp-" in name or name == "scenario.toml":
            os.remove(os.path.join(work, name))
    scenario = os.path.join(work, "scenario.toml")
    with open(scenario, "w", encoding="utf-8") as f:
        f.write(SCENARIO)

    outputs = {}
    for threads in (1, 2):
        out = os.path.join(work, f"threads{threads}.h5")
        try:
            result = run_cli(args.cli, ["run", scenario, "-o", out, "--save-trajectories",
                                        "--quiet", "--threads", str(threads)])
        except OSError as error:
            c.check(f"run the CLI ({args.cli})", False, str(error))
            break
        if c.check(f"CLI run with --threads {threads} succeeds", result.returncode == 0
                   and os.path.isfile(out), f"exit {result.returncode}: {result.stderr.strip()}"):
            outputs[threads] = out

    if 1 in outputs:
        with h5py.File(outputs[1], "r") as f:
            c.guarded("root", check_root, f, args.source_dir)
            if c.check("scenario group /scenarios/t", "scenarios" in f and "t" in f["scenarios"],
                       str(list(f.get("scenarios", {}).keys()))):
                g = f["scenarios"]["t"]
                c.guarded("scenario attributes", check_scenario_attributes, g)
                c.guarded("shapes", check_shapes, g)
                c.guarded("consistency", check_consistency, g)
    if 1 in outputs and 2 in outputs:
        c.guarded("thread invariance", check_thread_invariance, outputs[1], outputs[2])
    if outputs:
        c.guarded("unwritable output", check_unwritable_output, args.cli, scenario, work)

    leftovers = [name for name in os.listdir(work) if ".tmp-" in name]
    c.check("no temporary files left in the work directory", not leftovers, str(leftovers))
    print(f"{c.passed} passed, {c.failed} failed")
    return 1 if c.failed else 0


if __name__ == "__main__":
    sys.exit(main())
