#!/bin/sh
# Every malformed input in DIR gives exit status 2, an error naming the problem (the
# text listed in DIR/EXPECTED.tsv), and nothing on stdout.
# usage: run.sh MMBENCH DIR
set -u
mmbench=$1 dir=$2
fail=0 n=0
tab=$(printf '\t')
out=$(mktemp) err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT
while IFS="$tab" read -r name text; do
  case "$name" in '#'*|'') continue ;; esac
  n=$((n + 1))
  "$mmbench" replay "$dir/$name.json" >"$out" 2>"$err"
  rc=$?
  if [ "$rc" -ne 2 ] || [ -s "$out" ] || ! grep -qF -- "$text" "$err"; then
    echo "FAIL $name: exit $rc, stdout $(wc -c <"$out") bytes, stderr: $(head -c 300 "$err")"
    echo "     expected exit 2 and: $text"
    fail=$((fail + 1))
  fi
done <"$dir/EXPECTED.tsv"
# Bad flags: exit 2, a message naming the flag, nothing on stdout.
good="$dir/../../validation/cases/p05_long_ring_explicit.json"
flag_case() { # expected-text args...
  text=$1; shift
  n=$((n + 1))
  "$mmbench" replay "$@" >"$out" 2>"$err"
  rc=$?
  if [ "$rc" -ne 2 ] || [ -s "$out" ] || ! grep -qF -- "$text" "$err"; then
    echo "FAIL flags $*: exit $rc, stderr: $(head -c 300 "$err")"
    fail=$((fail + 1))
  fi
}
flag_case "--gc must be cpython311 or cpython313" "$good" --gc bogus
flag_case "--gc must be cpython311 or cpython313" "$good" --gc marksweep
flag_case "--freelists must be on or off" "$good" --freelists maybe
flag_case "missing value for --gc" "$good" --gc
flag_case "unknown flag --colour" "$good" --colour
flag_case "missing CASE.json"
flag_case "more than one case file" "$good" "$good"
flag_case "--version and --ignore go with --compare" "$good" --version 3.13.0
flag_case "no expected result for version 2.7" "$good" --compare --version 2.7
flag_case "No such file" "$dir/does-not-exist.json"
echo "$n malformed inputs, $fail wrong"
[ "$n" -gt 0 ] && [ "$fail" -eq 0 ]
