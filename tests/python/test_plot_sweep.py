#!/usr/bin/env python3
"""End-to-end check of scripts/plot_sweep.py, of scripts/plot_run.py on a sweep's file and of
scripts/plot_triads.py on the triad-count study:
small real sweeps (a cascade grid, a campaign grid with failed variants, a Latin
hypercube, a text key, a three-key grid), every kind of plot drawn from them and read back
as an image that is not blank (size, pixel spread, several colours covering a share of
it), the short labels plot_run.py gives variants and its --variant choices, and the
one-line errors (exit status 1, no image) for what cannot be plotted.

    python3 test_plot_sweep.py --cli build/campaign-sim --source-dir . --work-dir /tmp/w

Uses Debian's python3-h5py, -numpy and -matplotlib. Prints "N passed, N failed" last.
"""

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

from end_to_end import Tally, cascade_scenario, fresh_dir, parse_args, write_scenario

try:
    import h5py
    import matplotlib
    import numpy as np

    matplotlib.use("Agg")
    import matplotlib.image
except ImportError as error:
    print(f"cannot import h5py/numpy/matplotlib ({error}): "
          "apt-get install python3-h5py python3-numpy python3-matplotlib")
    sys.exit(2)

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
CASCADE = cascade_scenario(replications=12, steps=10, seed=3, people=400, seeds=3)
SMALL_CAMPAIGN = ["--set", "audience.size=400", "-r", "6", "-q"]


def sweep(args, out, scenario, *options, statuses=(0,)):
    """Runs `campaign-sim sweep`; the file, or None when it did not end as expected."""
    run = subprocess.run([args.cli, "sweep", scenario, "-o", out, "--overwrite", *options],
                         capture_output=True, text=True)
    if run.returncode not in statuses:
        print(f"sweep {options}: exit status {run.returncode}: {run.stderr.strip()}")
        return None
    return out


def image_checks(check, path, what, mostly_colour=None):
    """The PNG exists, is large enough, and is a picture: pixel values spread, at least four
    colours each covering 0.1% of it (background, text, two marks). mostly_colour: True
    for a heat map (most of it painted), False for marks on white."""
    ok = os.path.isfile(path) and os.path.getsize(path) > 20_000
    if not check(ok, f"{what}: {path} exists and is over 20 kB"):
        return
    with open(path, "rb") as f:
        check(f.read(8) == PNG_SIGNATURE, f"{what}: a PNG")
    pixels = matplotlib.image.imread(path)[..., :3]
    height, width = pixels.shape[:2]
    check(width >= 1000 and height >= 600, f"{what}: {width}x{height} pixels")
    check(float(pixels.std()) > 0.05, f"{what}: not uniform (std {pixels.std():.3f})")
    quantised = (pixels * 15).round().astype(np.uint8).reshape(-1, 3)
    colours, counts = np.unique(quantised, axis=0, return_counts=True)
    common = int(np.count_nonzero(counts >= 0.001 * len(quantised)))
    check(common >= 4, f"{what}: {common} colours cover 0.1% of the image each (want 4)")
    if mostly_colour is not None:
        white = float(np.mean(np.all(pixels > 0.97, axis=-1)))
        painted = white < 0.5
        check(painted == mostly_colour, f"{what}: {white:.0%} white: "
              f"{'a heat map' if mostly_colour else 'marks on white'} expected")


