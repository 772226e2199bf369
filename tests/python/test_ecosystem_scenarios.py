#!/usr/bin/env python3
"""End-to-end check of the shipped partner-ecosystem scenarios and of the ecosystem files:
the local launch read from CSV files (partners, cooperation, followers, calendar) runs
and reports what the files hold; a bad row in any of its files is one line naming
file:line, exit status 2, and no results file; the influencer marketplace (shrunk to run
in seconds) runs with both triad choices, and the greedy choice reaches more people;
and an ecosystem too large for the memory the process may use is refused before it is
drawn, with the partner ecosystem named.

    python3 test_ecosystem_scenarios.py --cli build/campaign-sim --source-dir . --work-dir /tmp/w

Prints "N passed, N failed" last.
"""

import os
import shutil
import subprocess
import sys

from end_to_end import Tally, fresh_dir, parse_args

try:
    import h5py
except ImportError as error:
    print(f"cannot import h5py ({error}): apt-get install python3-h5py")
    sys.exit(2)


def run(cli, *args):
    return subprocess.run([cli, *args], capture_output=True, text=True)


def main():
    args = parse_args()
    tally = Tally()
    check = tally.check
    work = fresh_dir(args.work_dir, "ecosystem")
    scene = os.path.join(work, "local_scene")
    shutil.copytree(os.path.join(args.source_dir, "scenarios", "local_scene"), scene)
    launch = os.path.join(scene, "local_launch.toml")

    # --- the local launch, from its CSV files ---------------------------------------------------
    out = os.path.join(work, "local.h5")
    result = run(args.cli, "run", launch, "-r", "40", "-o", out)
    check(result.returncode == 0, f"local launch runs: {result.returncode} {result.stderr!r}")
    check("media plan: 10 calendar messages, 8 distinct triads from 8 partners, spending 2060 of budget 2500"
          in result.stdout, f"the calendar is the plan: {result.stdout!r}")
    check("ecosystem: 8 partners, 2900 follower links" in result.stdout and "13 cooperating pairs" in result.stdout,
          f"the files are the ecosystem: {result.stdout!r}")
    if os.path.exists(out):
        with h5py.File(out, "r") as f:
            group = f["scenarios"]["local_launch"]
            check(group.attrs["ecosystem_partners"] == 8 and group.attrs["ecosystem_cooperating_pairs"] == 13
                  and group.attrs["ecosystem_follower_links"] == 2900,
                  f"the file keeps the ecosystem: {dict(group.attrs)}")

    # --- a bad row in each file: one line, file:line, exit 2, nothing written ----------------------
    def corrupt(name, old, new):
        path = os.path.join(scene, name)
        with open(path) as f:
            text = f.read()
        with open(path, "w") as f:
            f.write(text.replace(old, new, 1))
        return text

    cases = [
        ("cooperation.csv", "bookshop,roastery", "bookshop,bakery", "cooperation.csv:3: column partner = 'bakery' is not a partner"),
        ("followers.csv", "bookshop,", "bookshop,x", "followers.csv:4: column person = 'x"),
        ("calendar.csv", "2,bookshop,roastery,city_radio,", "2,bike_shop,roastery,city_radio,",
         "calendar.csv:5: column owner: partner bike_shop cannot be an event owner"),
        ("calendar.csv", "22,roastery", "27,roastery", "calendar.csv:13: column step = '27' is not allowed"),
        ("partners.csv", "gallery,owner+source+channel", "bookshop,owner+source+channel",
         "partners.csv:11: column name = 'bookshop' is the name of partner 1 already"),
    ]
    for name, old, new, wanted in cases:
        bad_out = os.path.join(work, "bad.h5")
        original = corrupt(name, old, new)
        result = run(args.cli, "run", launch, "-r", "5", "-o", bad_out)
        lines = result.stderr.strip().splitlines()
        check(result.returncode == 2 and len(lines) == 1 and wanted in lines[0],
              f"{name} {new!r}: exit {result.returncode}, stderr {result.stderr!r}, wanted {wanted!r}")
        check(not os.path.exists(bad_out) and not any(".tmp-" in n for n in os.listdir(work)),
              f"{name} {new!r}: nothing written")
        with open(os.path.join(scene, name), "w") as f:
            f.write(original)

    # --- the influencer marketplace, shrunk: both triad choices -------------------------------
    market = os.path.join(args.source_dir, "scenarios", "influencer_marketplace.toml")
    small = ["--set", "audience.size=100000", "--set", "partners.count=2000", "--set", "partners.groups=40",
             "--set", "partners.communities=10", "-r", "2"]
    aware = {}
    for choice in ("uniform", "fresh_reach"):
        path = os.path.join(work, f"market_{choice}.h5")
        result = run(args.cli, "run", market, *small, "--set", f'media.triad_choice="{choice}"', "-o", path)
        check(result.returncode == 0 and "1040 triad messages" in result.stdout,
              f"marketplace {choice}: {result.returncode} {result.stdout[-400:]!r} {result.stderr!r}")
        if os.path.exists(path):
            with h5py.File(path, "r") as f:
                aware[choice] = float(f["scenarios"]["influencer_marketplace"]["finals"]["aware"].mean())
    if len(aware) == 2:
        check(aware["fresh_reach"] > aware["uniform"], f"the greedy plan reaches more people: {aware}")

    # --- the memory guard names the ecosystem ----------------------------------------------------
    huge = os.path.join(work, "huge.h5")
    result = run(args.cli, "run", market, "--set", "partners.count=1000000", "--set", "partners.reach_mean=200000",
                 "-o", huge)
    line = result.stderr.strip()
    check(result.returncode == 2 and "partner ecosystem" in line and "partners.count" in line and "--force" in line
          and len(line.splitlines()) == 1, f"a huge ecosystem is refused: {result.returncode} {line!r}")
    check(not os.path.exists(huge), "the refused run wrote nothing")
    return tally.finish()


if __name__ == "__main__":
    sys.exit(main())
