#!/usr/bin/env bash
# Runs copydesk_spark.py in Spark local mode (local[2]) over WARC files
# built from fixtures/*.html, and checks the output (check_spark.py):
# every page exactly once, the same text as `copydesk extract`, and the
# same records as a plain `copydesk warc` run.
#
# Installs pyspark from PyPI into target/spark-venv (kept between runs).
# Needs python3 and Java 17+. Fails loudly if pyspark cannot be installed.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
VENV=target/spark-venv
WORK=target/spark-test

if [ ! -x "$VENV/bin/python" ]; then
    python3 -m venv "$VENV"
fi
if ! "$VENV/bin/python" -c "import pyspark" 2>/dev/null; then
    echo "spark test: installing pyspark into $VENV"
    if ! "$VENV/bin/pip" install --quiet --disable-pip-version-check --no-cache-dir pyspark; then
        echo "spark test: FAILED: pip could not install pyspark (no network to PyPI?)" >&2
        exit 1
    fi
fi
echo "spark test: pyspark $("$VENV/bin/python" -c 'import pyspark; print(pyspark.__version__)'), $(java -version 2>&1 | head -1)"

cargo build --release --quiet --bin copydesk --example make_warc
BIN=target/release/copydesk
MAKE=target/release/examples/make_warc

rm -rf "$WORK"
mkdir -p "$WORK"
fixtures=(fixtures/*.html)
# The fixtures dealt over three files, one per layout, with records that
# must be skipped (warcinfo, requests, a 404, an image).
part() { local k=$1; for i in "${!fixtures[@]}"; do [ $((i % 3)) -eq "$k" ] && echo "${fixtures[$i]}"; done; }
mapfile -t first < <(part 0)
mapfile -t second < <(part 1)
mapfile -t third < <(part 2)
"$MAKE" --layout per-record --extras "$WORK/a.warc.gz" "${first[@]}"
"$MAKE" --layout whole --extras "$WORK/b.warc.gz" "${second[@]}"
"$MAKE" --layout plain --extras "$WORK/c.warc" "${third[@]}"
printf '%s\n' "$ROOT/$WORK/a.warc.gz" "$ROOT/$WORK/b.warc.gz" "$ROOT/$WORK/c.warc" >"$WORK/paths.txt"

# Keep Spark on the loopback interface, and its Python workers in the venv.
export SPARK_LOCAL_IP=127.0.0.1
export PYSPARK_PYTHON="$ROOT/$VENV/bin/python"

started=$SECONDS
"$VENV/bin/python" examples/spark/copydesk_spark.py --master 'local[2]' \
    --copydesk "$BIN" --parquet "$WORK/paths.txt" "$WORK/out" 2>"$WORK/spark.log" || {
    tail -40 "$WORK/spark.log" >&2
    echo "spark test: FAILED: the Spark job failed (log above, full log in $WORK/spark.log)" >&2
    exit 1
}
echo "spark test: job done in $((SECONDS - started)) s"

# Spark's own chatter goes to the log; the checks print on stdout.
"$VENV/bin/python" examples/spark/check_spark.py --copydesk "$BIN" --work "$WORK" \
    "${fixtures[@]}" 2>>"$WORK/spark.log" || {
    tail -40 "$WORK/spark.log" >&2
    echo "spark test: FAILED (full log in $WORK/spark.log)" >&2
    exit 1
}
