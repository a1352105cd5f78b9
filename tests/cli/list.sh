#!/bin/sh
# mmbench list/describe: the registry as text and JSON; bad arguments exit 2 with a
# message and print nothing on stdout.  usage: list.sh MMBENCH
set -u
mm=$1 fail=0
out=$(mktemp) err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT
check() { # description, expected exit, expected text in stderr ("" for none), args...
  what=$1 want=$2 text=$3; shift 3
  "$mm" "$@" >"$out" 2>"$err"; rc=$?
  if [ "$rc" -ne "$want" ] || { [ -n "$text" ] && ! grep -qF -- "$text" "$err"; } ||
     { [ "$want" -ne 0 ] && [ -s "$out" ]; }; then
    echo "FAIL $what: exit $rc (want $want), stderr: $(head -c 200 "$err")"; fail=$((fail + 1))
  fi
}
check "list" 0 "" list
grep -q '^trees ' "$out" || { echo "FAIL list: no trees line"; fail=$((fail + 1)); }
check "list --json" 0 "" list --json
python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
names = [s["name"] for s in d]
assert len(names) == len(set(names)) >= 12, names
for s in d:
    for p in s["params"]:
        assert p["min"] <= p["default"] <= p["max"], (s["name"], p)
        if p["type"] == "int":
            assert all(isinstance(p[k], int) for k in ("default", "min", "max")), p
' "$out" || { echo "FAIL list --json content"; fail=$((fail + 1)); }
check "list settings" 0 "" list settings
grep -q marksweep "$out" || { echo "FAIL list settings: no marksweep"; fail=$((fail + 1)); }
check "describe" 0 "" describe webapp
check "describe unknown" 2 "unknown scenario 'webap'" describe webap
check "describe nothing" 2 "usage: mmbench describe" describe
check "list bogus" 2 "unknown argument 'bogus'" list bogus
check "unknown command" 2 "unknown command 'lsit'" lsit
check "no command" 2 "usage: mmbench COMMAND" 
echo "list/describe: $fail failures"
[ "$fail" -eq 0 ]
