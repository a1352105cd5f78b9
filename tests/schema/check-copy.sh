#!/usr/bin/env bash
# The embedded schema (bench/schema/result.schema.json) must equal the contract in
# ../shared/spec when that directory is present (fresh clones without it skip).
set -euo pipefail
root=$1
shared="$root/../shared/spec/result.schema.json"
if [ ! -f "$shared" ]; then
  echo "SKIP: $shared not present (fresh clone without ../shared)"
  exit 77
fi
cmp "$root/bench/schema/result.schema.json" "$shared"
cmp "$root/tests/schema/result-example.json" "$root/../shared/spec/examples/result-example.json"
echo "the schema and example copies equal ../shared/spec"