def main():
    args = parse_args()
    work = fresh_dir(args.work_dir, "plot_sweep")
    scripts = os.path.join(args.source_dir, "scripts")
    plot_sweep = os.path.join(scripts, "plot_sweep.py")
    plot_run_py = os.path.join(scripts, "plot_run.py")
    plot_triads = os.path.join(scripts, "plot_triads.py")
    scenarios = os.path.join(args.source_dir, "scenarios")
    tally = Tally()
    check = tally.check

    # --- the sweeps: each well under a second -------------------------------------------------
    cascade = write_scenario(work, "cascade.toml", CASCADE)
    grid = sweep(args, os.path.join(work, "grid.h5"), cascade, "-q",
                 "--vary", "diffusion.transmission=0.05:0.4:4", "--vary", "graph.mean_degree=4,8")
    wide = sweep(args, os.path.join(work, "wide.h5"), cascade, "-q",
                 "--vary", "graph.mean_degree=3:8:4", "--vary", "diffusion.transmission=0.02:0.5:9:log")
    text_key = sweep(args, os.path.join(work, "text.h5"), cascade, "-q",
                     "--vary", "graph.model=erdos_renyi,watts_strogatz",
                     "--vary", "diffusion.transmission=0.1,0.3")
    three = sweep(args, os.path.join(work, "three.h5"), cascade, "-q",
                  "--vary", "diffusion.transmission=0.1,0.3", "--vary", "graph.mean_degree=4,8",
                  "--vary", "seeding.count=1,5")
    # Three partners rarely cooperate as a triad: those variants fail (exit status 3).
    triads = sweep(args, os.path.join(work, "triads.h5"),
                   os.path.join(scenarios, "partner_team_triads.toml"), *SMALL_CAMPAIGN,
                   "--vary", "partners.count=3,20,40", "--vary", "media.wearout=0.5,1.0",
                   statuses=(0, 3))
    lhs = sweep(args, os.path.join(work, "lhs.h5"),
                os.path.join(scenarios, "sweeps", "agency_quality.toml"), *SMALL_CAMPAIGN,
                "--vary", "agency.budget_per_step=250:8000:log", "--vary", "funnel.conversion=0.1:0.7",
                "--design", "lhs", "--samples", "24")
    # The triad-count study on a few of its points: the file keeps each ecosystem's counts.
    points = os.path.join(work, "triad_points.csv")
    with open(points, "w") as f:
        f.write("partners.cooperation_model,partners.cooperation_degree,partners.groups,partners.count\n"
                "random,0,1,20\nrandom,0,1,60\nrandom,20,1,200\nrandom,20,1,1000\nblock,20,4,200\n"
                "block,20,20,1000\npreferential,20,1,200\npreferential,20,1,1000\n")
    triad_count = sweep(args, os.path.join(work, "triad_count.h5"),
                        os.path.join(scenarios, "sweeps", "triad_count.toml"), "-q", "--design-file", points)
    run_file = os.path.join(work, "run.h5")
    subprocess.run([args.cli, "run", cascade, "-o", run_file, "-q"], check=True)
    files = {"grid": grid, "wide": wide, "text": text_key, "three": three, "triads": triads,
             "lhs": lhs, "triad_count": triad_count}
    for name, path in files.items():
        check(path is not None, f"the {name} sweep ran")
    if any(path is None for path in files.values()):
        return tally.finish()

    with h5py.File(triad_count, "r") as f:
        counts = {}
        for group in f["scenarios"].values():
            counts[group.attrs["config_toml"]] = {k: float(v) for k, v in group.attrs.items() if k.startswith("ecosystem_")}
        check(len(counts) == 8, f"triad_count: 8 variants keep their ecosystem ({len(counts)})")
        check(all(c["ecosystem_partners"] in (20, 60, 200, 1000) and c["ecosystem_valid_triads"] <= c["ecosystem_triangles"]
                  <= c["ecosystem_cooperating_pairs"] ** 1.5 and c["ecosystem_valid_triads"] <= c["ecosystem_role_orders"]
                  for c in counts.values()),
              "triad_count: partners as set, valid triads <= triangles <= pairs^1.5, valid <= role orders")
    with h5py.File(triads, "r") as f:
        statuses = [s.decode() for s in f["sweep/table"]["status"]]
    if "failed" not in statuses or "done" not in statuses:
        tally.skip("plots of a sweep with failed variants", f"the triad sweep's statuses: {statuses}")

    # --- figures: (name, script, arguments, mostly_colour) ------------------------------------
    def png(name):
        return os.path.join(work, f"{name}.png")

    figures = [
        ("grid_lines", plot_sweep, [grid, "--metric", "total_adopted"], False),
        ("grid_by_degree", plot_sweep, [grid, "--metric", "total_adopted", "--x",
                                        "graph.mean_degree"], False),
        ("grid_heatmap", plot_sweep, [grid, "--metric", "total_adopted", "--heatmap"], True),
        ("wide_auto_heatmap", plot_sweep, [wide, "--metric", "total_adopted"], True),
        ("wide_lines_log_x", plot_sweep, [wide, "--metric", "total_adopted", "--x",
                                          "diffusion.transmission", "--lines"], False),
        ("text_points", plot_sweep, [text_key, "--metric", "total_adopted"], False),
        ("three_scatter", plot_sweep, [three, "--metric", "total_adopted"], False),
        ("three_where", plot_sweep, [three, "--metric", "total_adopted", "--where",
                                     "seeding.count=5"], False),
        ("triads_profit", plot_sweep, [triads, "--metric", "profit"], False),
        ("triads_heatmap", plot_sweep, [triads, "--metric", "profit", "--heatmap"], True),
        ("triads_cac", plot_sweep, [triads, "--metric", "cac", "--x", "media.wearout"], False),
        ("lhs_scatter", plot_sweep, [lhs, "--metric", "profit"], False),
        ("lhs_heatmap", plot_sweep, [lhs, "--metric", "profit", "--heatmap"], False),
        ("triad_count", plot_triads, [triad_count], False),
        ("triad_count_orders", plot_triads, [triad_count, "--what", "role_orders"], False),
        ("run_sweep_all", plot_run_py, [grid], False),
        ("run_sweep_variants", plot_run_py, [triads, "--metric", "customers", "--variant", "2",
                                          "--variant", "count=40, wearout=1"], False),
        ("run_sweep_many", plot_run_py, [lhs, "--metric", "profit"], False),
    ]

    def draw(figure):
        name, script, arguments, _ = figure
        if os.path.exists(png(name)):
            os.remove(png(name))
        return subprocess.run([sys.executable, script, *arguments, "-o", png(name)],
                              capture_output=True, text=True)

    with ThreadPoolExecutor(max_workers=max(2, min(8, os.cpu_count() or 2))) as pool:
        runs = list(pool.map(draw, figures))
    for (name, _, arguments, mostly_colour), run in zip(figures, runs):
        ok = check(run.returncode == 0 and run.stdout.strip() == f"wrote {png(name)}",
                   f"{name}: exit status {run.returncode}, {run.stdout.strip()!r}, {run.stderr.strip()!r}")
        if ok:
            image_checks(check, png(name), name, mostly_colour)

    # Without -o the figure is OUT_<metric>.png next to OUT.h5.
    default = os.path.join(work, "grid_active.png")
    run = subprocess.run([sys.executable, plot_sweep, grid, "--metric", "active"],
                         capture_output=True, text=True)
    check(run.returncode == 0 and os.path.isfile(default), f"default output {default}: {run.stderr!r}")

    # --- plot_run.py's short labels and --variant ----------------------------------------------
    sys.path.insert(0, scripts)
    import plot_run  # noqa: E402  (the script, as a module: its labels and choices)

    with h5py.File(grid, "r") as f:
        variants = plot_run.sweep_variants(f)
    labels = [v.label for v in variants]
    check(labels[:2] == ["transmission=0.05, mean_degree=4", "transmission=0.05, mean_degree=8"],
          f"short labels from the design table: {labels[:2]}")
    check(labels[2] == "transmission=0.167, mean_degree=4",
          f"levels written with the digits that tell them apart: {labels[2]}")
    check(variants[1].name == "cascade@diffusion.transmission=0.05@graph.mean_degree=8",
          f"variant 1 is named {variants[1].name}")
    picks = {
        "5": [5],                                                 # an id
        "cascade@diffusion.transmission=0.05@graph.mean_degree=8": [1],  # a name
        "transmission=0.4, mean_degree=8": [7],                   # a label
        "transmission=0.4,mean_degree=8": [7],                    # spaces do not matter
        "diffusion.transmission=0.4@graph.mean_degree=8": [7],    # the name after '@'
        "mean_degree=8": [1, 3, 5, 7],                            # some of the values
        "transmission=0.1666666667": [2, 3],                      # a value, not its label
        "nothing=1": [],
    }
    for spec, expected in picks.items():
        got = [v.id for v in plot_run.pick_variants(spec, variants)]
        check(got == expected, f"--variant {spec!r} picks {got}, expected {expected}")
    with h5py.File(run_file, "r") as f:
        check(plot_run.sweep_variants(f) is None, "a run's file is not a sweep's")

    # --- errors: one line, exit status 1, no image ---------------------------------------------
    with open(os.path.join(work, "not_hdf5.h5"), "w") as f:
        f.write("not HDF5\n")
    errors = [
        ("not a sweep file", plot_sweep, [run_file, "--metric", "total_adopted"],
         ["is not a sweep file", "plot_run.py"]),
        ("unknown metric", plot_sweep, [grid, "--metric", "revenue"],
         ["no metric 'revenue'", "total_adopted", "newly_adopted", "active"]),
        ("unknown --x", plot_sweep, [grid, "--metric", "total_adopted", "--x", "graph.k"],
         ["'graph.k' is not a varied key", "diffusion.transmission, graph.mean_degree"]),
        ("unknown --by", plot_sweep, [grid, "--metric", "total_adopted", "--by", "nope"],
         ["'nope' is not a varied key", "diffusion.transmission, graph.mean_degree"]),
        ("--by equal to --x", plot_sweep, [grid, "--metric", "total_adopted", "--x",
                                           "graph.mean_degree", "--by", "graph.mean_degree"],
         ["--by must differ from --x"]),
        ("--where without a match", plot_sweep, [grid, "--metric", "total_adopted", "--where",
                                                 "graph.mean_degree=5"],
         ["has no value '5'", "4, 8"]),
        ("heat map of a three-key grid", plot_sweep, [three, "--metric", "total_adopted",
                                                      "--heatmap"],
         ["seeding.count also varies", "--where seeding.count="]),
        ("missing file", plot_sweep, [os.path.join(work, "absent.h5"), "--metric", "x"],
         ["no such file"]),
        ("not HDF5", plot_sweep, [os.path.join(work, "not_hdf5.h5"), "--metric", "x"],
         ["cannot open", "as HDF5"]),
        ("plot_triads: no ecosystem", plot_triads, [grid], ["no variant has ecosystem_valid_triads"]),
        ("plot_triads: missing file", plot_triads, [os.path.join(work, "absent.h5")], ["no such file"]),
        ("plot_run: unknown variant", plot_run_py, [grid, "--variant", "99"],
         ["no variant '99'", "0 (transmission=0.05, mean_degree=4)"]),
        ("plot_run: unknown key", plot_run_py, [grid, "--variant", "degree=8"],
         ["'degree' is not a varied key", "diffusion.transmission, graph.mean_degree"]),
    ]
    if "failed" in statuses:
        errors.append(("plot_run: failed variant", plot_run_py,
                       [triads, "--metric", "customers", "--variant", "count=3, wearout=0.5"],
                       ["did not finish", "triad"]))
    never = os.path.join(work, "never.png")
    for what, script, arguments, fragments in errors:
        if os.path.exists(never):
            os.remove(never)
        run = subprocess.run([sys.executable, script, *arguments, "-o", never],
                             capture_output=True, text=True)
        lines = run.stderr.strip().splitlines()
        prog = os.path.basename(script)
        check(run.returncode == 1 and len(lines) == 1 and lines[0].startswith(f"{prog}: error: ")
              and all(fragment in lines[0] for fragment in fragments),
              f"{what}: exit status {run.returncode}, stderr {run.stderr!r}")
        check(not os.path.exists(never), f"{what}: no image")
    return tally.finish()


if __name__ == "__main__":
    sys.exit(main())
