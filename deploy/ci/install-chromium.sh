#!/usr/bin/env bash
# Install headless Chromium (Debian's `chromium` package) for the status-page test
# (tests/integration/test_operations.py). Idempotent and quiet: does nothing when chromium is on PATH.
# Needs root or sudo.   deploy/ci/install-chromium.sh
set -euo pipefail

if command -v chromium >/dev/null 2>&1; then
  exit 0
fi
sudo=""
if [[ "$(id -u)" != "0" ]]; then
  if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
    echo "install-chromium: need root (or sudo) to apt-get install chromium" >&2; exit 1
  fi
fi
command -v apt-get >/dev/null 2>&1 || { echo "install-chromium: apt-get not found (not Debian/Ubuntu)" >&2; exit 1; }
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq >/dev/null
$sudo apt-get install -y -qq --no-install-recommends chromium >/dev/null
command -v chromium >/dev/null 2>&1 || { echo "install-chromium: chromium still missing after install" >&2; exit 1; }
echo "install-chromium: $(chromium --version 2>/dev/null | head -n 1)" >&2
