#!/usr/bin/env python3
"""Extract the HTML pages of many WARC files with copydesk, on Apache Spark.

Reads a list of WARC paths or URLs (one per line; plain or gzipped, such as
Common Crawl's ``warc.paths.gz``), spreads it over the executors one file
per task, runs ``copydesk warc --paths -`` on each task's files, and writes
the JSON records to ``OUTPUT/jsonl/part-*`` -- one line per page, exactly as
``copydesk warc`` prints them -- and, with ``--parquet``, the same records
to ``OUTPUT/parquet`` (Spark's own Parquet writer: pyarrow is not needed).

Local test run::

    python copydesk_spark.py --master 'local[2]' --copydesk target/release/copydesk \\
        paths.txt out/

On a cluster, over a Common Crawl path list::

    spark-submit --master yarn --num-executors 50 --executor-cores 4 \\
        copydesk_spark.py --copydesk ./copydesk --jobs 4 \\
        --prefix https://data.commoncrawl.org/ warc.paths.gz s3a://bucket/cc-text/

``--copydesk`` names a binary on the driver, shipped to the executors with
``SparkContext.addFile``; a bare command name is looked up on the
executors' PATH instead.
"""

import argparse
import os
import stat
import subprocess
import sys
import threading

# copydesk's record, field by field (see README.md, "The JSON record" and
# "copydesk warc"): the schema of the Parquet output.
FIELDS = [
    ("warc_file", "string"),
    ("warc_record_id", "string"),
    ("warc_date", "string"),
    ("warc_offset", "long"),
    ("url", "string"),
    ("title", "string"),
    ("byline", "string"),
    ("date", "string"),
    ("site_name", "string"),
    ("lang", "string"),
    ("description", "string"),
    ("image", "string"),
    ("text", "string"),
    ("word_count", "long"),
    ("markdown", "string"),
    ("comments", "string"),
]

# Exit codes of `copydesk warc` that are not failures of the task: 1 means
# some records carry an `error`, which the records themselves report.
OK_EXIT_CODES = (0, 1)


def parse_args(argv):
    p = argparse.ArgumentParser(
        description="Extract the HTML pages of WARC files with copydesk, on Spark."
    )
    p.add_argument(
        "paths",
        help="file listing WARC paths or URLs, one per line (plain or .gz); "
        "any location Spark can read",
    )
    p.add_argument("output", help="output directory (must not exist yet)")
    p.add_argument(
        "--copydesk",
        default="copydesk",
        help="the copydesk binary: a file on the driver (shipped to the "
        "executors) or a command on the executors' PATH [default: copydesk]",
    )
    p.add_argument(
        "--prefix",
        default="",
        help="prepended to every listed path, e.g. https://data.commoncrawl.org/",
    )
    p.add_argument(
        "--partitions",
        type=int,
        default=0,
        help="number of tasks [default: one per WARC file]",
    )
    p.add_argument(
        "--jobs",
        type=int,
        default=1,
        help="copydesk --jobs in each task: the cores a task has [default: 1]",
    )
    p.add_argument("--limit", type=int, default=0, help="only the first N paths")
    p.add_argument(
        "--parquet", action="store_true", help="also write OUTPUT/parquet"
    )
    p.add_argument(
        "--compress", action="store_true", help="gzip the JSONL part files"
    )
    p.add_argument(
        "--master",
        help="Spark master when run with plain python, e.g. local[2] "
        "(spark-submit sets it otherwise)",
    )
    p.add_argument(
        "--extra",
        default="",
        help="more `copydesk warc` options, e.g. '--markdown --comments'",
    )
    return p.parse_args(argv)


def executable(binary):
    """The copydesk command inside a task: the shipped file if one was
    shipped (made executable again, in case the copy lost the bit), else
    the command name as given."""
    from pyspark import SparkFiles

    shipped = SparkFiles.get(os.path.basename(binary))
    if os.path.isfile(shipped):
        mode = os.stat(shipped).st_mode
        if not mode & stat.S_IXUSR:
            os.chmod(shipped, mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
        return shipped
    return binary


def extract_partition(binary, jobs, extra):
    """The task: the partition's WARC paths in, copydesk's JSON lines out,
    streamed (nothing is held but the line being passed on)."""

    def run(paths):
        paths = [p for p in paths if p.strip()]
        if not paths:
            return
        command = [executable(binary), "warc", "--paths", "-", "--quiet"]
        command += ["--jobs", str(jobs)] + extra
        proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE)

        def feed():
            # On its own thread, so a long list cannot block against a full
            # stdout pipe.
            try:
                proc.stdin.write("".join(p + "\n" for p in paths).encode("utf-8"))
            finally:
                proc.stdin.close()

        feeder = threading.Thread(target=feed, daemon=True)
        feeder.start()
        for line in proc.stdout:
            yield line.decode("utf-8").rstrip("\n")
        feeder.join()
        code = proc.wait()
        if code not in OK_EXIT_CODES:
            raise RuntimeError(f"{' '.join(command)} exited with {code} on {paths}")

    return run


def main(argv):
    args = parse_args(argv)
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName("copydesk-warc")
    if args.master:
        builder = builder.master(args.master)
    spark = builder.getOrCreate()
    sc = spark.sparkContext

    binary = args.copydesk
    if os.path.isfile(binary):
        sc.addFile(os.path.abspath(binary))

    prefix = args.prefix
    listed = (
        sc.textFile(args.paths)
        .map(str.strip)
        .filter(lambda line: line and not line.startswith("#"))
        .map(lambda line: prefix + line)
    )
    if args.limit:
        listed = sc.parallelize(listed.take(args.limit), 1)
    count = listed.count()
    if count == 0:
        print(f"copydesk_spark: no paths in {args.paths}", file=sys.stderr)
        return 1
    partitions = args.partitions or count
    # One file per task by default, placed by its position in the list, so
    # tasks are even and a failed task reruns exactly its own files.
    tasks = (
        listed.zipWithIndex()
        .map(lambda pair: (pair[1], pair[0]))
        .partitionBy(partitions, lambda index: index % partitions)
        .values()
    )
    records = tasks.mapPartitions(extract_partition(binary, args.jobs, args.extra.split()))

    jsonl = os.path.join(args.output, "jsonl")
    codec = "org.apache.hadoop.io.compress.GzipCodec" if args.compress else None
    records.saveAsTextFile(jsonl, compressionCodecClass=codec)

    if args.parquet:
        # Read back what was written rather than extracting twice.
        from pyspark.sql.types import StructType

        schema = StructType.fromJson(
            {
                "type": "struct",
                "fields": [
                    {"name": n, "type": t, "nullable": True, "metadata": {}}
                    for n, t in FIELDS
                ]
                + [
                    {
                        "name": "error",
                        "nullable": True,
                        "metadata": {},
                        "type": {
                            "type": "struct",
                            "fields": [
                                {"name": f, "type": "string", "nullable": True, "metadata": {}}
                                for f in ("kind", "message")
                            ],
                        },
                    }
                ],
            }
        )
        spark.read.schema(schema).json(jsonl).write.parquet(
            os.path.join(args.output, "parquet")
        )

    spark.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
