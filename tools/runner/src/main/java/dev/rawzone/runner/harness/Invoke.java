package dev.rawzone.runner.harness;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.amazonaws.services.lambda.runtime.serialization.factories.JacksonFactory;

import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Runs one Lambda handler once, as the Lambda Java runtime would: the event on stdin, the response on stdout, logs on
 * stderr. Usage: {@code Invoke [--dry-run] [--code <jar or dir>]... <pkg.Class[::method]>}.
 *
 * <p>Exit codes: 0 the handler returned; 2 the event was malformed ({@code MalformedEventException}, or an event that
 * does not deserialize to the handler's input type) or the usage was wrong; 1 any other failure, including a timeout.
 * Each failure prints exactly one line {@code error: ...} on stderr and no stack trace.
 *
 * <p>This class and its package use only the JDK, aws-lambda-java-core and aws-lambda-java-serialization: they share a
 * JVM with the function's jar, and must not pin any other library's version on it. The core's contract classes
 * ({@code EventPlanner}, {@code MalformedEventException}) are therefore looked up by name.
 */
public final class Invoke {
    static final String MALFORMED = "dev.rawzone.core.event.MalformedEventException";
    static final String PLANNER = "dev.rawzone.core.event.EventPlanner";

    private final PrintStream log;
    private final OutputStream response;

    private Invoke(PrintStream log, OutputStream response) {
        this.log = log;
        this.response = response;
    }

    public static void main(String[] args) {
        // stdout carries the response only: whatever the function prints goes to the log, as on Lambda.
        OutputStream response = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out));
        PrintStream log = System.err;
        System.setOut(log);
        int code;
        try {
            code = new Invoke(log, response).run(args, System.in);
        } catch (Failure failure) {
            log.println("error: " + failure.getMessage());
            code = failure.exitCode;
        } catch (Throwable unexpected) {
            log.println("error: " + describe(unexpected));
            code = 1;
        }
        log.flush();
        System.exit(code);
    }

    private int run(String[] args, InputStream stdin) throws IOException {
        boolean dryRun = false;
        List<Path> code = new ArrayList<>();
        String handler = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--dry-run" -> dryRun = true;
                case "--code" -> {
                    if (++i >= args.length) {
                        throw new Failure(2, "--code needs a path");
                    }
                    code.add(Path.of(args[i]));
                }
                default -> {
                    if (args[i].startsWith("--") || handler != null) {
                        throw new Failure(2, "usage: Invoke [--dry-run] [--code <jar or dir>]... <pkg.Class[::method]>");
                    }
                    handler = args[i];
                }
            }
        }
        if (handler == null) {
            throw new Failure(2, "usage: Invoke [--dry-run] [--code <jar or dir>]... <pkg.Class[::method]>");
        }
        ClassLoader app = Invoke.class.getClassLoader();
        ClassLoader loader = code.isEmpty() ? app : FunctionClassLoader.create(code, app);
        Thread.currentThread().setContextClassLoader(loader);

        String className = handler.contains("::") ? handler.substring(0, handler.indexOf("::")) : handler;
        String methodName = handler.contains("::") ? handler.substring(handler.indexOf("::") + 2) : null;
        byte[] event = stdin.readAllBytes();
        Object instance = instantiate(className, loader);
        if (dryRun) {
            plan(instance, event);
        } else {
            invoke(instance, methodName, event, loader);
        }
        response.flush();
        return 0;
    }

    private static Object instantiate(String className, ClassLoader loader) {
        Class<?> type;
        try {
            type = Class.forName(className, true, loader);
        } catch (ClassNotFoundException e) {
            throw new Failure(1, "handler class " + className + " is not in the function's code");
        } catch (ExceptionInInitializerError e) {
            throw new Failure(1, "handler class " + className + " failed to initialise: " + describe(e.getCause()));
        } catch (LinkageError e) {
            throw new Failure(1, "handler class " + className + " cannot be loaded: " + describe(e));
        }
        try {
            return type.getConstructor().newInstance();
        } catch (NoSuchMethodException e) {
            throw new Failure(1, "handler class " + className + " has no public no-argument constructor");
        } catch (InvocationTargetException e) {
            throw handlerFailure(e.getCause());
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new Failure(1, "cannot instantiate " + className + ": " + describe(e));
        }
    }

    private void plan(Object instance, byte[] event) {
        Class<?> planner = findInterface(instance.getClass(), PLANNER);
        if (planner == null) {
            throw new Failure(2, instance.getClass().getName() + " does not implement " + PLANNER
                    + ", so it cannot plan a dry run");
        }
        Object entries;
        try {
            entries = planner.getMethod("plan", InputStream.class).invoke(instance, new ByteArrayInputStream(event));
        } catch (InvocationTargetException e) {
            throw handlerFailure(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new Failure(1, "cannot call plan: " + describe(e));
        }
        PrintStream out = new PrintStream(response, false, StandardCharsets.UTF_8);
        for (Object entry : (Iterable<?>) entries) {
            out.println(String.valueOf(entry).replace('\n', ' ')); // a Jackson node prints as compact JSON
        }
        out.flush();
    }

    private void invoke(Object instance, String methodName, byte[] event, ClassLoader loader) throws IOException {
        HarnessContext context = context();
        Deadline.arm(context, log);
        boolean standard = methodName == null || methodName.equals("handleRequest");
        try {
            if (standard && instance instanceof RequestStreamHandler stream) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                stream.handleRequest(new ByteArrayInputStream(event), out, context);
                response.write(out.toByteArray());
            } else if (standard && instance instanceof RequestHandler<?, ?> typed) {
                Type[] types = HandlerTypes.typeArguments(instance.getClass(), RequestHandler.class);
                Object input = deserialize(event, types == null ? Object.class : types[0], loader);
                @SuppressWarnings("unchecked")
                Object output = ((RequestHandler<Object, Object>) typed).handleRequest(input, context);
                serialize(output, loader);
            } else if (methodName != null) {
                invokeMethod(instance, methodName, event, context, loader);
            } else {
                throw new Failure(1, instance.getClass().getName()
                        + " implements neither RequestHandler nor RequestStreamHandler; name its method as Class::method");
            }
        } catch (Failure failure) {
            throw failure;
        } catch (RuntimeException | Error e) {
            throw handlerFailure(e);
        }
    }

    /** A handler named {@code Class::method} that implements no interface: the runtime's reflective conventions. */
    private void invokeMethod(Object instance, String name, byte[] event, Context context, ClassLoader loader)
            throws IOException {
        Method chosen = null;
        for (Method m : instance.getClass().getMethods()) {
            if (m.getName().equals(name) && m.getParameterCount() <= 3 && !m.isBridge()
                    && (chosen == null || m.getParameterCount() > chosen.getParameterCount())) {
                chosen = m;
            }
        }
        if (chosen == null) {
            throw new Failure(1, instance.getClass().getName() + " has no public method " + name);
        }
        Class<?>[] params = chosen.getParameterTypes();
        Object[] args = new Object[params.length];
        ByteArrayOutputStream streamOut = null;
        for (int i = 0; i < params.length; i++) {
            if (params[i] == Context.class) {
                args[i] = context;
            } else if (params[i] == InputStream.class) {
                args[i] = new ByteArrayInputStream(event);
            } else if (params[i] == OutputStream.class) {
                streamOut = new ByteArrayOutputStream();
                args[i] = streamOut;
            } else {
                args[i] = deserialize(event, chosen.getGenericParameterTypes()[i], loader);
            }
        }
        Object output;
        try {
            output = chosen.invoke(instance, args);
        } catch (InvocationTargetException e) {
            throw handlerFailure(e.getCause());
        } catch (IllegalAccessException e) {
            throw new Failure(1, "cannot call " + name + ": " + describe(e));
        }
        if (streamOut != null) {
            response.write(streamOut.toByteArray());
        } else if (chosen.getReturnType() != void.class) {
            serialize(output, loader);
        }
    }

    private static Object deserialize(byte[] event, Type type, ClassLoader loader) {
        Class<?> raw = HandlerTypes.rawClass(type);
        if (raw == InputStream.class) {
            return new ByteArrayInputStream(event);
        }
        try {
            if (LambdaEventSerializers.isLambdaSupportedEvent(raw.getName())) {
                return LambdaEventSerializers.serializerFor(raw, loader).fromJson(new ByteArrayInputStream(event));
            }
            return JacksonFactory.getInstance().getSerializer(type).fromJson(new ByteArrayInputStream(event));
        } catch (RuntimeException e) {
            String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
            if (reason.contains("com.amazonaws.services.s3.event.S3EventNotification")) {
                // the runtime's S3 serializer fell back to the v1 SDK classes after failing on the event itself
                reason = "the runtime's S3 event serializer cannot read it (each record needs at least eventTime)";
            }
            throw new Failure(2, "the event does not deserialize to " + type.getTypeName() + ": " + reason);
        }
    }

    private void serialize(Object output, ClassLoader loader) throws IOException {
        if (output == null) {
            response.write("null".getBytes(StandardCharsets.UTF_8));
            return;
        }
        Class<?> type = output.getClass();
        @SuppressWarnings("unchecked")
        PojoSerializer<Object> serializer = LambdaEventSerializers.isLambdaSupportedEvent(type.getName())
                ? (PojoSerializer<Object>) LambdaEventSerializers.serializerFor(type, loader)
                : (PojoSerializer<Object>) JacksonFactory.getInstance().getSerializer(type);
        serializer.toJson(output, response);
    }

    private HarnessContext context() {
        Map<String, String> env = System.getenv();
        String name = env.getOrDefault("AWS_LAMBDA_FUNCTION_NAME", "local-function");
        int memory = parseInt(env.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE"), 128);
        int timeoutSeconds = parseInt(env.get("AWS_LAMBDA_FUNCTION_TIMEOUT"), 3);
        return new HarnessContext(UUID.randomUUID().toString(), name, memory, timeoutSeconds * 1000L, log);
    }

    private static int parseInt(String value, int fallback) {
        try {
            return value == null ? fallback : Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static Class<?> findInterface(Class<?> type, String name) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Class<?> i : c.getInterfaces()) {
                if (i.getName().equals(name)) {
                    return i;
                }
                Class<?> inherited = findInterface(i, name);
                if (inherited != null) {
                    return inherited;
                }
            }
        }
        return null;
    }

    private static Failure handlerFailure(Throwable thrown) {
        if (thrown.getClass().getName().equals(MALFORMED)) {
            return new Failure(2, oneLine(thrown.getMessage()));
        }
        return new Failure(1, describe(thrown));
    }

    static String describe(Throwable t) {
        return t.getClass().getName() + ": " + oneLine(t.getMessage());
    }

    private static String oneLine(String message) {
        return message == null ? "(no message)" : message.strip().replaceAll("\\s*\\R\\s*", " ");
    }

    /** A failure the harness reports as one line and an exit code. */
    static final class Failure extends RuntimeException {
        final int exitCode;

        Failure(int exitCode, String message) {
            super(message, null, false, false);
            this.exitCode = exitCode;
        }
    }

    /** Ends the process when the function's timeout passes, as Lambda would. */
    private static final class Deadline {
        static void arm(HarnessContext context, PrintStream log) {
            long remainingMillis = context.getRemainingTimeInMillis();
            Thread watchdog = new Thread(() -> {
                try {
                    Thread.sleep(remainingMillis);
                } catch (InterruptedException e) {
                    return;
                }
                // the configured timeout, as Lambda says it: the time left when armed is a little less
                log.printf("error: Task timed out after %.2f seconds%n", context.timeoutMillis() / 1000.0);
                log.flush();
                Runtime.getRuntime().halt(1);
            }, "lambda-timeout");
            watchdog.setDaemon(true);
            watchdog.start();
        }
    }
}
