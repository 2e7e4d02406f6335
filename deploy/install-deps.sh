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
    # the meeting report: the workbook, its PDF, a Chinese font to print it
    libxlsxwriter-dev libreoffice-calc-nogui fonts-wqy-zenhei
    valgrind
    gettext locales
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

sudo=""
if [ "$(id -u)" -ne 0 ]; then
    sudo="sudo"
fi
if [ ${#missing[@]} -gt 0 ]; then
    echo "installing: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -qq
    # postgresql's package would start a system cluster; battlemap runs its own
    $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The Chinese the programs speak (LANG=zh_CN.UTF-8) needs that locale
if ! locale -a 2>/dev/null | grep -qix 'zh_CN\.utf-\?8'; then
    echo "generating the zh_CN.UTF-8 locale"
    $sudo sed -i 's/^# *\(zh_CN\.UTF-8 UTF-8\)/\1/' /etc/locale.gen
    grep -q '^zh_CN\.UTF-8 UTF-8' /etc/locale.gen \
        || echo 'zh_CN.UTF-8 UTF-8' | $sudo tee -a /etc/locale.gen >/dev/null
    $sudo locale-gen >/dev/null
fi
