"""What the end-to-end checks share: their command line, a scenario file in the work
directory, a results file's snapshot for bit-for-bit comparisons, and a tally of checks
that ends with the "N passed, N failed" line."""

import argparse
import os
import shutil


def parse_args():
    """--cli (the campaign-sim binary), --source-dir and --work-dir (created), and
    --sanitized when the binary is built with AddressSanitizer (which reserves terabytes
    of address space, so checks under `ulimit -v` cannot run)."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--cli", required=True)
    parser.add_argument("--source-dir", required=True)
    parser.add_argument("--work-dir", required=True)
    parser.add_argument("--sanitized", action="store_true")
    args = parser.parse_args()
    os.makedirs(args.work_dir, exist_ok=True)
    return args


def cascade_scenario(replications, steps, seed, people, seeds, transmission=None):
    """A small independent cascade on an Erdos-Renyi graph of mean degree 6."""
    text = (f"[run]\nreplications = {replications}\nsteps = {steps}\nseed = {seed}\n"
            f"[audience]\nsize = {people}\n[graph]\nmean_degree = 6\n[seeding]\ncount = {seeds}\n")
    if transmission is not None:
        text += f"[diffusion]\ntransmission = {transmission}\n"
    return text


def fresh_dir(work_dir, name):
    """work_dir/name, emptied."""
    path = os.path.join(work_dir, name)
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path)
    return path


def write_scenario(work_dir, name, text):
    path = os.path.join(work_dir, name)
    with open(path, "w") as f:
        f.write(text)
    return path


VOLATILE_ATTRIBUTES = {("/", "created_utc")}  # docs/hdf5-layout.md


def snapshot(path):
    """Every attribute and dataset of the file, by path, as comparable values (h5py and
    numpy are imported here: the checks that do not compare files do not need them)."""
    import h5py
    import numpy as np
    items = {}

    def attributes(name, obj):
        for key, value in obj.attrs.items():
            if (name, key) in VOLATILE_ATTRIBUTES:
                continue
            items[("attr", name, key)] = value.tobytes() if isinstance(value, np.ndarray) else value

    with h5py.File(path, "r") as f:
        attributes("/", f)

        def visit(name, obj):
            attributes("/" + name, obj)
            if isinstance(obj, h5py.Dataset):
                data = obj[()]
                items[("data", name)] = (str(obj.dtype), data.tobytes() if data.dtype.kind != "O"
                                         and not data.dtype.names else repr(data.tolist()))

        f.visititems(visit)
    return items


def differences(a, b):
    keys = sorted(set(a) | set(b), key=str)
    return [k for k in keys if a.get(k, "<missing>") != b.get(k, "<missing>")]


class Tally:
    def __init__(self):
        self.passed = self.failed = self.skipped = 0

    def check(self, condition, what):
        if condition:
            self.passed += 1
        else:
            self.failed += 1
            print("FAILED:", what)
        return condition

    def skip(self, what, why):
        """A check that cannot run here, said aloud (never skipped silently)."""
        self.skipped += 1
        print(f"SKIPPED: {what}: {why}")

    def finish(self):
        """Prints the summary line; the exit status: 1 if any check failed."""
        skipped = f" ({self.skipped} skipped, listed above)" if self.skipped else ""
        print(f"{self.passed} passed, {self.failed} failed{skipped}")
        return 1 if self.failed else 0
