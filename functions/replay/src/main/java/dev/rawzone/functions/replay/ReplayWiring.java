package dev.rawzone.functions.replay;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rawzone.core.checkpoint.CheckpointStore;
import dev.rawzone.core.checkpoint.DynamoDbCheckpointStore;
import dev.rawzone.core.config.AwsClients;
import dev.rawzone.core.config.AwsJsonCall;
import dev.rawzone.core.config.IngestSettings;
import dev.rawzone.core.config.SecretsManagerSecrets;
import dev.rawzone.core.config.SsmParameters;
import dev.rawzone.core.kinesis.StreamRouting;
import dev.rawzone.core.observe.FunctionMetrics;
import dev.rawzone.core.pull.AwsSecretResolver;
import dev.rawzone.core.pull.PullSources;
import dev.rawzone.core.pull.PullSourcesLocation;
import dev.rawzone.core.pull.SecretResolver;
import dev.rawzone.core.replay.ReplayMode;
import dev.rawzone.core.route.Routing;
import dev.rawzone.core.validate.SchemaCatalogue;
import dev.rawzone.core.validate.SchemaSources;
import dev.rawzone.core.write.ConditionalSink;
import dev.rawzone.core.write.S3ConditionalSink;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.lambda.powertools.metrics.Metrics;

import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * What the replay modes are built from, once per execution environment, from the function's environment
 * (template.yaml sets every variable it reads: RAW_BUCKET, SCHEMA_LOCATION, INGEST_CONFIG, STREAM_CONFIG,
 * PIPELINE_VERSION, CHECKPOINT_TABLE, the three failure queues' URLs, PULL_SOURCES, REPLAY_TIME_RESERVE_MS and
 * REPLAY_MODES; ReplayTemplateTest checks it). Building makes no AWS call; the routing and the pull sources are read when a mode asks for them, so an edited configuration takes effect on the next invocation.
 *
 * @param failureQueues the failure destinations by source ({@code s3}, {@code kinesis}, {@code pull}), in the order
 *                      a redrive drains them; a source whose variable is unset is left out
 * @param reserve       time kept back from the Lambda timeout to finish the unit in hand and write the manifest
 * @param modes         the modes this function runs (REPLAY_MODES, e.g. {@code verify}; unset: all): each function
 *                      is given the permissions of its modes only, so it refuses the others
 */
public record ReplayWiring(IngestSettings settings, ObjectMapper mapper, S3Client s3, ConditionalSink raw,
                           SchemaCatalogue catalogue, Supplier<Routing> routing, Supplier<StreamRouting> streamRouting,
                           SqsClient sqs, KinesisClient kinesis, AwsJsonCall dynamoDb,
                           Optional<String> checkpointTable, Map<String, String> failureQueues,
                           Supplier<PullSources> pullSources, SecretResolver secrets, Duration reserve, Clock clock,
                           Metrics metrics, Set<ReplayMode> modes) {
    static final String SERVICE = "replay";
    private static final Map<String, String> QUEUE_VARIABLES = queueVariables();

    public ReplayWiring {
        failureQueues = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(failureQueues));
        modes = Set.copyOf(modes);
    }

    public static ReplayWiring fromEnvironment(Map<String, String> env) {
        IngestSettings settings = IngestSettings.fromEnvironment(env);
        AwsClients clients = new AwsClients(env);
        S3Client s3 = clients.s3();
        SsmParameters ssm = clients.ssmParameters();
        SecretsManagerSecrets secretsManager = clients.secretsManagerSecrets();
        ObjectMapper mapper = new ObjectMapper();
        String streamConfig = env.getOrDefault("STREAM_CONFIG", "classpath:streams.json");
        Optional<String> sourcesLocation = present(env, "PULL_SOURCES");
        Map<String, String> queues = new LinkedHashMap<>();
        QUEUE_VARIABLES.forEach((source, variable) -> present(env, variable).ifPresent(url -> queues.put(source, url)));
        return new ReplayWiring(settings, mapper, s3, new S3ConditionalSink(s3, settings.rawBucket()),
                new SchemaCatalogue(SchemaSources.fromLocation(settings.schemaLocation(), () -> s3)),
                () -> Routing.load(settings.ingestConfig(), () -> s3),
                () -> StreamRouting.load(streamConfig, () -> s3),
                clients.sqs(), clients.kinesis(), clients.dynamoDbJson(), present(env, "CHECKPOINT_TABLE"), queues,
                () -> PullSourcesLocation.load(sourcesLocation.orElseThrow(() -> unset("PULL_SOURCES")), () -> s3,
                        () -> ssm, mapper),
                new AwsSecretResolver(() -> secretsManager, () -> ssm),
                Duration.ofMillis(Long.parseLong(env.getOrDefault("REPLAY_TIME_RESERVE_MS", "30000"))),
                Clock.systemUTC(), FunctionMetrics.of(env, SERVICE), modes(env));
    }

    /** The shard ledgers and pull cursors (CHECKPOINT_TABLE). */
    public CheckpointStore checkpoints() {
        return new DynamoDbCheckpointStore(dynamoDb, checkpointTable.orElseThrow(() -> unset("CHECKPOINT_TABLE")));
    }

    /** The same wiring with another clock (tests fix the generated run id's time). */
    ReplayWiring withClock(Clock other) {
        return new ReplayWiring(settings, mapper, s3, raw, catalogue, routing, streamRouting, sqs, kinesis, dynamoDb,
                checkpointTable, failureQueues, pullSources, secrets, reserve, other, metrics, modes);
    }

    private static Set<ReplayMode> modes(Map<String, String> env) {
        Optional<String> listed = present(env, "REPLAY_MODES");
        if (listed.isEmpty()) {
            return EnumSet.allOf(ReplayMode.class);
        }
        Set<ReplayMode> modes = EnumSet.noneOf(ReplayMode.class);
        for (String mode : listed.get().split(",")) {
            try {
                modes.add(ReplayMode.parse(mode));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("environment variable REPLAY_MODES: " + e.getMessage(), e);
            }
        }
        return modes;
    }

    private static Map<String, String> queueVariables() {
        Map<String, String> variables = new LinkedHashMap<>();
        variables.put("s3", "S3_DEAD_LETTER_QUEUE_URL");
        variables.put("kinesis", "STREAM_FAILURE_QUEUE_URL");
        variables.put("pull", "PULL_DEAD_LETTER_QUEUE_URL");
        return variables;
    }

    private static Optional<String> present(Map<String, String> env, String name) {
        return Optional.ofNullable(env.get(name)).filter(value -> !value.isBlank());
    }

    private static IllegalStateException unset(String name) {
        return new IllegalStateException("environment variable " + name + " is not set (template.yaml sets it)");
    }
}
