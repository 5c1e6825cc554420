package dev.rawzone.runner.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rawzone.runner.RunnerException;
import dev.rawzone.testkit.Emulator;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The SAM translator ({@code samtranslator}, the Python package cfn-lint ships with) run as a subprocess: the
 * {@code AWS::Serverless} transform CloudFormation applies, so what the emulator deploys is what AWS would.
 * The interpreter is {@code RAWZONE_PYTHON}, else the first of {@code python3}, {@code python} and pyenv's
 * {@code ~/.pyenv/shims/python3} that can import the translator (a system {@code python3} often comes first on the
 * PATH and lacks it, while cfn-lint's Python is pyenv's).
 */
public final class SamTranslator {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SCRIPT = "sam_transform.py";

    private static final Map<String, String> FOUND = new ConcurrentHashMap<>();

    private final String python;

    public SamTranslator(Map<String, String> environment) {
        String home = environment.getOrDefault("HOME", System.getProperty("user.home"));
        this.python = environment.containsKey("RAWZONE_PYTHON") ? environment.get("RAWZONE_PYTHON")
                : FOUND.computeIfAbsent(home, SamTranslator::pythonWithTranslator);
    }

    private static String pythonWithTranslator(String home) {
        List<String> candidates = List.of("python3", "python", Path.of(home, ".pyenv", "shims", "python3").toString());
        for (String candidate : candidates) {
            try {
                Process probe = new ProcessBuilder(candidate, "-c", "import samtranslator")
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                if (probe.waitFor() == 0) {
                    return candidate;
                }
            } catch (IOException notThere) {
                // the next candidate
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return candidates.get(0); // running it then says what is missing
    }

    /** Each local {@code CodeUri} of the template's functions, with the logical ids of the functions using it. */
    public Map<String, List<String>> codeUris(Path template) {
        JsonNode uses = run("code-uris", template.toString());
        Map<String, List<String>> result = new LinkedHashMap<>();
        uses.fields().forEachRemaining(use -> {
            List<String> ids = new ArrayList<>();
            use.getValue().forEach(id -> ids.add(id.asText()));
            result.put(use.getKey(), List.copyOf(ids));
        });
        return result;
    }

    /**
     * The template as CloudFormation, each local {@code CodeUri} replaced by its {@code s3://} URI as a packaging
     * step leaves it; {@code emulator} answers the translator's managed-policy lookups.
     */
    public ObjectNode transform(Path template, Map<String, String> uploaded, Map<String, String> parameters,
                                URI emulator) {
        return resources(template, run("transform", template.toString(), write(uploaded), write(parameters),
                emulator.toString()));
    }

    /** The same transform with no emulator to ask: the template may name no AWS managed policy by name alone. */
    public ObjectNode transform(Path template, Map<String, String> uploaded, Map<String, String> parameters) {
        return resources(template, run("transform", template.toString(), write(uploaded), write(parameters)));
    }

    private static ObjectNode resources(Path template, JsonNode result) {
        if (!result.isObject() || !result.path("Resources").isObject()) {
            throw new RunnerException(1, "the SAM translator returned no Resources for " + template);
        }
        return (ObjectNode) result;
    }

    private JsonNode run(String... arguments) {
        Path script = script();
        List<String> command = new ArrayList<>(List.of(python, script.toString()));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command);
        // the translator needs a region; boto3 (for the managed-policy loader) needs credentials, the emulator's
        builder.environment().put("AWS_DEFAULT_REGION", Emulator.REGION);
        builder.environment().put("AWS_ACCESS_KEY_ID", Emulator.ACCESS_KEY);
        builder.environment().put("AWS_SECRET_ACCESS_KEY", Emulator.SECRET_KEY);
        builder.environment().remove("AWS_PROFILE");
        try {
            Process process;
            try {
                process = builder.start();
            } catch (IOException e) {
                throw new RunnerException(1, "cannot run " + python + " for the SAM translator (set RAWZONE_PYTHON to a "
                        + "Python with cfn-lint installed): " + e.getMessage());
            }
            process.getOutputStream().close();
            CompletableFuture<String> errors = CompletableFuture.supplyAsync(() -> text(process.getErrorStream()));
            byte[] output = process.getInputStream().readAllBytes();
            int code = process.waitFor();
            if (code != 0) {
                String message = errors.join().strip();
                if (message.contains("No module named")) {
                    message += " (the SAM translator comes with cfn-lint: pip install cfn-lint, or set RAWZONE_PYTHON)";
                }
                throw new RunnerException(1, "the SAM translator failed: " + message.lines()
                        .reduce((first, last) -> last).orElse("exit " + code));
            }
            return JSON.readTree(output);
        } catch (IOException e) {
            throw new UncheckedIOException("the SAM translator", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RunnerException(1, "interrupted while the SAM translator ran");
        } finally {
            try {
                Files.deleteIfExists(script);
            } catch (IOException ignored) {
                // a temporary file
            }
        }
    }

    private static Path script() {
        try (InputStream in = SamTranslator.class.getResourceAsStream(SCRIPT)) {
            if (in == null) {
                throw new IllegalStateException(SCRIPT + " is missing from the runner's resources");
            }
            Path file = Files.createTempFile("rawzone-sam-transform-", ".py");
            Files.write(file, in.readAllBytes());
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + SCRIPT, e);
        }
    }

    private static String text(InputStream stream) {
        try (stream) {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static String write(Map<String, String> map) {
        try {
            return JSON.writeValueAsString(map);
        } catch (IOException e) {
            throw new IllegalStateException("a map of strings always serialises", e);
        }
    }
}
