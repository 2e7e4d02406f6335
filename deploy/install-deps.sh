#!/usr/bin/env bash
# Installs, from Debian's packages, what battlemap needs to build, run and
# test. Safe to run again: installs only what is missing.
set -euo pipefail

packages=(
    build-essential cmake pkg-config
    libzmq3-dev libczmq-dev
    libprotobuf-c-dev protobuf-c-compiler
    libpq-dev postgresql
    libcsv-dev libcmocka-dev
    libsqlite3-dev libjson-c-dev
    valgrind
    clang libclang-rt-14-dev
    libmicrohttpd-dev chromium
)
# npm: the web wall's ECharts and its browser test's playwright-core, installed
# by the build. Debian's, unless a Node.js with its own npm is there already
if ! command -v npm >/dev/null 2>&1; then
    packages+=(nodejs npm)
fi

missing=()
for package in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$package")
    fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
if [ "$(id -u)" -ne 0 ]; then
    sudo="sudo"
fi
echo "installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
# postgresql's package would start a system cluster; battlemap runs its own
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
