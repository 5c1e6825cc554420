#!/usr/bin/env bash
# Builds the benchmark jar and runs the Kinesis benchmark that BENCHMARKS.md reports (10,000-record batches of 1 KB
# JSON orders through StreamIngestHandler into the emulator, beside a decode-gzip-put baseline; AWS calls per record
# at batch sizes 100 and 1000). Needs moto_server on PATH. The function's JSON logs go to
# tools/benchmarks/target/stream-ingest/; the figures to the terminal. Extra arguments go to Maven (e.g. -o).
set -euo pipefail
cd "$(dirname "$0")/../.."
mvn -q "$@" -pl tools/benchmarks -am package -DskipTests
jar=tools/benchmarks/target/rawzone-benchmarks.jar
logs=tools/benchmarks/target/stream-ingest
mkdir -p "$logs"
java -Xmx1g -cp "$jar" dev.rawzone.benchmarks.StreamIngestBenchmark "${REPETITIONS:-9}" \
  > >(tee "$logs/run.log" | grep -v '^{') 2>&1
