package dev.rawzone.runner.aws;

import dev.rawzone.testkit.Emulator;

import java.net.URI;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The emulator a run talks to: the one {@code AWS_ENDPOINT_URL} names (left running, with whatever the run created,
 * for the user to inspect), or one started for this run and stopped when the session closes or the JVM exits.
 */
public final class EmulatorSession implements AutoCloseable {
    private final URI endpoint;
    private final Emulator owned;
    private final AwsClients clients;
    private final Thread stopOnExit;

    private EmulatorSession(URI endpoint, Emulator owned) {
        this.endpoint = endpoint;
        this.owned = owned;
        this.clients = new AwsClients(endpoint);
        if (owned != null) {
            stopOnExit = new Thread(owned::close, "stop-emulator");
            Runtime.getRuntime().addShutdownHook(stopOnExit);
        } else {
            stopOnExit = null;
        }
    }

    public static EmulatorSession open(Map<String, String> environment, Supplier<Emulator> starter) {
        String given = environment.get("AWS_ENDPOINT_URL");
        if (given != null && !given.isBlank()) {
            return new EmulatorSession(URI.create(given.trim()), null);
        }
        Emulator emulator = starter.get();
        return new EmulatorSession(emulator.endpoint(), emulator);
    }

    public URI endpoint() {
        return endpoint;
    }

    public boolean owned() {
        return owned != null;
    }

    public AwsClients clients() {
        return clients;
    }

    public String describe() {
        return owned()
                ? "emulator " + endpoint + " (moto_server started for this run, stopped at exit)"
                : "emulator " + endpoint + " (from AWS_ENDPOINT_URL; what this run creates is kept there)";
    }

    @Override
    public void close() {
        clients.close();
        if (owned != null) {
            owned.close();
            try {
                Runtime.getRuntime().removeShutdownHook(stopOnExit);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs anyway
            }
        }
    }
}
