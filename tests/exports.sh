#!/bin/sh
# The shared library exports exactly the public API listed in runtime/libmm.sym
# (style.md rule 39): no internal mmi_ symbol leaks, nothing public goes missing.
# usage: exports.sh LIBMM.so SYMFILE
set -u
lib=$1 sym=$2
actual=$(nm -D --defined-only "$lib" | awk '$2 == "T" { print $3 }' | LC_ALL=C sort)
expected=$(LC_ALL=C sort "$sym")
if [ "$actual" = "$expected" ]; then
  echo "$(echo "$actual" | wc -l) exported symbols match $sym"
  exit 0
fi
echo "exported symbols differ from $sym (< expected, > actual):" >&2
tmp=$(mktemp -d)
echo "$expected" >"$tmp/expected"
echo "$actual" >"$tmp/actual"
diff "$tmp/expected" "$tmp/actual" >&2
rm -rf "$tmp"
exit 1
