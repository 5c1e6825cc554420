package dev.rawzone.benchmarks.suite;

/**
 * us-east-1 list prices the cost model uses, with where they were read. Taken 2026-12-02 from the stored copies of
 * public pages the project's library tool serves (no internet here); "assumption" marks a price no stored page
 * stated, to check against the AWS pricing page before relying on it.
 */
final class Prices {
    static final double LAMBDA_ARM_GB_SECOND = 0.0000133334;
    static final double LAMBDA_REQUEST = 0.20 / 1e6;
    static final double S3_PUT_CLASS_REQUEST = 0.005 / 1000;
    static final double S3_GET_CLASS_REQUEST = 0.0004 / 1000;
    static final double DYNAMODB_WRITE_UNIT = 0.625 / 1e6;
    static final double DYNAMODB_READ_UNIT = 0.125 / 1e6;
    static final double KINESIS_SHARD_HOUR = 0.015;
    static final double KINESIS_PUT_PAYLOAD_UNIT = 0.014 / 1e6;
    static final double SQS_REQUEST = 0.40 / 1e6;
    static final double FIREHOSE_GB = 0.029;

    /** Lambda gives a function one full vCPU at 1,769 MB and a share in proportion below it. */
    static final double LAMBDA_MB_PER_VCPU = 1769;
    static final int KINESIS_PUT_PAYLOAD_UNIT_BYTES = 25 * 1024;
    static final int FIREHOSE_RECORD_ROUNDING_BYTES = 5 * 1024;

    private Prices() {
    }

    static String markdown() {
        return """
                | price (us-east-1, list, first tier) | value | read from (2026-12-02) |
                |---|--:|---|
                | Lambda arm64 duration | $0.0000133334 per GB-s | lambda_local_runner docs (git.mcrn.ar, lambda-13-cost.md) and cloudchipr.com "AWS Lambda pricing" (US East) |
                | Lambda requests | $0.20 per million | the same two pages |
                | S3 Standard PUT, COPY, POST, LIST | $0.005 per 1,000 | cloudkaramchari.com "per 1000 PUT COPY POST or LIST requests" |
                | S3 Standard GET, HEAD | $0.0004 per 1,000 | assumption |
                | DynamoDB on-demand write request unit | $0.625 per million | airbyte.com "DynamoDB pricing" (US East, after the November 2024 cut) |
                | DynamoDB on-demand read request unit | $0.125 per million | the same page |
                | Kinesis Data Streams provisioned shard-hour | $0.015 | assumption (aws.amazon.com/kinesis/data-streams/pricing stored without figures) |
                | Kinesis PUT payload unit (25 KB) | $0.014 per million | assumption (unit size from aws.amazon.com/kinesis/pricing) |
                | SQS standard requests | $0.40 per million | cloudburn.io and factualminds.com "Amazon SQS pricing" (us-east-1, 2026) |
                | Amazon Data Firehose, Direct PUT ingestion, records rounded up to 5 KB | $0.029 per GB | assumption (the 5 KB rounding from aws.amazon.com/kinesis/data-firehose/pricing) |
                """.strip();
    }
}
