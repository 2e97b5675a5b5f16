#!/usr/bin/env bash
# Install Debian's Chromium (and a Chinese font) for the browser tests in tests/browser/.
# Playwright drives /usr/bin/chromium; it never downloads a browser of its own.
# Safe to run again: it installs only what is missing. Needs root (or sudo) and apt.
set -euo pipefail

packages=()
[ -x /usr/bin/chromium ] || packages+=(chromium)
# Without a CJK font the page's Chinese prompts render as boxes in screenshots.
if ! command -v fc-list >/dev/null || [ -z "$(fc-list :lang=zh 2>/dev/null)" ]; then
    packages+=(fonts-noto-cjk)
fi
if [ ${#packages[@]} -eq 0 ]; then
    echo "chromium.sh: $(/usr/bin/chromium --version 2>/dev/null) and a CJK font are installed"
    exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "chromium.sh: run as root to install ${packages[*]}" >&2; exit 1; }
    sudo="sudo"
fi
echo "chromium.sh: installing ${packages[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${packages[@]}" >/dev/null
/usr/bin/chromium --version 2>/dev/null
