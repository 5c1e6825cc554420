package dev.rawzone.functions.s3;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rawzone.core.config.AwsClients;
import dev.rawzone.core.config.IngestSettings;
import dev.rawzone.core.observe.CountsPublisher;
import dev.rawzone.core.read.ReaderLimits;
import dev.rawzone.core.route.Routing;
import dev.rawzone.core.s3.S3ObjectIngester;
import dev.rawzone.core.validate.SchemaCatalogue;
import dev.rawzone.core.validate.SchemaSources;
import dev.rawzone.core.write.S3ConditionalSink;
import software.amazon.awssdk.services.s3.S3Client;

import java.util.Map;
import java.util.Optional;

/**
 * The handler's collaborators, built once per execution environment from the function's environment. With a
 * {@code CONTINUATION_QUEUE_URL}, an invocation stops reading {@code CONTINUE_MARGIN_MILLIS} (default 60 s) before
 * its timeout and hands the rest of the object to the queue; without one it reads every object to its end.
 */
record S3IngestWiring(IngestSettings settings, ObjectMapper mapper, Routing routing, S3ObjectIngester ingester,
                      CountsPublisher publisher, Optional<ContinuationQueue> continuations, long marginMillis) {
    private static final long DEFAULT_MARGIN_MILLIS = 60_000;

    static S3IngestWiring fromEnvironment(Map<String, String> env) {
        IngestSettings settings = IngestSettings.fromEnvironment(env);
        S3Client s3 = new AwsClients(env).s3();
        ObjectMapper mapper = new ObjectMapper();
        Routing routing = Routing.load(settings.ingestConfig(), () -> s3);
        SchemaCatalogue catalogue = new SchemaCatalogue(SchemaSources.fromLocation(settings.schemaLocation(), () -> s3));
        S3ObjectIngester ingester = new S3ObjectIngester(s3, new S3ConditionalSink(s3, settings.rawBucket()),
                settings.rawBucket(), routing, catalogue, settings.partPolicy(), ReaderLimits.defaults(), mapper);
        Optional<ContinuationQueue> continuations = Optional.ofNullable(env.get("CONTINUATION_QUEUE_URL"))
                .filter(url -> !url.isBlank())
                .map(url -> new ContinuationQueue(new AwsClients(env).sqs(), url, mapper));
        long margin = Long.parseLong(env.getOrDefault("CONTINUE_MARGIN_MILLIS", Long.toString(DEFAULT_MARGIN_MILLIS)));
        return new S3IngestWiring(settings, mapper, routing, ingester, CountsPublisher.fromEnvironment(env, "s3-ingest"),
                continuations, margin);
    }
}
