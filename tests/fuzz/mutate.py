#!/usr/bin/env python3
"""Mutation fuzzing of everything campaign-sim reads: scenario files, partner tables,
edge lists (plain and gzip) and binary CSR files. Each round takes a file of the corpus
(tests/fuzz/corpus, plus a .gz and a .csr made from it), mutates its bytes (bit flips,
random and "interesting" bytes and tokens such as nan, 1e308, 2^64, NUL, terminal
escapes, cuts, deletions, duplications, line swaps) and runs the command that reads it:

    run SCENARIO --dry-run, graph info SCENARIO       for scenarios and partner tables
    graph info FILE, graph convert FILE OUT.csr,
    run (a small network on FILE) -o OUT.h5          for edge lists and CSR files

A run passes when the command exits 0, 1 or 2 (never by a signal, never hanging past the
timeout); on 0 it prints nothing on stderr, otherwise exactly one line "campaign-sim:
..." of at most 320 characters; and it leaves no temporary file. Under the sanitizers
any report fails the run too. Each failing input is saved with its command in
WORK/findings/ and the script exits 1.

    python3 tests/fuzz/mutate.py --cli build/campaign-sim --work-dir /tmp/fuzz --seconds 30
    scripts/fuzz.sh                  # longer, on the Release and the sanitizer builds

Reproducible: the same --seed gives the same mutants in the same order. Prints
"N passed, N failed" last.
"""

import argparse
import gzip
import os
import random
import re
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(HERE, "corpus")

TOKENS = [b"nan", b"-nan", b"inf", b"-inf", b"1e308", b"-1e308", b"1e-320", b"-1", b"0", b"-0",
          b"18446744073709551616", b"9223372036854775807", b"2000000000", b"4294967295", b".5",
          b"1e3", b"0x10", b"\x00", b"\xff\xfe", b"\xc3", b"\xc2\x9b", b"\x1b[2J", b"\r", b"\n",
          b"\t", b"[", b"]", b"{", b"}", b"\"", b"'", b"=", b",", b"#", b"%", b"[run]",
          b"[graph]", b"[agency]", b"model = \"edge_list\"", b"model = \"campaign\"",
          b"steps = 1000000", b"size = 2000000000", b"owner+source+channel", b"+", b"\\u0000"]
NUMBERS = [b"nan", b"inf", b"1e308", b"-1", b"0", b"18446744073709551616", b"2147483648",
           b"4294967296", b"9223372036854775808", b"1e12", b"1e13", b"3.5", b".5", b"1e3",
           b"99999999999999999999", b"0.0000001"]


def mutate(data, rng):
    data = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        op = rng.randrange(10)
        at = rng.randrange(len(data) + 1)
        if op == 0 and data:  # flip a bit
            i = rng.randrange(len(data))
            data[i] ^= 1 << rng.randrange(8)
        elif op == 1 and data:  # a random byte
            data[rng.randrange(len(data))] = rng.randrange(256)
        elif op == 2:  # insert random bytes
            data[at:at] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))
        elif op == 3 and data:  # delete a range
            data[at:at + rng.randint(1, 32)] = b""
        elif op == 4 and data:  # duplicate a range
            end = min(len(data), at + rng.randint(1, 64))
            data[end:end] = data[at:end]
        elif op == 5:  # cut the file short
            del data[at:]
        elif op == 6:  # an interesting token
            data[at:at] = rng.choice(TOKENS)
        elif op == 7:  # replace a number by an interesting one
            numbers = list(re.finditer(rb"-?\d+(\.\d+)?(e-?\d+)?", bytes(data)))
            if numbers:
                m = rng.choice(numbers)
                data[m.start():m.end()] = rng.choice(NUMBERS)
        elif op == 8:  # swap two lines
            lines = bytes(data).split(b"\n")
            if len(lines) > 2:
                i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
                lines[i], lines[j] = lines[j], lines[i]
                data = bytearray(b"\n".join(lines))
        elif op == 9 and rng.random() < 0.1:  # a long run, now and then
            data[at:at] = bytes([rng.choice(b"x9[\"\n\x00")]) * rng.choice([1000, 100_000])
    return bytes(data)


