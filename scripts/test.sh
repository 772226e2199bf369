#!/usr/bin/env bash
# Runs the whole test suite from a fresh clone: installs and builds what it needs, runs
# every test (unit, statistical, CLI, HDF5 contract, MPI runs, benchmark smoke runs) on
# the Release build (with MPI), then again under AddressSanitizer + UndefinedBehaviorSanitizer.
# Ends with one line "N passed, N failed".
#
#   scripts/test.sh            # everything
#   SKIP_SANITIZERS=1 scripts/test.sh
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

jobs=$(nproc)
passed=0
failed=0
status=0

# run_suite NAME BUILD_DIR BUILD_TYPE [cmake args...]
run_suite() {
  local name=$1 dir=$2 type=$3
  shift 3
  echo "== $name: build ($dir)"
  if ! BUILD_DIR=$dir BUILD_TYPE=$type TARGETS=all scripts/setup.sh "$@"; then
    echo "== $name: build failed"
    failed=$((failed + 1))
    status=1
    return
  fi
  echo "== $name: ctest"
  local log
  log=$(mktemp)
  ctest --test-dir "$dir" --output-on-failure -j"$jobs" --timeout 1200 2>&1 | tee "$log"
  [[ ${PIPESTATUS[0]} -eq 0 ]] || status=1
  # "100% tests passed, 0 tests failed out of 57"
  local summary total bad
  summary=$(grep -E 'tests passed, [0-9]+ tests? failed out of [0-9]+' "$log" | tail -n1)
  if [[ -z $summary ]]; then
    echo "== $name: ctest printed no summary"
    failed=$((failed + 1))
    status=1
  else
    bad=$(sed -E 's/.* ([0-9]+) tests? failed out of ([0-9]+).*/\1/' <<<"$summary")
    total=$(sed -E 's/.* failed out of ([0-9]+).*/\1/' <<<"$summary")
    passed=$((passed + total - bad))
    failed=$((failed + bad))
  fi
  rm -f "$log"
}

# The release suite with MPI (Open MPI installed if it can be), so that tests/python/
# test_mpi.py runs mpirun; the sanitized one without (its MPI checks say they skip).
run_suite "release" build Release -DCAMPAIGN_MPI=ON
if [[ -z ${SKIP_SANITIZERS:-} ]]; then
  run_suite "asan+ubsan" build-asan RelWithDebInfo -DCAMPAIGN_SANITIZE=ON -DCAMPAIGN_BUILD_BENCH=OFF
fi

echo "$passed passed, $failed failed"
exit $status
