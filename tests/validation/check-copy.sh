#!/bin/sh
# The validation cases in tests/validation/cases are a copy of ../shared/validation/cases
# (so a clone runs without ../shared); when ../shared is present the two must be equal.
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
shared="$root/../shared/validation/cases"
if [ ! -d "$shared" ]; then
  echo "SKIP: $shared not present (fresh clone without ../shared); nothing to compare"
  exit 77
fi
if diff -r "$shared" "$here/cases"; then
  echo "tests/validation/cases equals $shared ($(ls "$here/cases" | wc -l) files)"
  exit 0
fi
echo "FAIL: tests/validation/cases differs from $shared: copy the cases again" >&2
exit 1