class Fuzzer:
    def __init__(self, cli, work, timeout, sanitized):
        self.cli, self.work, self.timeout = cli, work, timeout
        self.env = dict(os.environ)
        if sanitized:
            self.env["ASAN_OPTIONS"] = "exitcode=86:abort_on_error=0"
            self.env["UBSAN_OPTIONS"] = "print_stacktrace=1"
        self.passed = self.failed = 0
        self.findings = os.path.join(work, "findings")

    def check(self, command, inputs):
        """Runs one command in the sandbox and judges it; returns the reason it failed."""
        try:
            result = subprocess.run(command, cwd=self.sandbox, capture_output=True, timeout=self.timeout,
                                    stdin=subprocess.DEVNULL, env=self.env)
        except subprocess.TimeoutExpired:
            return f"no answer within {self.timeout} s"
        err = result.stderr.decode("utf-8", "replace")
        lines = err.splitlines()
        temps = [n for n in os.listdir(self.sandbox) if ".tmp-" in n]
        if result.returncode < 0:
            return f"killed by signal {-result.returncode}: {err[-2000:]}"
        if result.returncode not in (0, 1, 2):
            return f"exit status {result.returncode}: {err[-2000:]}"
        if result.returncode == 0 and err:
            return f"exit 0 with stderr: {err[:500]!r}"
        if result.returncode != 0 and (len(lines) != 1 or not lines[0].startswith("campaign-sim: ")
                                       or len(lines[0]) > 320):
            return f"not one short line on stderr: {err[:1000]!r}"
        if temps:
            return f"temporary files left: {temps}"
        return None

    def record(self, reason, command, files):
        self.failed += 1
        os.makedirs(self.findings, exist_ok=True)
        case = os.path.join(self.findings, f"{self.failed:03d}")
        os.makedirs(case, exist_ok=True)
        for name in files:
            shutil.copy(os.path.join(self.sandbox, name), case)
        with open(os.path.join(case, "command.txt"), "w") as f:
            f.write(" ".join(command) + "\n" + reason + "\n")
        print(f"FAILED: {' '.join(command)}: {reason[:300]} (input saved in {case})")

    def prepare(self):
        """A fresh sandbox with the corpus, its .gz and .csr forms."""
        self.sandbox = os.path.join(self.work, "sandbox")
        shutil.rmtree(self.sandbox, ignore_errors=True)
        shutil.copytree(CORPUS, self.sandbox)
        with open(os.path.join(self.sandbox, "net.edges"), "rb") as f:
            text = f.read()
        with open(os.path.join(self.sandbox, "net.edges.gz"), "wb") as f:
            f.write(gzip.compress(text, mtime=0))
        subprocess.run([self.cli, "graph", "convert", "net.edges", "net.csr"], cwd=self.sandbox, check=True,
                       capture_output=True)
        with open(os.path.join(self.sandbox, "on_file.toml"), "w") as f:
            f.write("[run]\nreplications = 2\nsteps = 3\n[graph]\nmodel = \"edge_list\"\npath = \"mutant.graph\"\n"
                    "[seeding]\ncount = 1\n")
        self.seeds = {}
        for name in ("cascade.toml", "campaign.toml", "network.toml", "partners.csv", "net.edges",
                     "net.edges.gz", "net.csr"):
            with open(os.path.join(self.sandbox, name), "rb") as f:
                self.seeds[name] = f.read()

    def round(self, rng):
        name = rng.choice(sorted(self.seeds))
        mutant = mutate(self.seeds[name], rng)
        if name.endswith(".gz") and rng.random() < 0.5:  # mutate the text, then compress it
            mutant = gzip.compress(mutate(gzip.decompress(self.seeds[name]), rng), mtime=0)
        if name.endswith(".toml"):
            target = "mutant.toml"
            commands = [["run", target, "--dry-run"], ["graph", "info", target]]
        elif name == "partners.csv":
            target = "partners.csv"
            commands = [["run", "campaign.toml", "--dry-run"]]
        else:
            target = "mutant.graph"
            commands = [["graph", "info", target], ["graph", "convert", target, "out.csr"],
                        ["run", "on_file.toml", "-o", "out.h5", "-q"]]
        with open(os.path.join(self.sandbox, target), "wb") as f:
            f.write(mutant)
        files = [target] + (["campaign.toml"] if name == "partners.csv" else [])
        for args in commands:
            command = [self.cli] + args
            reason = self.check(command, files)
            if reason:
                self.record(reason, command, files)
            else:
                self.passed += 1
            for leftover in ("out.csr", "out.h5"):
                path = os.path.join(self.sandbox, leftover)
                if os.path.exists(path):
                    os.remove(path)
        if name == "partners.csv":  # put the seed back for the scenarios that use it
            with open(os.path.join(self.sandbox, "partners.csv"), "wb") as f:
                f.write(self.seeds["partners.csv"])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cli", required=True)
    parser.add_argument("--work-dir", required=True)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--timeout", type=float, default=60, help="seconds one command may take")
    parser.add_argument("--sanitized", action="store_true", help="the binary has the sanitizers")
    # Accepted for a uniform command line with the other end-to-end checks.
    parser.add_argument("--source-dir")
    args = parser.parse_args()
    os.makedirs(args.work_dir, exist_ok=True)
    fuzzer = Fuzzer(os.path.abspath(args.cli), os.path.abspath(args.work_dir), args.timeout, args.sanitized)
    fuzzer.prepare()
    rng = random.Random(args.seed)
    start = time.monotonic()
    rounds = 0
    while time.monotonic() - start < args.seconds:
        fuzzer.round(rng)
        rounds += 1
    print(f"{rounds} mutants, {fuzzer.passed + fuzzer.failed} commands in {time.monotonic() - start:.0f} s "
          f"(seed {args.seed})")
    print(f"{fuzzer.passed} passed, {fuzzer.failed} failed")
    return 1 if fuzzer.failed else 0


if __name__ == "__main__":
    sys.exit(main())
