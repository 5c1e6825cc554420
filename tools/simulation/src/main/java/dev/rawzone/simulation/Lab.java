package dev.rawzone.simulation;

import dev.rawzone.core.config.AwsClients;
import dev.rawzone.simulation.faults.CrashPlan;
import dev.rawzone.testkit.Emulator;
import dev.rawzone.testkit.FaultInjectingProxy;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The place every scenario runs in: one emulator for the whole run, reset before each scenario, and a
 * fault-injecting proxy in front of it that the functions' clients go through (the harness's own clients go
 * straight to the emulator, so reading the raw zone back is never faulted).
 */
final class Lab implements AutoCloseable {
    static final String LANDING = "sim-landing";
    static final String RAW = "sim-raw";
    static final String CONFIG = "sim-config";
    static final String TABLE = "sim-checkpoints";

    private final Emulator emulator;
    final FaultInjectingProxy proxy;
    final S3Client s3;
    final DynamoDbClient dynamoDb;
    final SecretsManagerClient secrets;
    final SqsClient sqs;
    final KinesisClient kinesis;

    private Lab(Emulator emulator) {
        this.emulator = emulator;
        this.proxy = new FaultInjectingProxy(emulator.endpoint());
        AwsClients direct = new AwsClients(emulator.environment());
        this.s3 = direct.s3();
        this.dynamoDb = direct.dynamoDb();
        this.secrets = direct.secretsManager();
        this.sqs = direct.sqs();
        this.kinesis = direct.kinesis();
    }

    static Lab start() {
        return new Lab(Emulator.start());
    }

    /** An empty account with the buckets and the checkpoint table every source uses. */
    void reset() {
        CrashPlan.disarm();
        proxy.clear();
        emulator.reset();
        for (String bucket : new String[] {LANDING, RAW, CONFIG}) {
            s3.createBucket(b -> b.bucket(bucket));
            s3.putBucketVersioning(v -> v.bucket(bucket).versioningConfiguration(c -> c.status("Enabled")));
        }
        dynamoDb.createTable(t -> t.tableName(TABLE).billingMode(BillingMode.PAY_PER_REQUEST)
                .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build())
                .attributeDefinitions(AttributeDefinition.builder().attributeName("pk")
                        .attributeType(ScalarAttributeType.S).build()));
    }

    void putConfig(String key, String text) {
        s3.putObject(p -> p.bucket(CONFIG).key(key), RequestBody.fromString(text, StandardCharsets.UTF_8));
    }

    /** A function's environment as template.yaml sets it, its AWS calls going through the proxy. */
    Map<String, String> functionEnvironment(Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(emulator.environment());
        env.put("AWS_ENDPOINT_URL", proxy.endpoint().toString());
        env.put("RAW_BUCKET", RAW);
        env.put("CHECKPOINT_TABLE", TABLE);
        env.put("PIPELINE_VERSION", "simulation");
        env.put("POWERTOOLS_METRICS_NAMESPACE", "rawzone-simulation");
        env.putAll(extra);
        return env;
    }

    @Override
    public void close() {
        proxy.close();
        emulator.close();
    }
}
