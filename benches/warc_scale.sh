#!/usr/bin/env bash
# Scale figures for `copydesk warc` (issue 5), from the benchmark pages in
# ../shared/bench/*/pages:
#   1. throughput: `copydesk warc` pages/s over a .warc.gz holding every
#      bench page once, against `copydesk extract` pages/s over the same
#      pages as files, with the same --jobs (goal: warc >= 90% of extract);
#   2. memory: peak RSS of `copydesk warc` over a generated .warc.gz of
#      about 1 GiB (the pages repeated; goal: <= 512 MiB).
#
# Usage: benches/warc_scale.sh [--jobs N] [--size BYTES] [--rounds R] [--skip-big]
# Everything generated goes to target/warc-bench/ (never committed).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SHARED="${SHARED:-$ROOT/../shared}"
OUT="$ROOT/target/warc-bench"
JOBS=$(nproc)
SIZE=$((1024 * 1024 * 1024))
ROUNDS=3
BIG=1
while [ $# -gt 0 ]; do
    case "$1" in
        --jobs) JOBS=$2; shift 2 ;;
        --size) SIZE=$2; shift 2 ;;
        --rounds) ROUNDS=$2; shift 2 ;;
        --skip-big) BIG=0; shift ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
done

cd "$ROOT"
cargo build --release --quiet --bin copydesk --example make_warc
BIN=target/release/copydesk
MAKE=target/release/examples/make_warc
mkdir -p "$OUT"

pages=("$SHARED"/bench/*/pages/*.html)
if [ ! -f "${pages[0]}" ]; then
    echo "no pages under $SHARED/bench/*/pages" >&2
    exit 1
fi
echo "pages: ${#pages[@]}   jobs: $JOBS"

once="$OUT/pages-once.warc.gz"
[ -f "$once" ] || "$MAKE" "$once" "${pages[@]}"

# "wall cpu": seconds a command took, on the clock and on the processors
# (user + system), from GNU time.
measure() {
    /usr/bin/time -f "%e %U %S" -o "$OUT/time.txt" "$@" >/dev/null || true
    awk '{ printf "%s %.2f\n", $1, $2 + $3 }' "$OUT/time.txt"
}

# Rounds alternate so that load from other processes hits both alike; the
# best round of each counts, the usual way to read a noisy machine. CPU
# time is reported too: it shows the work done, whatever else is running.
best_extract=""
best_warc=""
for round in $(seq "$ROUNDS"); do
    read -r t_extract c_extract < <(measure "$BIN" extract -q -j "$JOBS" "${pages[@]}")
    read -r t_warc c_warc < <(measure "$BIN" warc -q -j "$JOBS" "$once")
    echo "round $round: extract ${t_extract}s (cpu ${c_extract}s), warc ${t_warc}s (cpu ${c_warc}s)"
    if [ -z "$best_extract" ] || [ "$(echo "$t_extract < $best_extract" | bc)" = 1 ]; then best_extract=$t_extract; fi
    if [ -z "$best_warc" ] || [ "$(echo "$t_warc < $best_warc" | bc)" = 1 ]; then best_warc=$t_warc; fi
done
n=${#pages[@]}
extract_rate=$(echo "scale=1; $n / $best_extract" | bc)
warc_rate=$(echo "scale=1; $n / $best_warc" | bc)
ratio=$(echo "scale=1; 100 * $best_extract / $best_warc" | bc)
echo "throughput: extract $extract_rate pages/s, warc $warc_rate pages/s: warc at ${ratio}% of extract"

if [ "$BIG" = 1 ]; then
    big="$OUT/big.warc.gz"
    if [ ! -f "$big" ] || [ "$(stat -c %s "$big")" -lt "$SIZE" ]; then
        "$MAKE" --target-bytes "$SIZE" "$big" "${pages[@]}"
    fi
    echo "big file: $(stat -c %s "$big") bytes"
    /usr/bin/time -v "$BIN" warc -j "$JOBS" "$big" 2>"$OUT/big.time" >/dev/null || true
    grep -E "copydesk:|Maximum resident|Elapsed" "$OUT/big.time"
    rss_kib=$(awk '/Maximum resident/ {print $NF}' "$OUT/big.time")
    echo "peak RSS: $((rss_kib / 1024)) MiB (limit 512 MiB)"
fi
