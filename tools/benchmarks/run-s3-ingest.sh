#!/usr/bin/env bash
# Builds the benchmark jar and runs the S3 push benchmark at the object sizes and heaps BENCHMARKS.md reports.
# Each run generates its object in a temp dir and deletes it afterwards; needs moto_server on PATH and about
# 3 GiB of free disk and memory for the 1 GiB object (the emulator keeps objects in memory).
# Logs go to tools/benchmarks/target/s3-ingest/. Extra arguments go to Maven (e.g. -o).
set -euo pipefail
cd "$(dirname "$0")/../.."
mvn -q "$@" -pl tools/benchmarks -am package -DskipTests
jar=tools/benchmarks/target/rawzone-benchmarks.jar
logs=tools/benchmarks/target/s3-ingest
mkdir -p "$logs"

# The JVM flags template.yaml gives S3IngestFunction (JAVA_TOOL_OPTIONS), so the figures are the function's.
flags=(-XX:+TieredCompilation -XX:+UseSerialGC)

run() { # heap, object size in MiB
  echo "== -Xmx$1, --size-mb $2"
  java "-Xmx$1" "${flags[@]}" -cp "$jar" dev.rawzone.benchmarks.S3IngestBenchmark --size-mb "$2" | tee "$logs/${2}mb-xmx$1.log"
}

run 512m 1024
run 512m 256
run 96m 1024

# Where the ingest spends its time: the 256 MiB run again under JFR, samples grouped by step.
echo "== -Xmx512m, --size-mb 256, under JFR"
java -Xmx512m "${flags[@]}" -XX:StartFlightRecording=settings=profile,filename="$logs/256mb.jfr" -cp "$jar" \
  dev.rawzone.benchmarks.S3IngestBenchmark --size-mb 256 > "$logs/256mb-xmx512m-jfr.log"
java -cp "$jar" dev.rawzone.benchmarks.JfrBreakdown "$logs/256mb.jfr" | tee "$logs/256mb-jfr-breakdown.md"

# Schema validation alone, beside parsing (records per CPU second).
java -Xmx512m "${flags[@]}" -cp "$jar" dev.rawzone.benchmarks.ValidationBenchmark | tee "$logs/validation.log"
