#!/bin/sh
# The independent judge: ../shared/validation/cpython_probe.py compare must accept what
# `mmbench replay` prints for CASE (its compare needs no CPython headers).
# usage: probe-agrees.sh MMBENCH CASE
set -u
mmbench=$1 case=$2
here=$(cd "$(dirname "$0")" && pwd)
probe="$here/../../../shared/validation/cpython_probe.py"
if [ ! -f "$probe" ]; then
  echo "SKIP: $probe not present (fresh clone without ../shared)"
  exit 77
fi
out=$(mktemp)
trap 'rm -f "$out"' EXIT
"$mmbench" replay "$case" >"$out" || exit 1
python3 "$probe" compare "$case" "$out"
