#!/usr/bin/env bash
# Installs what campaign-sim needs from Debian's packages (only what is missing), then
# configures it and builds the campaign-sim binary (scripts/test.sh builds the tests and
# benchmarks too). Safe to run again: it only does what is left to do.
#
#   scripts/setup.sh                      # Release build of build/campaign-sim
#   TARGETS=all scripts/setup.sh          # every target: tests, benchmarks
#   BUILD_DIR=build-asan scripts/setup.sh -DCAMPAIGN_SANITIZE=ON   # extra CMake arguments
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

missing=()
for package in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  if [[ $(id -u) -eq 0 ]]; then
    sudo=()
  elif command -v sudo >/dev/null; then
    sudo=(sudo)
  else
    echo "setup: missing Debian packages: ${missing[*]}; install them as root (apt-get install ...)" >&2
    exit 1
  fi
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-Release}" "$@" >/dev/null
cmake --build "$BUILD_DIR" -j"$(nproc)" --target "${TARGETS:-campaign-sim}"
echo "setup: built ${TARGETS:-campaign-sim} in $BUILD_DIR"
