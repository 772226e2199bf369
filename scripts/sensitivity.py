#!/usr/bin/env python3
"""Which parameters matter: global sensitivity of a sweep's metric to its varied keys,
from a sampled design (--design lhs, sobol or random; a grid works too).

    scripts/sensitivity.py OUT.h5 --metric profit [--bootstrap 2000] [--seed 1]

For each varied numeric key it prints two coefficients with 95% bootstrap confidence
intervals (resampling the design points):
  SRC   standardised regression coefficient: the slope of the metric's variant means on
        the key in a linear regression on all keys at once, in standard deviations of the
        metric per standard deviation of the key. With a near-linear response, SRC^2 is
        the key's share of the variance (the sum of SRC^2 is about the regression's R^2,
        printed too).
  rho   Spearman's rank correlation of the key with the metric: monotone effects,
        whatever their shape.
Keys are sorted by |SRC|. A coefficient whose interval contains 0 is marked "~0".
Only done variants count; a key varied on a log scale (lo:hi:log or lo:hi:n:log) is
regressed on its logarithm.
Needs Debian's python3-h5py and python3-numpy.
"""

import argparse
import os
import sys

SYSTEM_PYTHON = "/usr/bin/python3"
PROG = "sensitivity.py"


def fail(message, code=1):
    print(f"{PROG}: error: {message}", file=sys.stderr)
    sys.exit(code)


try:
    import h5py
    import numpy as np
except ImportError as error:
    if os.path.exists(SYSTEM_PYTHON) and os.path.abspath(sys.executable) != SYSTEM_PYTHON \
            and not os.environ.get("CAMPAIGN_SENSITIVITY_REEXEC"):
        os.environ["CAMPAIGN_SENSITIVITY_REEXEC"] = "1"
        os.execv(SYSTEM_PYTHON, [SYSTEM_PYTHON, os.path.abspath(__file__), *sys.argv[1:]])
    fail(f"cannot import {error.name}: apt-get install python3-h5py python3-numpy", code=2)

FIXED = {"id", "name", "replications", "status", "target_reached"}


def ranks(x):
    order = np.argsort(x, kind="stable")
    r = np.empty(len(x))
    r[order] = np.arange(len(x))
    # ties: average ranks
    values, inverse, counts = np.unique(x, return_inverse=True, return_counts=True)
    if len(values) < len(x):
        sums = np.zeros(len(values))
        np.add.at(sums, inverse, r)
        r = (sums / counts)[inverse]
    return r


def coefficients(X, y):
    """(SRC per column, R^2, Spearman rho per column)."""
    Xs = (X - X.mean(axis=0)) / X.std(axis=0)
    ys = (y - y.mean()) / y.std()
    A = np.column_stack([np.ones(len(ys)), Xs])
    beta, *_ = np.linalg.lstsq(A, ys, rcond=None)
    fitted = A @ beta
    r2 = 1 - np.sum((ys - fitted) ** 2) / np.sum(ys ** 2)
    ry = ranks(y)
    rho = np.array([np.corrcoef(ranks(X[:, j]), ry)[0, 1] for j in range(X.shape[1])])
    return beta[1:], r2, rho


def main():
    parser = argparse.ArgumentParser(prog=PROG, description=__doc__.split("\n\n")[0])
    parser.add_argument("file")
    parser.add_argument("--metric", required=True)
    parser.add_argument("--bootstrap", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    try:
        f = h5py.File(args.file, "r")
    except OSError as error:
        fail(f"{args.file}: cannot open: {error}")
    with f:
        if "sweep" not in f:
            fail(f"{args.file}: not a sweep's file (no /sweep)")
        table = f["sweep/table"][()]
        manifest = f["sweep"].attrs["manifest"]
    # Keys varied on a log scale (":log" in the design, as the manifest records it).
    design = next((line.split("=", 1)[1].strip().strip("'\"") for line in manifest.splitlines()
                   if line.startswith("design")), "")
    log_keys = {token.split("=", 1)[0] for token in design.split() if token.endswith(":log")}
    names = table.dtype.names
    column = args.metric + "_mean"
    if column not in names:
        metrics = sorted(n[:-5] for n in names if n.endswith("_mean"))
        fail(f"--metric {args.metric}: not in the table; metrics: {', '.join(metrics)}")
    done = np.array([s == b"done" for s in table["status"]])
    keys = [n for n in names if n not in FIXED and not any(n.endswith(s) for s in ("_mean", "_sd", "_ci95_lo",
                                                                                       "_ci95_hi"))]
    numeric = [k for k in keys if table[k].dtype.kind in "fiu" and len(np.unique(table[k][done])) > 1]
    if not numeric:
        fail("no numeric key varies in this sweep")
    y = table[column][done].astype(float)
    ok = np.isfinite(y)
    X = np.column_stack([table[k][done].astype(float) for k in numeric])[ok]
    y = y[ok]
    logged = []
    for j, k in enumerate(numeric):
        if k in log_keys and X[:, j].min() > 0:
            X[:, j] = np.log(X[:, j])
            logged.append(k)
    n = len(y)
    if n < len(numeric) + 3:
        fail(f"{n} finished variants are too few for {len(numeric)} keys")
    src, r2, rho = coefficients(X, y)
    rng = np.random.default_rng(args.seed)
    boot_src, boot_rho = [], []
    for _ in range(args.bootstrap):
        i = rng.integers(0, n, n)
        if np.any(X[i].std(axis=0) == 0) or y[i].std() == 0:
            continue
        s, _, r = coefficients(X[i], y[i])
        boot_src.append(s)
        boot_rho.append(r)
    lo_s, hi_s = np.percentile(boot_src, [2.5, 97.5], axis=0)
    lo_r, hi_r = np.percentile(boot_rho, [2.5, 97.5], axis=0)
    print(f"{args.metric}: {n} variants, {len(numeric)} keys; linear regression R^2 = {r2:.3f} "
          f"(95% bootstrap intervals, {len(boot_src)} resamples)")
    width = max(len(k) for k in numeric) + (6 if logged else 0)
    print(f"{'key':<{width}}  {'SRC':>7}  {'95% CI':^17}  {'rho':>6}  {'95% CI':^15}")
    for j in np.argsort(-np.abs(src)):
        key = numeric[j] + (" (log)" if numeric[j] in logged else "")
        zero = " ~0" if lo_s[j] <= 0 <= hi_s[j] else ""
        print(f"{key:<{width}}  {src[j]:+7.3f}  [{lo_s[j]:+6.3f}, {hi_s[j]:+6.3f}]  {rho[j]:+6.3f}  "
              f"[{lo_r[j]:+5.2f}, {hi_r[j]:+5.2f}]{zero}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
