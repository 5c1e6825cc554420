package dev.rawzone.runner;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/**
 * A throwaway repository for the runner's tests: the test template as {@code template.yaml}, the stub handlers built
 * into {@code functions/stub/target/stub.jar} (its manifest Class-Path names the libraries they use, like a thin
 * Lambda jar; the runner's own classes and SnakeYAML are left out, so a function cannot see them), a sample object
 * under {@code events/objects/} and sample events under {@code events/}.
 */
public final class TestProject {
    public static final String SAMPLE_KEY = "orders/2026/11/25/sample one+é.jsonl";

    public final Path root;
    public final Path template;
    public final Path stubJar;

    private TestProject(Path root) {
        this.root = root;
        this.template = root.resolve("template.yaml");
        this.stubJar = root.resolve("functions/stub/target/stub.jar");
    }

    public static TestProject create(Path root) throws IOException {
        TestProject project = new TestProject(root);
        try (InputStream template = TestProject.class.getResourceAsStream("/template-test.yaml")) {
            Files.copy(template, project.template);
        }
        buildStubJar(project.stubJar);
        Path object = root.resolve("events/objects/" + SAMPLE_KEY);
        Files.createDirectories(object.getParent());
        Files.writeString(object, "{\"order_id\":\"o-1\"}\n");
        project.writeEvent("s3-put.json", """
                {"Records":[{"eventVersion":"2.1","eventSource":"aws:s3","awsRegion":"us-east-1",
                  "eventTime":"2026-11-25T10:00:00.000Z","eventName":"ObjectCreated:Put",
                  "s3":{"bucket":{"name":"rawzone-local-landing-123456789012"},
                        "object":{"key":"orders/2026/11/25/sample+one%2B%C3%A9.jsonl","size":19,
                                  "versionId":"v1","sequencer":"0A"}}},
                  {"eventVersion":"2.1","eventSource":"aws:s3","awsRegion":"us-east-1",
                  "eventTime":"2026-11-25T10:00:01.000Z","eventName":"ObjectCreated:Put",
                  "s3":{"bucket":{"name":"rawzone-local-landing-123456789012"},
                        "object":{"key":"orders/other.jsonl","size":3,"sequencer":"0B"}}}]}
                """);
        return project;
    }

    public Path writeEvent(String name, String content) throws IOException {
        Path file = root.resolve("events/" + name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return file;
    }

    static void buildStubJar(Path jar) throws IOException {
        Path testClasses = Path.of(TestProject.class.getProtectionDomain().getCodeSource().getLocation().getPath());
        Path mainClasses = testClasses.resolveSibling("classes");
        List<String> classPath = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path path = Path.of(entry).toAbsolutePath();
            if (entry.isBlank() || path.equals(testClasses.toAbsolutePath()) || path.equals(mainClasses.toAbsolutePath())
                    || path.getFileName().toString().startsWith("snakeyaml")) {
                continue;
            }
            classPath.add(path.toUri().toString());
        }
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, String.join(" ", classPath));
        Files.createDirectories(jar.getParent());
        Path stubs = testClasses.resolve("dev/rawzone/runner/stub");
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest);
             Stream<Path> classes = Files.walk(stubs)) {
            for (Path cls : (Iterable<Path>) classes.filter(Files::isRegularFile)::iterator) {
                out.putNextEntry(new JarEntry(testClasses.relativize(cls).toString().replace(File.separatorChar, '/')));
                Files.copy(cls, out);
                out.closeEntry();
            }
        }
    }
}
