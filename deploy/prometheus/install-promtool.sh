#!/usr/bin/env bash
# Install promtool (Debian's `prometheus` package) for tests/ops/test_alert_rules.py.
# Idempotent and quiet: does nothing when promtool is already on PATH. Needs root or sudo.
#   deploy/prometheus/install-promtool.sh
set -euo pipefail

if command -v promtool >/dev/null 2>&1; then
  exit 0
fi

sudo=""
if [[ "$(id -u)" != "0" ]]; then
  if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
    echo "install-promtool: need root (or sudo) to apt-get install prometheus" >&2; exit 1
  fi
fi
command -v apt-get >/dev/null 2>&1 || { echo "install-promtool: apt-get not found (not Debian/Ubuntu)" >&2; exit 1; }

export DEBIAN_FRONTEND=noninteractive
# The package also ships the Prometheus server with a service unit; only promtool is wanted, so
# a temporary policy-rc.d keeps the package from starting the server (no-op if one exists).
policy=/usr/sbin/policy-rc.d
if [[ ! -e "$policy" ]]; then
  printf '#!/bin/sh\nexit 101\n' | $sudo tee "$policy" >/dev/null
  $sudo chmod +x "$policy"
  trap '$sudo rm -f "$policy"' EXIT
fi
$sudo apt-get update -qq >/dev/null
$sudo apt-get install -y -qq --no-install-recommends prometheus >/dev/null
command -v promtool >/dev/null 2>&1 || { echo "install-promtool: promtool still missing after install" >&2; exit 1; }
echo "install-promtool: $(promtool --version 2>&1 | head -n 1)" >&2
