package dev.rawzone.core.config;

import dev.rawzone.core.write.PartPolicy;

import java.util.Map;

/**
 * The settings a handler reads from its environment (set by template.yaml). A missing required one is a clear
 * error at cold start, not a NullPointerException in the middle of a batch.
 */
public record IngestSettings(String rawBucket, String ingestConfig, String schemaLocation, String pipelineVersion,
                             PartPolicy partPolicy) {

    public static IngestSettings fromEnvironment(Map<String, String> env) {
        PartPolicy defaults = PartPolicy.defaults();
        return new IngestSettings(
                required(env, "RAW_BUCKET"),
                env.getOrDefault("INGEST_CONFIG", "classpath:ingest.json"),
                env.getOrDefault("SCHEMA_LOCATION", "classpath:schemas"),
                env.getOrDefault("PIPELINE_VERSION", "dev"),
                new PartPolicy(
                        Integer.parseInt(env.getOrDefault("PART_MAX_RECORDS", Integer.toString(defaults.maxRecords()))),
                        Long.parseLong(env.getOrDefault("PART_MAX_BYTES", Long.toString(defaults.maxBytes()))),
                        Integer.parseInt(env.getOrDefault("PART_GZIP_LEVEL", Integer.toString(defaults.gzipLevel())))));
    }

    private static String required(Map<String, String> env, String name) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("environment variable " + name + " is not set (template.yaml sets it)");
        }
        return value;
    }
}
