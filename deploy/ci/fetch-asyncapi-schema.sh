#!/usr/bin/env bash
# The official AsyncAPI 3.0.0 JSON Schema, from the npm registry package @asyncapi/specs (pinned), for
# tests/ops/test_asyncapi_official.py. Idempotent: prints the schema's path, fetching it only once.
#   deploy/ci/fetch-asyncapi-schema.sh
set -euo pipefail
version="6.11.1"
cache="${NEWSWIRE_CACHE_DIR:-$HOME/.cache/newswire}/asyncapi-specs-$version"
schema="$cache/3.0.0-without-\$id.json"
if [[ ! -s "$schema" ]]; then
  command -v npm >/dev/null 2>&1 || { echo "fetch-asyncapi-schema: npm not found" >&2; exit 1; }
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  (cd "$work" && npm pack "@asyncapi/specs@$version" --silent >/dev/null)
  tar -xzf "$work/asyncapi-specs-$version.tgz" -C "$work" "package/schemas/3.0.0-without-\$id.json"
  mkdir -p "$cache"
  mv "$work/package/schemas/3.0.0-without-\$id.json" "$schema"
fi
echo "$schema"
