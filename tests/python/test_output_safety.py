#!/usr/bin/env python3
"""End-to-end check that no command destroys what a user owns: every command that writes
refuses, before any work and in one line with exit status 2, an output that is one of
its inputs (by device and inode: the same name, a hard link, a symbolic link), that
exists and is not a regular file (a character device such as a copy of /dev/null made
with mknod, a FIFO, a socket, a directory), that looks like an option, or whose
extension contradicts what it writes (unless --force). A symbolic link is followed (its
target is written, the link stays); `graph generate ... -` streams the edge list to
standard output; two processes writing one output at once both finish without
disturbing each other's temporary files.

    python3 test_output_safety.py --cli build/campaign-sim --source-dir . --work-dir /tmp/w

Prints "N passed, N failed" last (and names any check it cannot run here).
"""

import hashlib
import os
import socket
import stat
import subprocess
import sys

from end_to_end import Tally, fresh_dir, cascade_scenario, parse_args, write_scenario

SCENARIO = cascade_scenario(replications=20, steps=5, seed=3, people=500, seeds=2)
EDGES = "0 1\n1 2\n2 3\n3 0\n0 2\n"


def run(cli, *args):
    return subprocess.run([cli, *args], capture_output=True, text=True, stdin=subprocess.DEVNULL,
                          timeout=120)


