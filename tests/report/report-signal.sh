#!/usr/bin/env bash
# `mmbench report` interrupted by SIGINT or SIGTERM while it draws (results-and-reports.md
# 8.2, 8.3): exit 130/143, no OUT.tmp.<pid>/ or other temp file left, no gnuplot child
# left running, nothing written; with --force the old report is left as it was.
#
# A gnuplot wrapper first on PATH sleeps before each chart, so the report is still drawing
# when the signal comes; the signal is sent once the second chart is being drawn. If the
# report still finishes first, the test retries with a longer sleep and fails (saying so)
# when even that was too fast.
#
# usage: report-signal.sh MMBENCH RESULTS_DIR SCRATCH
set -euo pipefail
mmbench=$(realpath "$1") res=$(realpath "$2") scratch=$3
rm -rf "$scratch"
mkdir -p "$scratch/bin"
cd "$scratch"
fail() { echo "FAIL: $*"; exit 1; }

# Test wrapper: answers --version itself, records its pid, then draws slowly (with the
# real gnuplot when there is one; without, every chart fails, which is just as slow).
cat >bin/gnuplot <<EOF
#!/bin/sh
real='$(command -v gnuplot || true)'
if [ "\$1" = --version ]; then echo "gnuplot 5.4 patchlevel 4"; exit 0; fi
echo \$\$ >>'$scratch/gnuplot.pids'
sleep "\${SLOW_GNUPLOT_S:-0.3}"
[ -n "\$real" ] && exec "\$real" "\$@"
exit 1
EOF
chmod +x bin/gnuplot

# interrupt SIGNAL OUT [extra args]: run the report, signal it once it has started its
# second chart; 0 when it was signalled in time, 2 when it finished first.
interrupt() {
  local sig=$1 out=$2 pid rc
  shift 2
  : >gnuplot.pids
  # Job control on: a background job of a script otherwise starts with SIGINT ignored.
  set -m
  PATH="$scratch/bin:$PATH" "$mmbench" report "$res" -o "$out" "$@" >"$out.stdout" \
    2>"$out.stderr" &
  pid=$!
  set +m
  for _ in $(seq 600); do
    if [ "$(wc -l <gnuplot.pids)" -ge 2 ]; then
      kill -s "$sig" "$pid"
      break
    fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.05
  done
  set +e
  wait "$pid"
  rc=$?
  set -e
  if [ "$rc" -eq 0 ]; then
    return 2
  fi
  echo "$rc" >"$out.rc"
}

# check SIGNAL STATUS OUT: what an interrupted report must leave behind.
check() {
  local sig=$1 want=$2 out=$3 rc p
  rc=$(cat "$out.rc")
  leftovers=$(find "$(dirname "$out")" -maxdepth 1 -name "$(basename "$out").tmp.*" \
              -o -maxdepth 1 -name "$(basename "$out").old.*" -o -maxdepth 1 -name '.*.tmp.*')
  [ -z "$leftovers" ] || fail "SIG$sig: temp files left behind: $leftovers"
  for p in $(cat gnuplot.pids); do
    if kill -0 "$p" 2>/dev/null; then
      fail "SIG$sig: gnuplot child $p still running"
    fi
  done
  [ "$rc" -eq "$want" ] || fail "SIG$sig: exit $rc, not $want ($(tail -2 "$out.stderr"))"
  grep -q 'interrupted' "$out.stderr" || fail "SIG$sig: no 'interrupted' on stderr"
  [ ! -s "$out.stdout" ] || fail "SIG$sig: wrote to stdout: $(head -1 "$out.stdout")"
}

attempt() {
  local sig=$1 want=$2 out=$3 delay
  shift 3
  for delay in 0.3 1.5; do
    rm -rf "$out"*
    if [ -n "${KEEP_OLD:-}" ]; then cp -a old "$out"; fi
    if SLOW_GNUPLOT_S=$delay interrupt "$sig" "$out" "$@"; then
      check "$sig" "$want" "$out"
      return 0
    fi
    echo "note: the report finished before SIG$sig with ${delay} s per chart; retrying slower"
  done
  fail "the report always finished before SIG$sig could be sent; cannot test"
}

mkdir -p out
attempt INT 130 out/rep
[ ! -e out/rep ] || fail "SIGINT: out/rep exists"
attempt TERM 143 out/rep
[ ! -e out/rep ] || fail "SIGTERM: out/rep exists"

# --force over an existing report: the old one stays, byte for byte.
"$mmbench" report "$res" -o old >/dev/null 2>&1 || fail "report for the --force case failed"
KEEP_OLD=1 attempt INT 130 out/forced --force
diff -r old out/forced >/dev/null || fail "--force + SIGINT changed the old report"
echo "report signal test passed: SIGINT -> 130, SIGTERM -> 143, nothing left behind"
