package dev.rawzone.functions.stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rawzone.core.checkpoint.CheckpointStore;
import dev.rawzone.core.checkpoint.DynamoDbCheckpointStore;
import dev.rawzone.core.config.AwsClients;
import dev.rawzone.core.config.IngestSettings;
import dev.rawzone.core.kinesis.KinesisIngester;
import dev.rawzone.core.kinesis.RecordClassifier;
import dev.rawzone.core.kinesis.ShardLedgers;
import dev.rawzone.core.kinesis.StreamRouting;
import dev.rawzone.core.observe.FunctionMetrics;
import dev.rawzone.core.validate.RecordValidator;
import dev.rawzone.core.validate.SchemaCatalogue;
import dev.rawzone.core.validate.SchemaSources;
import dev.rawzone.core.write.S3ConditionalSink;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.lambda.powertools.metrics.Metrics;

import java.util.Map;

/**
 * The handler's collaborators, built once per execution environment from the function's environment (template.yaml
 * sets it): RAW_BUCKET, CHECKPOINT_TABLE, INGEST_CONFIG (the stream routing), SCHEMA_LOCATION, PIPELINE_VERSION,
 * PART_MAX_RECORDS / PART_MAX_BYTES. Building makes no AWS call.
 */
public record StreamIngestWiring(IngestSettings settings, ObjectMapper mapper, StreamRouting routing,
                                 RecordClassifier classifier, KinesisIngester ingester, Metrics metrics) {
    static final String SERVICE = "stream-ingest";

    public static StreamIngestWiring fromEnvironment(Map<String, String> env) {
        AwsClients clients = new AwsClients(env);
        return of(env, clients.s3(), new DynamoDbCheckpointStore(clients.dynamoDbJson(), checkpointTable(env)));
    }

    /** The wiring over given clients and ledger store (tests inject faults there; benchmarks count calls). */
    public static StreamIngestWiring of(Map<String, String> env, S3Client s3, CheckpointStore checkpoints) {
        IngestSettings settings = IngestSettings.fromEnvironment(env);
        ObjectMapper mapper = new ObjectMapper();
        StreamRouting routing = StreamRouting.load(env.getOrDefault("INGEST_CONFIG", "classpath:streams.json"), () -> s3);
        SchemaCatalogue catalogue = new SchemaCatalogue(SchemaSources.fromLocation(settings.schemaLocation(), () -> s3));
        RecordClassifier classifier = new RecordClassifier(routing, new RecordValidator(catalogue));
        KinesisIngester ingester = new KinesisIngester(new S3ConditionalSink(s3, settings.rawBucket()),
                new ShardLedgers(checkpoints), classifier, settings.partPolicy(), mapper);
        Metrics metrics = FunctionMetrics.of(env, SERVICE);
        return new StreamIngestWiring(settings, mapper, routing, classifier, ingester, metrics);
    }

    static String checkpointTable(Map<String, String> env) {
        String table = env.get("CHECKPOINT_TABLE");
        if (table == null || table.isBlank()) {
            throw new IllegalStateException("environment variable CHECKPOINT_TABLE is not set (template.yaml sets it)");
        }
        return table;
    }
}
