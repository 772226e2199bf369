#!/usr/bin/env bash
# Mutation fuzzing of every reader (scenario files, partner tables, edge lists, gzip and
# CSR files) for longer than CI does: on the Release build, then on the sanitizer build
# (built if missing). Failing inputs are kept in build*/fuzz-long/findings/.
#
#   scripts/fuzz.sh                 # 10 minutes on each build
#   SECONDS_EACH=3600 SEED=9 scripts/fuzz.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PYTHON=/usr/bin/python3
[[ -x $PYTHON ]] || PYTHON=python3
seconds=${SECONDS_EACH:-600}
seed=${SEED:-$RANDOM}
status=0
scripts/setup.sh >/dev/null
"$PYTHON" tests/fuzz/mutate.py --cli build/campaign-sim --work-dir build/fuzz-long \
  --seconds "$seconds" --seed "$seed" || status=1
BUILD_DIR=build-asan BUILD_TYPE=RelWithDebInfo scripts/setup.sh -DCAMPAIGN_SANITIZE=ON \
  -DCAMPAIGN_BUILD_BENCH=OFF >/dev/null
"$PYTHON" tests/fuzz/mutate.py --cli build-asan/campaign-sim --work-dir build-asan/fuzz-long \
  --seconds "$seconds" --seed "$seed" --sanitized || status=1
exit $status
