package dev.rawzone.runner.demo;

import dev.rawzone.runner.Main;
import dev.rawzone.runner.invoke.RunnerLocation;
import dev.rawzone.runner.template.Template;

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

    /** The repository template; the test is skipped while a function's jar is not built. */
    public static Template builtTemplate() {
        Template template = Template.load(ROOT.resolve("template.yaml"));
        for (String function : template.functionIds()) {
            Path jar = template.function(function, template.intrinsics(null)).codeUri();
            assumeTrue(Files.isRegularFile(jar), jar + " is not built (mvn -DskipTests package)");
        }
        return template;
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
