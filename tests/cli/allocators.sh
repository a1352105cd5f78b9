#!/usr/bin/env bash
# Preloaded allocators are verified (results-and-reports.md 2.3, 8.4.4): --alloc mimalloc /
# jemalloc record the library that really serves malloc; a preload that does not take
# (here: a missing file) exits 3, names both libraries and writes nothing.
set -euo pipefail
mmbench=$(realpath "$1") scratch=$2
rm -rf "$scratch"; mkdir -p "$scratch"; cd "$scratch"
fail() { echo "FAIL: $*"; exit 1; }
args=(--param ops=2000 --repeat 1 --warmup 0 --values 1)
for a in mimalloc jemalloc; do
  set +e
  "$mmbench" run churn --alloc "$a" "${args[@]}" -o "$a.json" >/dev/null 2>"$a.err"
  rc=$?
  set -e
  if [ "$rc" -eq 3 ] && grep -q "not found at build time" "$a.err"; then
    echo "$a: not installed at build time (exit 3, as it must)"; continue
  fi
  if [ "$rc" -eq 3 ] && grep -q "not available in a sanitizer build" "$a.err"; then
    [ ! -e "$a.json" ] || fail "$a in a sanitizer build wrote a file"
    echo "$a: refused in this sanitizer build (exit 3, nothing written)"; continue
  fi
  [ "$rc" -eq 0 ] || fail "$a: exit $rc: $(cat "$a.err")"
  resolved=$(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["config"]["allocator"]["resolved"])' "$a.json")
  case $resolved in *lib$a*"$a "*) echo "$a: resolved '$resolved'" ;; *) fail "$a resolved as '$resolved'" ;; esac
  var=MMBENCH_PRELOAD_$(echo "$a" | tr a-z A-Z)
  set +e
  env "$var=/nonexistent/lib$a.so.2" "$mmbench" run churn --alloc "$a" "${args[@]}" -o "missing-$a.json" >/dev/null 2>"missing-$a.err"
  rc=$?
  set -e
  [ "$rc" -eq 3 ] || fail "$a with a missing preload: exit $rc, expected 3"
  grep -q -- "--alloc $a requested but malloc is served by glibc" "missing-$a.err" || fail "message: $(cat "missing-$a.err")"
  [ ! -e "missing-$a.json" ] || fail "$a with a missing preload wrote a file"
done
echo "allocator verification passed"
