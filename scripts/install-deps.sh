#!/usr/bin/env bash
# Installs the Debian 12 packages the build and tests need, only those missing (quiet when all present).
# Extra package names given as arguments are installed too (scripts/test.sh adds clang for fuzzing).
set -euo pipefail
packages=(g++ cmake make ninja-build libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev libboost-test1.81-dev
          libssl-dev zlib1g-dev libhiredis-dev redis-server ca-certificates python3 "$@")
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing: ${missing[*]}"
sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
"${sudo_cmd[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
