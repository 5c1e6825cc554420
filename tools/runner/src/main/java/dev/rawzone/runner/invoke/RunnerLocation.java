package dev.rawzone.runner.invoke;

import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Where the runner's code is. Normally the shaded {@code tools/runner/target/rawzone-runner.jar}, which also carries
 * the harness and the two Lambda libraries it needs; that jar is what goes on a function JVM's class path, and the
 * repository root is three folders above it. Run from classes (tests, an IDE), the runner's own class path is used
 * instead and the root is not known from the location. The simulation's jar ({@code tools/simulation/target/}) is
 * three folders below the root too.
 */
public final class RunnerLocation {
    private final Path codeSource;

    private RunnerLocation(Path codeSource) {
        this.codeSource = codeSource;
    }

    public static RunnerLocation current() {
        try {
            return new RunnerLocation(Path.of(RunnerLocation.class.getProtectionDomain().getCodeSource().getLocation().toURI()));
        } catch (URISyntaxException | NullPointerException e) {
            return new RunnerLocation(null);
        }
    }

    public boolean fromJar() {
        return codeSource != null && Files.isRegularFile(codeSource);
    }

    /** The entries to put after the function's code on the class path of a function JVM. */
    public List<Path> harnessClasspath() {
        if (fromJar()) {
            return List.of(codeSource);
        }
        return Arrays.stream(System.getProperty("java.class.path", "").split(File.pathSeparator))
                .filter(entry -> !entry.isBlank()).map(Path::of).toList();
    }

    /** The repository's template.yaml: the one at {@link #repositoryRoot}, else the nearest up from the working directory. */
    public Optional<Path> template() {
        Optional<Path> fromJar = repositoryRoot().map(root -> root.resolve("template.yaml"));
        if (fromJar.isPresent()) {
            return fromJar;
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("template.yaml"))) {
                return Optional.of(dir.resolve("template.yaml"));
            }
        }
        return Optional.empty();
    }

    /** The repository root, when the runner runs from its jar in {@code <root>/tools/runner/target/}. */
    public Optional<Path> repositoryRoot() {
        if (!fromJar()) {
            return Optional.empty();
        }
        Path root = codeSource.toAbsolutePath().getParent();
        for (int i = 0; i < 3 && root != null; i++) {
            root = root.getParent();
        }
        return Optional.ofNullable(root).filter(r -> Files.isRegularFile(r.resolve("template.yaml")));
    }
}