def digest(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def main():
    args = parse_args()
    tally = Tally()
    check = tally.check
    work = fresh_dir(args.work_dir, "safety")
    scenario = write_scenario(work, "s.toml", SCENARIO)
    edges = write_scenario(work, "e.edges", EDGES)
    before = {p: digest(p) for p in (scenario, edges)}

    def refused(label, result, words):
        lines = result.stderr.strip().splitlines()
        check(result.returncode == 2, f"{label}: exit status {result.returncode} ({result.stderr!r})")
        check(len(lines) == 1 and all(w in lines[0] for w in words),
              f"{label}: one line with {words}: {result.stderr!r}")

    def inputs_intact(label):
        for path, value in before.items():
            check(os.path.isfile(path) and not os.path.islink(path) and digest(path) == value,
                  f"{label}: {os.path.basename(path)} unchanged")

    def no_temporaries(label):
        temps = [n for n in os.listdir(work) if ".tmp-" in n]
        check(temps == [], f"{label}: temporary files left: {temps}")

    # The output is an input: by name, through a hard link, through a symbolic link.
    os.link(scenario, os.path.join(work, "hard.h5"))
    os.symlink("s.toml", os.path.join(work, "soft.h5"))
    for label, command in [
        ("run -o SCENARIO", ["run", scenario, "-o", scenario]),
        ("run -o hard link to SCENARIO", ["run", scenario, "-o", os.path.join(work, "hard.h5")]),
        ("run -o symbolic link to SCENARIO", ["run", scenario, "-o", os.path.join(work, "soft.h5")]),
        ("graph generate S S", ["graph", "generate", scenario, scenario, "--force"]),
        ("graph convert E E", ["graph", "convert", edges, edges, "--force"]),
    ]:
        refused(label, run(args.cli, *command), ["is the input file", "would destroy the input"])
        inputs_intact(label)
    os.remove(os.path.join(work, "hard.h5"))
    os.remove(os.path.join(work, "soft.h5"))

    # An existing path that is not a regular file.
    fifo = os.path.join(work, "pipe.h5")
    os.mkfifo(fifo)
    sock = socket.socket(socket.AF_UNIX)
    sock_path = os.path.join(work, "sock.h5")
    sock.bind(sock_path)
    os.makedirs(os.path.join(work, "dir.h5"))
    specials = [("a FIFO", fifo, "FIFO", stat.S_ISFIFO), ("a socket", sock_path, "socket", stat.S_ISSOCK),
                ("a directory", os.path.join(work, "dir.h5"), "directory", stat.S_ISDIR)]
    if os.geteuid() == 0:
        device = os.path.join(work, "null.h5")
        os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # a copy of /dev/null
        specials.append(("a character device", device, "character device", stat.S_ISCHR))
    else:
        tally.skip("output onto a character device (a mknod copy of /dev/null)", "needs root")
    for label, path, kind, is_kind in specials:
        refused(f"run -o {label}", run(args.cli, "run", scenario, "-o", path), [kind, "only a regular file"])
        check(is_kind(os.lstat(path).st_mode), f"{label} is still {kind}")
    refused("graph convert E .", run(args.cli, "graph", "convert", edges, "."), ["is a directory"])
    refused("graph generate S DIR", run(args.cli, "graph", "generate", scenario, os.path.join(work, "dir.h5"), "--force"),
            ["is a directory"])
    sock.close()
    no_temporaries("special files")
    # A graph file is read twice (its size, then its edges): a FIFO is refused, not waited on.
    on_fifo = write_scenario(work, "on_fifo.toml", "[graph]\nmodel = \"edge_list\"\npath = \"pipe.h5\"\n")
    refused("a FIFO as the graph file", run(args.cli, "run", on_fifo, "-o", os.path.join(work, "o.h5")),
            ["not a regular file"])
    refused("graph info on a FIFO", run(args.cli, "graph", "info", fifo), ["not a regular file"])

    # Names that are options or standard output, and extensions that contradict the format.
    refused("run -o -", run(args.cli, "run", scenario, "-o", "-"), ["cannot be written to standard output"])
    result = run(args.cli, "graph", "generate", scenario, "--set")
    check(result.returncode == 2 and not os.path.exists("--set") and not os.path.exists(os.path.join(work, "--set")),
          f"graph generate S --set: {result.returncode} {result.stderr!r}")
    refused("run -o -x.h5", run(args.cli, "run", scenario, "-o", "-x.h5"), ["looks like an option"])
    refused("run -o results.csv", run(args.cli, "run", scenario, "-o", os.path.join(work, "results.csv")),
            [".csv", "does not fit an HDF5 results file", "--force"])
    refused("graph convert E out.txt", run(args.cli, "graph", "convert", edges, os.path.join(work, "out.txt")),
            ["does not fit a binary CSR graph"])
    refused("graph generate S out.h5", run(args.cli, "graph", "generate", scenario, os.path.join(work, "out.h5")),
            ["does not fit a plain-text edge list"])
    forced = run(args.cli, "run", scenario, "-o", os.path.join(work, "results.csv"), "-q", "--force")
    check(forced.returncode == 0 and os.path.isfile(os.path.join(work, "results.csv")),
          f"--force writes results.csv anyway: {forced.stderr!r}")
    os.remove(os.path.join(work, "results.csv"))
    check(not any(os.path.exists(os.path.join(work, n)) for n in ("out.txt", "out.h5", "-x.h5")),
          "refused outputs were not created")

    # A symbolic link as the output: its target is written, the link stays.
    target = os.path.join(work, "target.h5")
    with open(target, "w") as f:
        f.write("old results")
    link = os.path.join(work, "link.h5")
    os.symlink("target.h5", link)
    result = run(args.cli, "run", scenario, "-o", link, "-q")
    check(result.returncode == 0, f"run -o link.h5: {result.stderr!r}")
    check(os.path.islink(link) and os.readlink(link) == "target.h5", "the link is still a link to target.h5")
    with open(target, "rb") as f:
        check(f.read(8) == b"\x89HDF\r\n\x1a\n", "the link's target now holds the HDF5 results")
    dangling = os.path.join(work, "dangling.h5")
    os.symlink("new.h5", dangling)
    result = run(args.cli, "run", scenario, "-o", dangling, "-q")
    check(result.returncode == 0 and os.path.islink(dangling) and os.path.isfile(os.path.join(work, "new.h5")),
          f"a dangling link's target is created: {result.stderr!r}")

    # Standard output for a text edge list.
    streamed = run(args.cli, "graph", "generate", scenario, "-")
    saved = run(args.cli, "graph", "generate", scenario, os.path.join(work, "g.edges"))
    with open(os.path.join(work, "g.edges")) as f:
        check(streamed.returncode == 0 and saved.returncode == 0 and streamed.stdout == f.read()
              and streamed.stdout.count("\n") > 100, "graph generate S - streams the same edge list")
    check("graph     erdos_renyi" in streamed.stderr, f"the summary goes to stderr: {streamed.stderr!r}")

    # Two processes writing one output at once: both finish, the file is whole, nothing left.
    shared = os.path.join(work, "shared.h5")
    processes = [subprocess.Popen([args.cli, "run", scenario, "-o", shared, "-q"], stderr=subprocess.PIPE,
                                  text=True) for _ in range(4)]
    statuses = [p.wait(timeout=120) for p in processes]
    check(statuses == [0, 0, 0, 0], f"concurrent writers: {statuses} {[p.stderr.read() for p in processes]}")
    with open(shared, "rb") as f:
        check(f.read(8) == b"\x89HDF\r\n\x1a\n", "concurrent writers: the file is a whole HDF5 file")
    no_temporaries("concurrent writers")
    inputs_intact("at the end")
    return tally.finish()


if __name__ == "__main__":
    sys.exit(main())
