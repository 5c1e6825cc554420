package dev.rawzone.benchmarks.suite;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What ingesting a GiB costs on AWS, from figures measured by the benchmarks: AWS calls per record and per GiB,
 * Lambda GB-seconds per GiB at the template's memory size, and the request prices of {@link Prices}, beside Amazon
 * Data Firehose's per-GB ingestion price for the same records (each rounded up to 5 KB).
 *
 * <p>Lambda time is scaled from CPU time: at M MB a function gets M / 1,769 of a vCPU, so a path that used C seconds
 * of CPU here needs about C / (M / 1,769) seconds there, if a Lambda arm64 vCPU does per second what a core of this
 * machine does (not measured) and waiting on S3 and DynamoDB adds nothing (it does on AWS: a lower bound).
 */
final class CostModel {
    private static final double GIB = 1024.0 * 1024 * 1024;

    /** The Kinesis path, from StreamIngestBenchmark: CPU for one batch and the calls per record at the template's batch size. */
    record StreamInputs(double cpuMsPerBatch, double recordsPerBatch, double bytesPerRecord,
                        Map<String, Double> callsPerRecordByOperation, int batchSize, int memoryMb) {
    }

    /**
     * The S3 path, from S3IngestBenchmark's ingest phase, and the skip rate of ResumeBenchmark (a continuation passes
     * over what earlier invocations covered).
     */
    record S3Inputs(double cpuSeconds, double gzipMib, double jsonMib, double records, double putRequests,
                    Optional<Double> skipJsonMibPerSecond, int memoryMb, int timeoutSeconds) {
    }

    /** One line of a bill: what, how many per GiB, at what price. */
    record Item(String what, double quantity, double unitPrice) {
        double dollars() {
            return quantity * unitPrice;
        }
    }

    private CostModel() {
    }

    static double vcpuShare(int memoryMb) {
        return memoryMb / Prices.LAMBDA_MB_PER_VCPU;
    }

    static List<Item> stream(StreamInputs in) {
        double records = GIB / in.bytesPerRecord();
        double cpuSecondsPerRecord = in.cpuMsPerBatch() / 1000 / in.recordsPerBatch();
        double lambdaSeconds = cpuSecondsPerRecord * records / vcpuShare(in.memoryMb());
        List<Item> items = new ArrayList<>();
        items.add(new Item(String.format(Locale.ROOT, "Lambda GB-s (%d MB, %.2f vCPU)", in.memoryMb(),
                vcpuShare(in.memoryMb())), lambdaSeconds * in.memoryMb() / 1024.0, Prices.LAMBDA_ARM_GB_SECOND));
        items.add(new Item("Lambda requests (batches of " + in.batchSize() + ")", records / in.batchSize(),
                Prices.LAMBDA_REQUEST));
        items.addAll(awsCalls(in.callsPerRecordByOperation(), records));
        items.add(new Item("Kinesis PUT payload units (25 KB)",
                records * Math.ceil(in.bytesPerRecord() / Prices.KINESIS_PUT_PAYLOAD_UNIT_BYTES),
                Prices.KINESIS_PUT_PAYLOAD_UNIT));
        double recordsPerShardSecond = Math.min(1000, 1024 * 1024 / in.bytesPerRecord());
        items.add(new Item("Kinesis shard-hours (shard full: 1,000 records/s or 1 MiB/s)",
                records / recordsPerShardSecond / 3600, Prices.KINESIS_SHARD_HOUR));
        return items;
    }

    static List<Item> s3(S3Inputs in) {
        double perGib = 1024 / in.gzipMib();
        double records = in.records() * perGib;
        double jsonMib = in.jsonMib() * perGib;
        double share = vcpuShare(in.memoryMb());
        double work = in.cpuSeconds() * perGib / share;
        Invocations invocations = invocations(work, jsonMib, in.skipJsonMibPerSecond().map(r -> r * share),
                in.timeoutSeconds());
        List<Item> items = new ArrayList<>();
        items.add(new Item(String.format(Locale.ROOT, "Lambda GB-s (%d MB, %.2f vCPU; %d invocation(s), %.0f s of it "
                        + "skipping)", in.memoryMb(), share, invocations.count(), invocations.skipSeconds()),
                invocations.seconds() * in.memoryMb() / 1024.0, Prices.LAMBDA_ARM_GB_SECOND));
        items.add(new Item("Lambda requests (the notification, then one per continuation)", invocations.count(),
                Prices.LAMBDA_REQUEST));
        items.add(new Item("S3 PUT requests (parts, manifest and the rest, counted)", in.putRequests() * perGib,
                Prices.S3_PUT_CLASS_REQUEST));
        items.add(new Item("S3 GET + HEAD of the object (2 per invocation, not counted)", 2.0 * invocations.count(),
                Prices.S3_GET_CLASS_REQUEST));
        items.add(new Item("SQS continuation messages (send, receive, delete)", 3.0 * (invocations.count() - 1),
                Prices.SQS_REQUEST));
        return items;
    }

    /** Firehose's ingestion charge for the same records: each rounded up to 5 KB. */
    static Item firehose(double records, double bytesPerRecord) {
        double rounded = Math.ceil(bytesPerRecord / Prices.FIREHOSE_RECORD_ROUNDING_BYTES) * Prices.FIREHOSE_RECORD_ROUNDING_BYTES;
        return new Item(String.format(Locale.ROOT, "Firehose GB billed (%,.0f records × %.0f KB)", records,
                rounded / 1024), records * rounded / GIB, Prices.FIREHOSE_GB);
    }

