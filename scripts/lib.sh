# Shared helpers for scripts/*: sourced, not run.
# shellcheck shell=bash
MM_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
JOBS=${JOBS:-$(nproc 2>/dev/null || echo 2)}

# Configure (once) and build one meson build directory: mm_build DIR [meson options...]
mm_build() {
  local dir=$1; shift
  mkdir -p "$(dirname "$MM_ROOT/$dir")"
  if [ ! -f "$MM_ROOT/$dir/build.ninja" ]; then
    meson setup "$MM_ROOT/$dir" "$MM_ROOT" "$@" >"$MM_ROOT/$dir.setup.log" 2>&1 || {
      cat "$MM_ROOT/$dir.setup.log" >&2; rm -rf "$MM_ROOT/$dir"; return 1; }
    rm -f "$MM_ROOT/$dir.setup.log"
  else
    meson configure "$MM_ROOT/$dir" "$@" >/dev/null
  fi
  ninja -C "$MM_ROOT/$dir" -j "$JOBS"
}
