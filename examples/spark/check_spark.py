#!/usr/bin/env python3
"""Checks the output of test_spark.sh's Spark run against plain copydesk.

1. Every fixture page comes out of Spark exactly once, without error.
2. Each page's text equals what `copydesk extract` gives for its file.
3. The Spark records equal those of `copydesk warc --paths` on the same
   list, as a set, ignoring timing fields.
4. The Parquet output holds the same pages.
Prints one line per check and `N passed, M failed` at the end.
"""

import argparse
import glob
import json
import os
import subprocess
import sys

# Fields that may differ between two runs of the same input. copydesk warc
# records hold none today; the list is here so a future one does not make
# the comparison flaky.
TIMING_FIELDS = {"elapsed_ms", "fetched_at", "extracted_at"}

URL_PREFIX = "https://fixtures.copydesk.test/"  # make_warc's default


def records_of(text):
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def canonical(record):
    return json.dumps(
        {k: v for k, v in record.items() if k not in TIMING_FIELDS}, sort_keys=True
    )


def main(argv):
    p = argparse.ArgumentParser()
    p.add_argument("--copydesk", required=True)
    p.add_argument("--work", required=True)
    p.add_argument("fixtures", nargs="+")
    args = p.parse_args(argv)

    results = []

    def check(name, ok, detail=""):
        results.append(ok)
        print(f"spark test: {'ok' if ok else 'FAILED'}: {name}{'' if ok else ': ' + detail}")

    parts = sorted(glob.glob(os.path.join(args.work, "out", "jsonl", "part-*")))
    spark = []
    for part in parts:
        with open(part, encoding="utf-8") as f:
            spark += records_of(f.read())

    expected_urls = sorted(URL_PREFIX + os.path.basename(f) for f in args.fixtures)
    spark_urls = sorted(r["url"] for r in spark)
    errors = [r for r in spark if r["error"] is not None]
    check(
        f"{len(expected_urls)} pages, each exactly once, none failed",
        spark_urls == expected_urls and not errors,
        f"got {spark_urls} with errors {errors}",
    )

    extracted = subprocess.run(
        [args.copydesk, "extract", "-q", *args.fixtures],
        check=False, capture_output=True, text=True,
    ).stdout
    text_of = {
        URL_PREFIX + os.path.basename(r["source"]): r["text"] for r in records_of(extracted)
    }
    mismatched = [r["url"] for r in spark if text_of.get(r["url"]) != r["text"]]
    check(
        "text equals `copydesk extract` on the same file",
        not mismatched and len(text_of) == len(expected_urls),
        f"differs for {mismatched}",
    )

    plain = records_of(
        subprocess.run(
            [args.copydesk, "warc", "-q", "--paths", os.path.join(args.work, "paths.txt")],
            check=False, capture_output=True, text=True,
        ).stdout
    )
    a = sorted(canonical(r) for r in spark)
    b = sorted(canonical(r) for r in plain)
    check(
        "records equal a plain `copydesk warc --paths` run (as a set)",
        a == b,
        f"{len(set(a) - set(b))} only in Spark, {len(set(b) - set(a))} only in the plain run",
    )

    from pyspark.sql import SparkSession

    session = SparkSession.builder.master("local[1]").appName("check").getOrCreate()
    rows = session.read.parquet(os.path.join(args.work, "out", "parquet")).collect()
    session.stop()
    parquet = sorted((r["url"], r["text"]) for r in rows)
    check(
        "Parquet holds the same pages",
        parquet == sorted((r["url"], r["text"]) for r in spark),
        f"{len(parquet)} rows",
    )

    failed = results.count(False)
    print(f"{len(results) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