    record Invocations(int count, double seconds, double skipSeconds) {
    }

    /**
     * Invocations of at most {@code timeout} seconds for {@code work} seconds of ingest: each after the first skips,
     * at {@code skipMibPerSecond} of JSON Lines, what the earlier ones covered. Without a skip rate, skipping is free.
     */
    static Invocations invocations(double work, double jsonMib, Optional<Double> skipMibPerSecond, int timeout) {
        double remaining = work;
        double covered = 0;
        double seconds = 0;
        double skipping = 0;
        int count = 0;
        while (remaining > 1e-9) {
            double coveredMib = covered * jsonMib;
            double skip = skipMibPerSecond.map(rate -> coveredMib / rate).orElse(0.0);
            if (skip >= timeout || count > 10_000) {
                throw new IllegalStateException("an invocation would spend its whole timeout skipping");
            }
            double done = Math.min(timeout - skip, remaining);
            remaining -= done;
            covered += done / work;
            seconds += skip + done;
            skipping += skip;
            count++;
        }
        return new Invocations(count, seconds, skipping);
    }

    private static List<Item> awsCalls(Map<String, Double> callsPerRecord, double records) {
        List<Item> items = new ArrayList<>();
        callsPerRecord.forEach((operation, perRecord) -> items.add(new Item(operation + " (" + Spread.number(perRecord)
                + " a record)", perRecord * records, price(operation))));
        return items;
    }

    /**
     * The request price of an SDK operation ("Service Operation"); DynamoDB items here are under 1 KB, so one request
     * unit per item read or written.
     */
    static double price(String operation) {
        return switch (operation) {
            case "S3 PutObject", "S3 CopyObject", "S3 ListObjectsV2", "S3 ListObjectVersions",
                    "S3 CreateMultipartUpload", "S3 UploadPart", "S3 CompleteMultipartUpload" -> Prices.S3_PUT_CLASS_REQUEST;
            case "S3 GetObject", "S3 HeadObject" -> Prices.S3_GET_CLASS_REQUEST;
            case "DynamoDb PutItem", "DynamoDb UpdateItem", "DynamoDb DeleteItem" -> Prices.DYNAMODB_WRITE_UNIT;
            case "DynamoDb TransactWriteItems" -> 2 * Prices.DYNAMODB_WRITE_UNIT;
            case "DynamoDb GetItem", "DynamoDb Query" -> Prices.DYNAMODB_READ_UNIT;
            default -> throw new IllegalArgumentException("no price for " + operation + ": add it to CostModel.price");
        };
    }

    static String markdown(Optional<StreamInputs> stream, Optional<S3Inputs> s3) {
        StringBuilder out = new StringBuilder();
        stream.ifPresent(in -> {
            double records = GIB / in.bytesPerRecord();
            out.append(String.format(Locale.ROOT, "**%.0f-byte records through Kinesis, per GiB (%,.0f records).** "
                            + "Inputs: %s ms of JVM CPU for a %,.0f-record batch (StreamIngestHandler into the emulator), "
                            + "AWS calls per record at the template's batch size %d (StreamBatchSize), MemorySize %d MB.%n%n",
                    in.bytesPerRecord(), records, Spread.number(in.cpuMsPerBatch()), in.recordsPerBatch(),
                    in.batchSize(), in.memoryMb()));
            table(out, stream(in), firehose(records, in.bytesPerRecord()));
        });
        s3.ifPresent(in -> {
            double perGib = 1024 / in.gzipMib();
            out.append(String.format(Locale.ROOT, "**A 1 GiB gzip object through S3 (%.2f GiB of JSON Lines, %,.0f "
                            + "records).** Inputs: %s s of JVM CPU and %,.0f PUT requests for %.0f MiB of gzip "
                            + "(S3IngestBenchmark's ingest phase), skip rate %s, MemorySize %d MB, Timeout %d s.%n%n",
                    in.jsonMib() * perGib / 1024, in.records() * perGib, Spread.number(in.cpuSeconds()),
                    in.putRequests(), in.gzipMib(),
                    in.skipJsonMibPerSecond().map(r -> Spread.number(r) + " MiB/s of JSON Lines here (ResumeBenchmark)")
                            .orElse("not measured (skipping taken as free)"), in.memoryMb(), in.timeoutSeconds()));
            table(out, s3(in), firehose(in.records() * perGib, in.jsonMib() * 1024 * 1024 / in.records()));
        });
        out.append(Prices.markdown()).append('\n');
        return out.toString().strip();
    }

    private static void table(StringBuilder out, List<Item> items, Item firehose) {
        out.append("| item | per GiB | unit price | $ per GiB |\n|---|--:|--:|--:|\n");
        double total = 0;
        for (Item item : items) {
            row(out, item);
            total += item.dollars();
        }
        out.append(String.format(Locale.ROOT, "| **total, this pipeline** | | | **%s** |%n", dollars(total)));
        row(out, firehose);
        out.append("| **pipeline / Firehose** | | | **" + Spread.number(total / firehose.dollars()) + "** |\n\n");
    }

    private static void row(StringBuilder out, Item item) {
        out.append(String.format(Locale.ROOT, "| %s | %s | %s | %s |%n", item.what(), Spread.number(item.quantity()),
                "$" + Spread.number(item.unitPrice()), dollars(item.dollars())));
    }

    private static String dollars(double value) {
        return "$" + (value >= 0.01 ? String.format(Locale.ROOT, "%.3f", value) : Spread.number(value));
    }
}
