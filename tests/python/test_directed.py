#!/usr/bin/env python3
"""End-to-end checks of directed graphs (graph.directed, graph.arcs; docs/model.md): word
of mouth travels along the arcs, from the followed to the follower by default, in the
independent cascade, network Bass and the campaign model, on graphs whose answers are
known by hand; the binary CSR cache keeps the direction; graph info says it.

With transmission 1 (or q = 1) and one seed drawn uniformly:
  a star whose hub talks to 5 leaves: 6 adopters with probability 1/6, else 1;
  the same file read as "u follows v" (each leaf talks to the hub): 2 adopters with
      probability 5/6, else 1;
  a directed path 0 -> 1 -> 2 -> 3: 4 - s adopters from seed s, uniform on {1, 2, 3, 4}.
A share is checked as |k - R p| <= 4 sqrt(R p (1 - p)), a mean as |mean - m| <= 4 sd / sqrt(R).

    python3 test_directed.py --cli build/campaign-sim --source-dir . --work-dir /tmp/w

Uses Debian's python3-h5py and -numpy. Prints "N passed, N failed" last.
"""

import json
import math
import os
import subprocess
import sys

from end_to_end import Tally, fresh_dir, parse_args, write_scenario

try:
    import h5py
    import numpy as np
except ImportError as error:
    print(f"cannot import h5py/numpy ({error}): apt-get install python3-h5py python3-numpy")
    sys.exit(2)

R = 1200


def scenario(path, arcs=None, model="independent_cascade", steps=5):
    graph = f'[graph]\nmodel = "edge_list"\npath = "{path}"\n'
    if arcs is not None:
        graph += f'directed = true\narcs = "{arcs}"\n'
    diffusion = {"independent_cascade": 'model = "independent_cascade"\ntransmission = 1.0\n',
                 "network_bass": 'model = "network_bass"\np = 0.0\nq = 1.0\n'}[model]
    return (f"[run]\nreplications = {R}\nsteps = {steps}\nseed = 4\n{graph}[seeding]\ncount = 1\n"
            f"[diffusion]\n{diffusion}")


def finals(cli, path, out, *extra):
    result = subprocess.run([cli, "run", path, "-o", out, "-q", *extra], capture_output=True, text=True)
    if result.returncode != 0:
        return None, result.stderr
    with h5py.File(out, "r") as f:
        group = next(iter(f["scenarios"].values()))
        return np.asarray(group["finals"]["total_adopted"]), ""


def share_ok(values, target, p):
    k = int(np.sum(values == target))
    return abs(k - R * p) <= 4 * math.sqrt(R * p * (1 - p)), k


