#!/usr/bin/env python3
"""Table of the macro benchmarks written by scripts/bench.sh (Google Benchmark JSON,
peak RSS files and load timings in one folder): prints it and writes results.json and
results.csv beside the inputs; with scaling results, also scaling.png.

    python3 scripts/bench_report.py build/bench --threads 2
"""

import argparse
import csv
import json
import os
import re
import sys


def load_benchmarks(path):
    with open(path) as f:
        data = json.load(f)
    rows = {}
    for b in data["benchmarks"]:
        name = re.sub(r"/real_time$", "", b["name"])
        rows[name] = b
    return rows, data.get("context", {})


def ms(b):
    factor = {"ns": 1e-6, "us": 1e-3, "ms": 1.0, "s": 1e3}[b.get("time_unit", "ns")]
    return b["real_time"] * factor


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("folder")
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    out = []
    for workload, people in (("W0", 100_000), ("W1", 1_000_000)):
        path = os.path.join(args.folder, f"{workload}.json")
        if not os.path.exists(path):
            continue
        rows, _ = load_benchmarks(path)
        with open(os.path.join(args.folder, f"{workload}.rss")) as f:
            rss_mb = int(f.read().split()[-1]) / 1024
        key = f"people:{people}/degree:20"
        top_down = ms(rows[f"BM_TopDownBfs/{key}"])
        direction = ms(rows[f"BM_DirectionOptimizingBfs/{key}"])
        for kernel, name, threads in (
            ("independent cascade, 1 replication", f"BM_IndependentCascade/{key}", 1),
            ("campaign model, 1 replication", f"BM_CampaignReplication/{key}", 1),
            ("runner, {} cascades", f"BM_CascadeRunner/{key}/threads:1", 1),
            ("runner, {} cascades", f"BM_CascadeRunner/{key}/threads:2", 2),
            ("top-down BFS (yardstick)", f"BM_TopDownBfs/{key}", 1),
            ("direction-optimizing BFS (yardstick)", f"BM_DirectionOptimizingBfs/{key}", 1),
            ("generate the graph", f"BM_GenerateErdosRenyi/{key}", 1),
        ):
            b = rows.get(name)
            if b is None:
                continue
            # A runner iteration runs several replications: as many as its rate says.
            replications = round(b.get("replications/s", 0.0) * ms(b) / 1000) if "runner" in kernel else 1
            per_replication = ms(b) / replications
            out.append({
                "workload": workload, "kernel": kernel.format(replications), "threads": threads,
                "wall_ms": round(ms(b), 2),
                "replications_per_s": round(b.get("replications/s", 0.0), 3) or None,
                "arcs_per_s": round(b["arcs/s"]) if "arcs/s" in b else None,
                "per_replication_vs_top_down_bfs": round(per_replication / top_down, 3),
                "per_replication_vs_direction_optimizing_bfs": round(per_replication / direction, 3),
                "peak_rss_mb": round(rss_mb, 1),
            })
    # The partner ecosystem at scale: drawing it, and a campaign on it with and without
    # word of mouth (the difference is word of mouth's share of the time).
    path = os.path.join(args.folder, "ecosystem.json")
    if os.path.exists(path):
        rows, _ = load_benchmarks(path)
        with open(os.path.join(args.folder, "ecosystem.rss")) as f:
            rss_mb = int(f.read().split()[-1]) / 1024
        for name, b in rows.items():
            m = re.match(r"BM_BuildEcosystem/people:(\d+)/partners:(\d+)/followers:(\d+)", name)
            if m:
                out.append({"workload": "eco", "kernel": f"draw {int(m.group(2)):,} partners x {int(m.group(3)):,} followers",
                            "threads": args.threads, "wall_ms": round(ms(b), 1), "replications_per_s": None,
                            "arcs_per_s": None, "per_replication_vs_top_down_bfs": None,
                            "per_replication_vs_direction_optimizing_bfs": None, "peak_rss_mb": round(rss_mb, 1),
                            "note": f"followers {b['follower_bytes/link']:.2f} B/link, all {b['bytes/link']:.2f} B/link, "
                                    f"{b['links/s'] / 1e6:.1f}M links/s, "
                                    f"{b['valid_triads']:.0f} valid triads"})
        for partners in sorted({int(x) for x in re.findall(r"BM_EcosystemCampaign/people:\d+/partners:(\d+)/", " ".join(rows))}):
            runs = {wom: b for name, b in rows.items()
                    for wom in ("0", "1") if re.match(rf"BM_EcosystemCampaign/people:\d+/partners:{partners}/followers:\d+/wom:{wom}", name)}
            if set(runs) != {"0", "1"}:
                continue
            media, full = ms(runs["0"]), ms(runs["1"])
            out.append({"workload": "eco", "kernel": f"campaign on {partners:,} partners, 100 msgs/week",
                        "threads": 1, "wall_ms": round(full, 1),
                        "replications_per_s": round(runs["1"]["replications/s"], 3), "arcs_per_s": None,
                        "per_replication_vs_top_down_bfs": None, "per_replication_vs_direction_optimizing_bfs": None,
                        "peak_rss_mb": round(rss_mb, 1),
                        "note": f"{runs['0']['exposures/s'] / 1e6:.1f}M exposures/s (media alone {media:.0f} ms); "
                                f"word of mouth {max(0.0, full - media) / full:.0%} of the time"})
    for fmt in ("edges", "csr"):
        path = os.path.join(args.folder, f"load_{fmt}.time")
        if os.path.exists(path):
            with open(path) as f:
                seconds, rss_kb = f.read().split()[-2:]
            out.append({"workload": "W1", "kernel": f"load {'text edge list' if fmt == 'edges' else 'binary CSR'}",
                        "threads": args.threads, "wall_ms": round(float(seconds) * 1000, 1),
                        "replications_per_s": None, "arcs_per_s": None,
                        "per_replication_vs_top_down_bfs": None,
                        "per_replication_vs_direction_optimizing_bfs": None,
                        "peak_rss_mb": round(int(rss_kb) / 1024, 1)})

    header = ["workload", "kernel", "threads", "wall_ms", "replications_per_s", "arcs_per_s",
              "per_replication_vs_top_down_bfs", "per_replication_vs_direction_optimizing_bfs",
              "peak_rss_mb", "note"]
    shown = ["workload", "kernel", "thr", "wall ms", "repl/s", "arcs/s", "x TD-BFS", "x DO-BFS", "RSS MB", "note"]
    widths = [8, 38, 3, 10, 8, 10, 8, 8, 8, 0]
    for row in out:
        row.setdefault("note", None)

    def cell(value):
        if value is None:
            return "-"
        if isinstance(value, float) and value >= 1e6:
            return f"{value / 1e6:.1f}M"
        if isinstance(value, int) and value >= 1e6:
            return f"{value / 1e6:.1f}M"
        return str(value)

    print("  ".join(h.ljust(w) for h, w in zip(shown, widths)))
    for row in out:
        print("  ".join(cell(row[h]).ljust(w) for h, w in zip(header, widths)))
    with open(os.path.join(args.folder, "results.json"), "w") as f:
        json.dump(out, f, indent=1)
    with open(os.path.join(args.folder, "results.csv"), "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=header)
        writer.writeheader()
        writer.writerows(out)
    print(f"wrote {os.path.join(args.folder, 'results.json')} and results.csv")
    plot_scaling(args.folder)
    return 0


def plot_scaling(folder):
    points = {}
    for name in ("W0", "W1", "scaling"):
        path = os.path.join(folder, f"{name}.json")
        if not os.path.exists(path):
            continue
        rows, _ = load_benchmarks(path)
        for key, b in rows.items():
            m = re.match(r"BM_(IndependentCascade|TopDownBfs)/people:(\d+)/", key)
            if m:
                points.setdefault(m.group(1), {})[int(m.group(2))] = 1000.0 / ms(b)
    if len(points.get("IndependentCascade", {})) < 3:
        return
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(figsize=(7, 4.5))
    labels = {"IndependentCascade": "independent cascade (replications/s)",
              "TopDownBfs": "top-down BFS (searches/s)"}
    for kernel, series in sorted(points.items()):
        xs = sorted(series)
        ax.loglog(xs, [series[x] for x in xs], "o-", label=labels[kernel])
    ax.set_xlabel("people (Erdős–Rényi, mean degree 20)")
    ax.set_ylabel("per second, 1 thread")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(os.path.join(folder, "scaling.png"), dpi=120)
    print(f"wrote {os.path.join(folder, 'scaling.png')}")


if __name__ == "__main__":
    sys.exit(main())
