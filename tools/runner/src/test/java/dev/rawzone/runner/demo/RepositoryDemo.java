package dev.rawzone.runner.demo;

import dev.rawzone.runner.Main;
import dev.rawzone.runner.invoke.RunnerLocation;
import dev.rawzone.runner.deploy.SamTranslator;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@code ingest demo} on the repository's own template and built function jars, against a test's emulator. */
public final class RepositoryDemo {
    public static final Path ROOT = Path.of("../..").toAbsolutePath().normalize();

    private RepositoryDemo() {
    }

    /** Skips the test while a jar the repository template names as a CodeUri is not built. */
    public static void requireBuiltJars() {
        for (String codeUri : new SamTranslator(System.getenv()).codeUris(ROOT.resolve("template.yaml")).keySet()) {
            Path jar = ROOT.resolve(codeUri);
            assumeTrue(Files.isRegularFile(jar), jar + " is not built (mvn -DskipTests package)");
        }
    }

    /** Runs the demo on the emulator at {@code endpoint}; asserts it exits 0 and returns what it printed. */
    public static String run(URI endpoint) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Main main = new Main(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of("PATH", System.getenv("PATH"), "AWS_ENDPOINT_URL", endpoint.toString(), "CBOR_ENABLED", "false"),
                () -> {
                    throw new AssertionError("the demo must use AWS_ENDPOINT_URL here");
                }, RunnerLocation.current());
        int code = main.run("demo", "--template", ROOT.resolve("template.yaml").toString());
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, text + err.toString(StandardCharsets.UTF_8));
        return text;
    }
}
