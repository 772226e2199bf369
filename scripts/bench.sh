#!/usr/bin/env bash
# Macro benchmarks, each ratio measured in the same run:
#   W0        10^5 people, mean degree 20 (quick)
#   W1        10^6 people, 10^7 edges: independent cascade T = 0.1, the campaign model,
#             top-down and direction-optimizing BFS yardsticks, the parallel runner at 1
#             and 2 threads, graph generation
#   ecosystem 10^5 partners x 1,000 followers and 10^6 x 100 over 10^6 people (sparse
#             cooperation, triads counted): drawing them, and a campaign of 100 triad
#             messages a week on the first, with and without word of mouth
#   loading   W1 as a 10^7-edge text edge list and as a binary CSR file
#   --scaling also the cascade from 10^4 to 10^7 people, plotted to scaling.png
# Prints one table and writes results.json and results.csv to $OUT_DIR (default
# build/bench). Never fails on a time: these are measurements, not tests.
#
#   scripts/bench.sh [--scaling]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

BUILD_DIR=${BUILD_DIR:-build}
OUT_DIR=${OUT_DIR:-$BUILD_DIR/bench}
PYTHON=/usr/bin/python3
[[ -x $PYTHON ]] || PYTHON=python3
scaling=0
[[ ${1:-} == --scaling ]] && scaling=1

BUILD_DIR=$BUILD_DIR TARGETS=all scripts/setup.sh >/dev/null
mkdir -p "$OUT_DIR"
bench="$BUILD_DIR/campaign_bench"
cli="$BUILD_DIR/campaign-sim"

run_workload() {  # NAME FILTER
  echo "bench: $1" >&2
  /usr/bin/time -f %M -o "$OUT_DIR/$1.rss" "$bench" --benchmark_filter="$2" \
    --benchmark_out="$OUT_DIR/$1.json" --benchmark_out_format=json >/dev/null
}
# The kernels, yardsticks and generator; loading is timed below through the CLI.
kernels='^BM_(IndependentCascade|CampaignReplication|CascadeRunner|TopDownBfs|DirectionOptimizingBfs|NetworkBassStep|GenerateErdosRenyi)'
run_workload W0 "$kernels/people:100000/"
run_workload W1 "$kernels/people:1000000/"
run_workload ecosystem '^BM_(BuildEcosystem|EcosystemCampaign)/people:1000000/'
if ((scaling)); then
  run_workload scaling '^BM_(IndependentCascade|TopDownBfs)/people:(10000|10000000)/'
fi

# Loading W1: generate it once as text and as binary CSR, then time `graph info` on each.
cat >"$OUT_DIR/w1.toml" <<TOML
[run]
seed = 1
[audience]
size = 1000000
[graph]
model = "erdos_renyi"
mean_degree = 20
TOML
[[ -f $OUT_DIR/w1.edges ]] || "$cli" graph generate "$OUT_DIR/w1.toml" "$OUT_DIR/w1.edges" >/dev/null
[[ -f $OUT_DIR/w1.csr ]] || "$cli" graph convert "$OUT_DIR/w1.edges" "$OUT_DIR/w1.csr" >/dev/null
for format in edges csr; do
  echo "bench: load W1.$format" >&2
  /usr/bin/time -f "%e %M" -o "$OUT_DIR/load_$format.time" "$cli" graph info "$OUT_DIR/w1.$format" >/dev/null
done

"$PYTHON" scripts/bench_report.py "$OUT_DIR" --threads "$(nproc)"
