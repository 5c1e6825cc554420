package dev.rawzone.runner.harness;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.stream.Stream;

/**
 * Loads the function's code the way Lambda does: from its own jar (or a Lambda zip layout: a directory with classes
 * and {@code lib/*.jar}), over a parent that offers only the JDK and the Lambda runtime API (aws-lambda-java-core
 * and the runtime's serialization). So a class the function jar forgot to bundle fails here as it would on Lambda,
 * instead of being found in the runner's own jar.
 */
final class FunctionClassLoader {
    private FunctionClassLoader() {}

    static ClassLoader create(List<Path> code, ClassLoader runtime) throws IOException {
        List<URL> urls = new ArrayList<>();
        for (Path entry : code) {
            urls.add(entry.toUri().toURL());
            Path lib = entry.resolve("lib");
            if (Files.isDirectory(entry) && Files.isDirectory(lib)) {
                try (Stream<Path> jars = Files.list(lib)) {
                    for (Path jar : (Iterable<Path>) jars.filter(p -> p.toString().endsWith(".jar")).sorted()::iterator) {
                        urls.add(jar.toUri().toURL());
                    }
                }
            }
        }
        return new URLClassLoader("function", urls.toArray(URL[]::new), new RuntimeApi(runtime));
    }

    /** True for the classes the Lambda Java runtime itself provides to every function. */
    static boolean isRuntimeApi(String className) {
        String runtime = "com.amazonaws.services.lambda.runtime.";
        if (className.startsWith(runtime)) {
            String rest = className.substring(runtime.length());
            return rest.indexOf('.') < 0 || rest.startsWith("logging.") || rest.startsWith("serialization.");
        }
        return className.startsWith("com.amazonaws.lambda.thirdparty.");
    }

    private static final class RuntimeApi extends ClassLoader {
        private final ClassLoader runtime;

        RuntimeApi(ClassLoader runtime) {
            super("lambda-runtime-api", ClassLoader.getPlatformClassLoader());
            this.runtime = runtime;
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (isRuntimeApi(name)) {
                return runtime.loadClass(name);
            }
            return super.loadClass(name, resolve);
        }

        @Override
        public URL getResource(String name) {
            return isRuntimeApi(name.replace('/', '.')) ? runtime.getResource(name) : super.getResource(name);
        }

        @Override
        public Enumeration<URL> getResources(String name) throws IOException {
            return isRuntimeApi(name.replace('/', '.')) ? runtime.getResources(name) : super.getResources(name);
        }
    }
}
