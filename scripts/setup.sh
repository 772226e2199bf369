#!/usr/bin/env bash
# Installs what campaign-sim needs from Debian's packages (only what is missing), then
# configures it and builds the campaign-sim binary (scripts/test.sh builds the tests and
# benchmarks too). Safe to run again: it only does what is left to do.
#
#   scripts/setup.sh                      # Release build of build/campaign-sim
#   TARGETS=all scripts/setup.sh          # every target: tests, benchmarks
#   BUILD_DIR=build-asan scripts/setup.sh -DCAMPAIGN_SANITIZE=ON   # extra CMake arguments
#   scripts/setup.sh -DCAMPAIGN_MPI=ON    # also Open MPI, for mpirun (docs/cluster.md)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

BUILD_DIR=${BUILD_DIR:-build}
PACKAGES=(
  g++ cmake ninja-build pkg-config
  libtbb-dev libboost-program-options-dev libhdf5-dev zlib1g-dev
  libtomlplusplus-dev librandom123-dev libfmt-dev
  libgtest-dev libbenchmark-dev
  python3 python3-h5py python3-matplotlib python3-numpy python3-pandas
)

# install PACKAGE...: those not installed yet, as root (or with sudo); fails if it cannot.
install() {
  local missing=() package
  for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
  done
  ((${#missing[@]})) || return 0
  echo "setup: installing ${missing[*]}"
  local sudo=()
  if [[ $(id -u) -ne 0 ]]; then
    if ! command -v sudo >/dev/null; then
      echo "setup: missing Debian packages: ${missing[*]}; install them as root (apt-get install ...)" >&2
      return 1
    fi
    sudo=(sudo)
  fi
  "${sudo[@]}" apt-get update -qq &&
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}
install "${PACKAGES[@]}" || exit 1

# -DCAMPAIGN_MPI=ON (docs/cluster.md) needs Open MPI; where it cannot be installed, the
# build goes on without it, and the MPI tests say they are skipped.
args=("$@")
if [[ " ${args[*]} " == *" -DCAMPAIGN_MPI=ON "* ]] && ! install openmpi-bin libopenmpi-dev; then
  echo "setup: Open MPI cannot be installed: building without MPI" >&2
  args=("${args[@]/-DCAMPAIGN_MPI=ON/-DCAMPAIGN_MPI=OFF}")
fi

cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-Release}" "${args[@]}" >/dev/null
cmake --build "$BUILD_DIR" -j"$(nproc)" --target "${TARGETS:-campaign-sim}"
echo "setup: built ${TARGETS:-campaign-sim} in $BUILD_DIR"