def main():
    args = parse_args()
    tally = Tally()
    check = tally.check
    cli = os.path.abspath(args.cli)
    work = fresh_dir(args.work_dir, "directed")
    write_scenario(work, "star.txt", "".join(f"0 {v}\n" for v in range(1, 6)))
    write_scenario(work, "path.txt", "0 1\n1 2\n2 3\n")

    cases = [("talks_to", {1, 6}, 6, 1 / 6), ("follows", {1, 2}, 2, 5 / 6)]
    for arcs, allowed, target, p in cases:
        path = write_scenario(work, f"star_{arcs}.toml", scenario("star.txt", arcs))
        values, error = finals(cli, path, os.path.join(work, f"star_{arcs}.h5"))
        if not check(values is not None, f"star, {arcs}: {error!r}"):
            continue
        ok, k = share_ok(values, target, p)
        check(set(values.tolist()) <= allowed and ok,
              f"star read as {arcs}: adopters in {allowed}, {target} in {k} of {R} (expected {R * p:.0f})")
    undirected, error = finals(cli, write_scenario(work, "star.toml", scenario("star.txt")),
                               os.path.join(work, "star.h5"))
    check(undirected is not None and set(undirected.tolist()) == {6}, f"the star undirected: always 6 {error!r}")

    # The directed path, in the cascade and in network Bass: 4 - s adopters from seed s.
    for model in ("independent_cascade", "network_bass"):
        path = write_scenario(work, f"path_{model}.toml", scenario("path.txt", "talks_to", model))
        values, error = finals(cli, path, os.path.join(work, f"path_{model}.h5"))
        if not check(values is not None, f"path, {model}: {error!r}"):
            continue
        mean_ok = abs(values.mean() - 2.5) <= 4 * math.sqrt(1.25) / math.sqrt(R)
        check(set(values.tolist()) == {1, 2, 3, 4} and mean_ok,
              f"directed path, {model}: adopters {sorted(set(values.tolist()))}, mean {values.mean():.3f} "
              f"(expected 2.5)")

    # The campaign model runs on a follower network and says it.
    campaign = write_scenario(work, "campaign.toml",
                              '[run]\nreplications = 20\nsteps = 10\nseed = 2\n[graph]\nmodel = "edge_list"\n'
                              'path = "star.txt"\ndirected = true\n[diffusion]\nmodel = "campaign"\n')
    result = subprocess.run([cli, "run", campaign, "-o", os.path.join(work, "campaign.h5")], capture_output=True,
                            text=True)
    check(result.returncode == 0 and "5 arcs (directed: word of mouth along them)" in result.stdout,
          f"the campaign on a directed graph: {result.stdout[-300:]!r} {result.stderr!r}")

    # The CSR cache keeps the direction: the same results from it; asked undirected, refused.
    csr = os.path.join(work, "star.csr")
    result = subprocess.run([cli, "graph", "convert", os.path.join(work, "star.txt"), csr, "--directed", "--arcs",
                             "talks_to"], capture_output=True, text=True)
    check(result.returncode == 0 and "5 arcs (directed" in result.stdout, f"graph convert --directed: {result!r}")
    from_text, _ = finals(cli, os.path.join(work, "star_talks_to.toml"), os.path.join(work, "again.h5"))
    from_csr, error = finals(cli, write_scenario(work, "star_csr.toml", scenario("star.csr", "talks_to")),
                             os.path.join(work, "csr.h5"))
    check(from_csr is not None and np.array_equal(from_csr, from_text), f"the directed CSR file: the same {error!r}")
    result = subprocess.run([cli, "run", write_scenario(work, "star_csr_u.toml", scenario("star.csr")), "-o",
                             os.path.join(work, "no.h5")], capture_output=True, text=True)
    check(result.returncode == 2 and "holds a directed graph, and graph.directed is false" in result.stderr,
          f"a directed CSR file read undirected: {result.stderr!r}")

    # graph info: directed, out-degrees, weakly connected, T_c = <k>/<k_in k_out>.
    result = subprocess.run([cli, "graph", "info", os.path.join(work, "path.txt"), "--directed", "--arcs",
                             "talks_to", "--json"], capture_output=True, text=True)
    try:
        info = json.loads(result.stdout)
    except json.JSONDecodeError:
        info = {}
    # path 0->1->2->3: <k> = 3/4, <k_in k_out> = 2/4: T_c = 1.5
    check(info.get("directed") is True and info.get("edges") == 3 and info.get("components") == 1 and
          abs(info.get("epidemic_threshold", 0) - 1.5) < 1e-9, f"graph info --directed --json: {result.stdout!r}")
    result = subprocess.run([cli, "graph", "info", csr], capture_output=True, text=True)
    check(result.returncode == 0 and "arcs (directed)" in result.stdout, f"graph info of a directed CSR: {result!r}")

    # Refused: a generated graph asked to be directed.
    bad = write_scenario(work, "bad.toml", "[graph]\nmodel = \"erdos_renyi\"\nmean_degree = 4\ndirected = true\n")
    result = subprocess.run([cli, "run", bad, "-o", os.path.join(work, "bad.h5")], capture_output=True, text=True)
    check(result.returncode == 2 and "graph.directed = true is for a graph file" in result.stderr,
          f"a directed generated graph is refused: {result.stderr!r}")
    return tally.finish()


if __name__ == "__main__":
    sys.exit(main())
