#!/usr/bin/env python3
"""End-to-end check of the memory guard: a run, a graph conversion or a graph file that
needs more memory than the process may use (here limited with `ulimit -v`) is refused
before anything is allocated, in one line with exit status 2 that gives the estimate,
the limit and where it comes from, the keys that drive it and --force; a run that fits
still runs under the same limit; with --force, an allocation that fails ends in one line
"out of memory while ..." with exit status 1 and no temporary file, never the library's
std::bad_alloc; and `run --dry-run` prints what a run would build and need, runs nothing
and writes nothing.

    python3 test_memory_guard.py --cli build/campaign-sim --source-dir . --work-dir /tmp/w

Prints "N passed, N failed" last (and names any check it cannot run here).
"""

import os
import resource
import struct
import subprocess
import sys

from end_to_end import Tally, fresh_dir, parse_args, write_scenario

GB = 10**9
LIMIT = 2 * GB  # ulimit -v for the checks below


def run(cli, args, limit=None):
    def limit_memory():
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    return subprocess.run([cli, *args], capture_output=True, text=True, stdin=subprocess.DEVNULL,
                          timeout=300, preexec_fn=limit_memory if limit else None)


def main():
    args = parse_args()
    tally = Tally()
    check = tally.check
    work = fresh_dir(args.work_dir, "memory")
    out = os.path.join(work, "out.h5")
    source = os.path.join(args.source_dir, "scenarios")

    # --dry-run: what a run needs, without running it.
    for name in sorted(os.listdir(source)):
        if not name.endswith(".toml"):
            continue
        result = run(args.cli, ["run", os.path.join(source, name), "--dry-run"])
        lines = result.stdout.splitlines()
        heads = [line.split()[0] for line in lines if line.strip()]
        check(result.returncode == 0 and heads[:1] == ["scenario"] and "graph" in heads and "work" in heads
              and "memory" in heads and heads[-1] == "limit", f"dry-run {name}: {result.stdout!r} {result.stderr!r}")
    lattice = write_scenario(work, "lattice.toml", "[run]\nreplications = 64\nsteps = 10\n[audience]\nsize = 1000\n"
                             "[graph]\nmodel = \"ring_lattice\"\nk = 3\n")
    result = run(args.cli, ["run", lattice, "--dry-run", "-o", out])
    check("ring_lattice, 1000 people, 3000 edges, mean degree 6.00" in result.stdout,
          f"dry-run states the exact edges of a lattice: {result.stdout!r}")
    check("64 replications x 10 days" in result.stdout, f"dry-run states the work: {result.stdout!r}")
    check(not os.path.exists(out) and os.listdir(work) == ["lattice.toml"], f"dry-run wrote {os.listdir(work)}")

    if args.sanitized:
        for what in ("refusals under ulimit -v", "a run that fits runs under ulimit -v",
                     "out of memory with --force under ulimit -v"):
            tally.skip(what, "AddressSanitizer reserves terabytes of address space")
        return tally.finish()

    def refused(label, result, words):
        lines = result.stderr.strip().splitlines()
        check(result.returncode == 2, f"{label}: exit status {result.returncode} ({result.stderr!r})")
        check(len(lines) == 1 and all(w in lines[0] for w in words),
              f"{label}: one line with {words}: {result.stderr!r}")
        check(sorted(os.listdir(work)) == sorted(kept), f"{label}: files {os.listdir(work)}")

    kept = ["lattice.toml"]
    big = write_scenario(work, "big.toml", "[run]\nreplications = 10\nsteps = 10\n[audience]\nsize = 50000000\n"
                         "[graph]\nmean_degree = 20\n")
    huge = write_scenario(work, "huge.toml", "[audience]\nsize = 2000000000\n")
    steps = write_scenario(work, "steps.toml", "[run]\nsteps = 1000000\nreplications = 2\n[audience]\nsize = 1000\n"
                           "[graph]\nmean_degree = 4\n[diffusion]\nmodel = \"campaign\"\n")
    kept += ["big.toml", "huge.toml", "steps.toml"]
    refused("5e7 people, mean degree 20", run(args.cli, ["run", big, "-o", out], LIMIT),
            ["big.toml: this run needs about", "audience.size", "graph.mean_degree", "--force", "(ulimit -v)"])
    refused("2e9 people", run(args.cli, ["run", huge, "-o", out], LIMIT), ["huge.toml", "audience.size", "(ulimit -v)"])
    refused("steps = 1e6", run(args.cli, ["run", steps, "-o", out], LIMIT), ["statistics", "run.steps", "(ulimit -v)"])
    refused("graph generate", run(args.cli, ["graph", "generate", big, os.path.join(work, "g.csr")], LIMIT),
            ["building this graph needs about", "audience.size", "(ulimit -v)"])

    # A sparse file of 34 GB whose header matches its length: refused from the header alone.
    nodes, arcs = 10**9, 6 * 10**9
    sparse = os.path.join(work, "sparse.csr")
    with open(sparse, "wb") as f:
        f.write(b"CSIMCSR1" + struct.pack("<QQQ", nodes, arcs, 0))
        f.truncate(32 + 8 * (nodes + 1) + 4 * arcs)
    kept.append("sparse.csr")
    refused("graph info on a 34 GB .csr", run(args.cli, ["graph", "info", sparse], LIMIT),
            ["sparse.csr", "graph.path", "(ulimit -v)"])
    on_file = write_scenario(work, "on_file.toml", "[graph]\nmodel = \"edge_list\"\npath = \"sparse.csr\"\n")
    kept.append("on_file.toml")
    refused("run on a 34 GB .csr", run(args.cli, ["run", on_file, "-o", out], LIMIT), ["graph.path", "(ulimit -v)"])

    # What fits still runs under the same limit.
    small = os.path.join(source, "word_of_mouth.toml")
    result = run(args.cli, ["run", small, "-o", out, "-q", "--replications", "50"], LIMIT)
    check(result.returncode == 0 and os.path.isfile(out), f"word_of_mouth under ulimit -v 2 GB: {result.stderr!r}")
    os.remove(out)

    # --force past the guard: the allocation fails, and says so in one line (exit 1). The
    # complete graph on 20,000 people allocates its 1.6 GB of arcs first thing.
    complete = write_scenario(work, "complete.toml", "[audience]\nsize = 20000\n[graph]\nmodel = \"complete\"\n")
    kept.append("complete.toml")
    result = run(args.cli, ["run", complete, "-o", out, "--force"], GB)
    lines = result.stderr.strip().splitlines()
    check(result.returncode == 1, f"--force: exit status {result.returncode} ({result.stderr!r})")
    check(len(lines) == 1 and "out of memory while building the graph" in lines[0] and "estimated peak" in lines[0]
          and "bad_alloc" not in lines[0], f"--force: one line naming the phase: {result.stderr!r}")
    check(sorted(os.listdir(work)) == sorted(kept), f"--force: files {os.listdir(work)}")
    return tally.finish()


if __name__ == "__main__":
    sys.exit(main())
