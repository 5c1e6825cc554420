package dev.rawzone.functions.pull;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rawzone.core.checkpoint.CheckpointStore;
import dev.rawzone.core.checkpoint.DynamoDbCheckpointStore;
import dev.rawzone.core.config.AwsClients;
import dev.rawzone.core.config.IngestSettings;
import dev.rawzone.core.config.SecretsManagerSecrets;
import dev.rawzone.core.config.SsmParameters;
import dev.rawzone.core.observe.FunctionMetrics;
import dev.rawzone.core.pull.AwsSecretResolver;
import dev.rawzone.core.pull.DrawTimeRandom;
import dev.rawzone.core.pull.PageFetcher;
import dev.rawzone.core.pull.PullSources;
import dev.rawzone.core.pull.PullSourcesLocation;
import dev.rawzone.core.pull.SecretResolver;
import dev.rawzone.core.pull.Sleeper;
import dev.rawzone.core.pull.SourcePuller;
import dev.rawzone.core.validate.SchemaCatalogue;
import dev.rawzone.core.validate.SchemaSources;
import dev.rawzone.core.write.ConditionalSink;
import dev.rawzone.core.write.S3ConditionalSink;
import software.amazon.awssdk.services.s3.S3Client;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The handler's collaborators, built once per execution environment from the function's environment. The sources
 * configuration is re-read on every invocation, so an edited SSM parameter takes effect on the next run.
 *
 * <p>Environment (besides {@link IngestSettings}'s): {@code PULL_SOURCES} (where the sources configuration is:
 * {@code ssm:<parameter>}, {@code s3://}, {@code classpath:} or a file), {@code CHECKPOINT_TABLE},
 * {@code PULL_TIME_RESERVE_MS} (time kept back from the Lambda timeout to finish a page; default 20000),
 * {@code PULL_SEEN_CAP} (record versions kept for the lookback; default 20000), {@code PULL_SEEN_INLINE_BYTES}
 * (the largest seen set kept in the checkpoint item; a bigger one is its own object; default 65536) and
 * {@code PULL_MAX_QUERY_PAGES} (pages one query may have before its pagination is taken for one that never ends;
 * default 10000).
 */
record PullIngestWiring(IngestSettings settings, ObjectMapper mapper, Supplier<PullSources> sources,
                        CheckpointStore checkpoints, ConditionalSink raw, PageFetcher fetcher, SecretResolver secrets,
                        SchemaCatalogue catalogue, Clock clock, int seenCap, int maxQueryPages, int seenInlineBytes,
                        Duration reserve, PullMetrics metrics) {
    static final String SERVICE = "pull-ingest";

    static PullIngestWiring fromEnvironment(Map<String, String> env) {
        IngestSettings settings = IngestSettings.fromEnvironment(env);
        AwsClients clients = new AwsClients(env);
        S3Client s3 = clients.s3();
        Supplier<SsmParameters> ssm = memoize(clients::ssmParameters);
        Supplier<SecretsManagerSecrets> secretsManager = memoize(clients::secretsManagerSecrets);
        ObjectMapper mapper = new ObjectMapper();
        String sourcesLocation = required(env, "PULL_SOURCES");
        Clock clock = Clock.systemUTC();
        PullMetrics metrics = new PullMetrics(FunctionMetrics.of(env, SERVICE), FunctionMetrics.namespace(env),
                FunctionMetrics.service(env, SERVICE));
        return new PullIngestWiring(settings, mapper,
                () -> PullSourcesLocation.load(sourcesLocation, () -> s3, ssm, mapper),
                new DynamoDbCheckpointStore(clients.dynamoDbJson(), required(env, "CHECKPOINT_TABLE")),
                new S3ConditionalSink(s3, settings.rawBucket()),
                PageFetcher.create(clock, Sleeper.real(), new DrawTimeRandom()),
                new AwsSecretResolver(secretsManager, ssm),
                new SchemaCatalogue(SchemaSources.fromLocation(settings.schemaLocation(), () -> s3)),
                clock,
                Integer.parseInt(env.getOrDefault("PULL_SEEN_CAP", Integer.toString(SourcePuller.DEFAULT_SEEN_CAP))),
                Integer.parseInt(env.getOrDefault("PULL_MAX_QUERY_PAGES",
                        Integer.toString(SourcePuller.DEFAULT_MAX_QUERY_PAGES))),
                Integer.parseInt(env.getOrDefault("PULL_SEEN_INLINE_BYTES",
                        Integer.toString(SourcePuller.DEFAULT_SEEN_INLINE_BYTES))),
                Duration.ofMillis(Long.parseLong(env.getOrDefault("PULL_TIME_RESERVE_MS", "20000"))),
                metrics);
    }

    SourcePuller puller() {
        return new SourcePuller(checkpoints, raw, fetcher, secrets, catalogue, settings.partPolicy(), mapper, clock,
                seenCap, maxQueryPages, seenInlineBytes);
    }

    /** The same wiring with another checkpoint store (tests wrap the real one to crash or race). */
    PullIngestWiring withCheckpoints(CheckpointStore other) {
        return new PullIngestWiring(settings, mapper, sources, other, raw, fetcher, secrets, catalogue, clock, seenCap,
                maxQueryPages, seenInlineBytes, reserve, metrics);
    }

    /** The same wiring with another raw-zone sink (tests wrap the real one to crash after a write). */
    PullIngestWiring withRaw(ConditionalSink other) {
        return new PullIngestWiring(settings, mapper, sources, checkpoints, other, fetcher, secrets, catalogue, clock,
                seenCap, maxQueryPages, seenInlineBytes, reserve, metrics);
    }

    /** The same wiring with another clock for the pull (tests move time past a {@code Retry-After}). */
    PullIngestWiring withClock(Clock other) {
        return new PullIngestWiring(settings, mapper, sources, checkpoints, raw, fetcher, secrets, catalogue, other,
                seenCap, maxQueryPages, seenInlineBytes, reserve, metrics);
    }

    private static String required(Map<String, String> env, String name) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("environment variable " + name + " is not set (template.yaml sets it)");
        }
        return value;
    }

    private static <T> Supplier<T> memoize(Supplier<T> factory) {
        return new Supplier<>() {
            private T value;

            @Override
            public synchronized T get() {
                if (value == null) {
                    value = factory.get();
                }
                return value;
            }
        };
    }
}
