package dev.rawzone.simulation;

import java.util.Random;

/**
 * The configuration the functions read from the config bucket (routing and versioned schemas), and the changes an
 * operator may publish at any moment: a new schema version, or a route moved to another dataset. Containers
 * started before a change keep what they read; those started after see the change.
 */
final class SimulatedConfig {
    static final String S3_ROUTES = "ingest.json";
    static final String STREAM_ROUTES = "streams.json";
    static final String SCHEMAS = "schemas";
    private static final String[] DATASETS = {"alpha", "beta", "gamma"};
    private static final int MAX_VERSION = 3;

    private final Lab lab;
    private int version = 1;
    private boolean moved;

    private SimulatedConfig(Lab lab) {
        this.lab = lab;
    }

    static SimulatedConfig publish(Lab lab) {
        SimulatedConfig config = new SimulatedConfig(lab);
        for (String dataset : DATASETS) {
            lab.putConfig(SCHEMAS + "/" + dataset + "/v1.json", RecordTexts.schema(1));
        }
        config.publishRoutes();
        return config;
    }

    /** Publishes one change; says which. */
    String change(Random random) {
        if (version < MAX_VERSION && (moved || random.nextBoolean())) {
            version++;
            for (String dataset : DATASETS) {
                lab.putConfig(SCHEMAS + "/" + dataset + "/v" + version + ".json", RecordTexts.schema(version));
            }
            return "schema v" + version + " published";
        }
        moved = !moved;
        publishRoutes();
        return moved ? "route in/alpha/ and stream alpha moved to dataset gamma" : "route moved back to alpha";
    }

    private void publishRoutes() {
        String alpha = moved ? "gamma" : "alpha";
        lab.putConfig(S3_ROUTES, "{\"routes\":[{\"prefix\":\"in/alpha/\",\"dataset\":\"" + alpha + "\"},"
                + "{\"prefix\":\"in/beta/\",\"dataset\":\"beta\"}]}");
        lab.putConfig(STREAM_ROUTES, "{\"streams\":[{\"stream\":\"alpha\",\"dataset\":\"" + alpha + "\"},"
                + "{\"stream\":\"*\",\"dataset\":\"beta\"}]}");
    }
}
