#!/usr/bin/env bash
# Builds the benchmark jar and runs the pull benchmark that BENCHMARKS.md reports (100,000 contacts from the sample
# API on loopback into the emulator). Needs moto_server on PATH. The function's JSON logs go to
# tools/benchmarks/target/pull-ingest/; the figures to the terminal. Extra arguments go to Maven (e.g. -o).
set -euo pipefail
cd "$(dirname "$0")/../.."
mvn -q "$@" -pl tools/benchmarks -am package -DskipTests
jar=tools/benchmarks/target/rawzone-benchmarks.jar
logs=tools/benchmarks/target/pull-ingest
mkdir -p "$logs"
export CBOR_ENABLED=false
java -Xmx512m -cp "$jar" dev.rawzone.benchmarks.PullIngestBenchmark --records 100000 --page-size 1000 \
  > >(tee "$logs/run.log" | grep -v '^{') 2>&1
