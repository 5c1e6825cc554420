package dev.rawzone.runner.policy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * A function's deployed jar, read from its handler outwards: the project's classes the handler reaches (class by
 * class, through every class each one names), the AWS SDK client methods they call, and the environment variable
 * names among their string literals. Reaching a class does not prove a call is made, so this errs towards "used";
 * it never misses a call the code can make.
 */
final class FunctionCode {
    private static final String PROJECT = "dev/rawzone/";
    private static final Pattern SDK_CLIENT = Pattern.compile("software/amazon/awssdk/services/(\\w+)/(\\w+Client)");
    private static final Pattern SDK_REQUEST_BUILDER =
            Pattern.compile("software/amazon/awssdk/services/\\w+/model/(\\w+Request\\$Builder)");
    /**
     * Calls the code sends itself over the services' JSON protocol ({@code AwsJsonCall}), not through a service
     * client, whose modules would take the jars past 20 MB: each method here makes one operation's call.
     */
    private static final Map<String, List<String>> DIRECT_CALLS = Map.of(
            "dev/rawzone/core/config/SsmParameters.value", List.of("ssm:GetParameter"),
            "dev/rawzone/core/config/SecretsManagerSecrets.secretString", List.of("secretsmanager:GetSecretValue"),
            "dev/rawzone/core/checkpoint/DynamoDbCheckpointStore.getItem", List.of("dynamodb:GetItem"),
            "dev/rawzone/core/checkpoint/DynamoDbCheckpointStore.putItem", List.of("dynamodb:PutItem"));
    /** An environment variable's name: upper case words joined by underscores. */
    private static final Pattern VARIABLE = Pattern.compile("[A-Z][A-Z0-9]*(_[A-Z0-9]+)+");

    private final Path jar;
    private final Map<String, ClassFile> reached = new LinkedHashMap<>();
    private Map<String, String> everyJarName;

    /**
     * One IAM action the code needs, with the call that needs it ({@code S3Client.putObject}, or a request setting
     * such as {@code GetObjectRequest$Builder.versionId}) and a class making that call.
     */
    record ActionUse(String action, String call, String caller) {
    }

    private FunctionCode(Path jar) {
        this.jar = jar;
    }

    /** @param excluded packages ({@code dev/rawzone/core/replay/redrive/}) the function is known never to run */
    static FunctionCode reachedFrom(Path jar, String handlerClass, Set<String> excluded) {
        FunctionCode code = new FunctionCode(jar);
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            Deque<String> pending = new ArrayDeque<>();
            pending.add(handlerClass.replace('.', '/'));
            while (!pending.isEmpty()) {
                String name = pending.poll();
                if (code.reached.containsKey(name)) {
                    continue;
                }
                Optional<ClassFile> parsed = read(zip, name);
                if (parsed.isEmpty()) {
                    continue;
                }
                code.reached.put(name, parsed.get());
                parsed.get().classes().stream().filter(c -> c.startsWith(PROJECT))
                        .filter(c -> excluded.stream().noneMatch(c::startsWith)).forEach(pending::add);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (code.reached.isEmpty()) {
            throw new IllegalArgumentException(handlerClass + " is not in " + jar);
        }
        return code;
    }

    Set<ActionUse> actionsUsed() {
        Set<ActionUse> uses = new LinkedHashSet<>();
        reached.values().forEach(file -> file.calls().forEach(call -> {
            String caller = javaName(file.name());
            Matcher client = SDK_CLIENT.matcher(call.owner());
            if (client.matches() && !call.method().startsWith("<") && !SdkActions.isClientPlumbing(call.method())) {
                String name = client.group(2) + "." + call.method();
                SdkActions.of(client.group(1), call.method()).forEach(a -> uses.add(new ActionUse(a, name, caller)));
            }
            String direct = call.owner() + "." + call.method();
            DIRECT_CALLS.getOrDefault(direct, List.of()).forEach(a -> uses.add(new ActionUse(a, direct, caller)));
            Matcher builder = SDK_REQUEST_BUILDER.matcher(call.owner());
            if (builder.matches()) {
                String name = builder.group(1) + "." + call.method();
                SdkActions.ofRequestSetting(name).forEach(a -> uses.add(new ActionUse(a, name, caller)));
            }
        }));
        return uses;
    }

    /** Variable names among the reached classes' literals (not enums: their constants' names are literals too), each with a class using it. */
    Map<String, String> environmentNames() {
        Map<String, String> names = new TreeMap<>();
        reached.values().stream().filter(file -> !file.isEnum()).forEach(file -> file.strings().stream()
                .filter(s -> VARIABLE.matcher(s).matches())
                .forEach(s -> names.putIfAbsent(s, javaName(file.name()))));
        return names;
    }

    /** Any class of the jar (a library too) holding {@code name} as a literal, as a library reads its own settings. */
    Optional<String> classHolding(String name) {
        if (everyJarName == null) {
            everyJarName = new TreeMap<>();
            try (ZipFile zip = new ZipFile(jar.toFile())) {
                zip.stream().filter(entry -> entry.getName().endsWith(".class")).forEach(entry -> {
                    String owner = javaName(entry.getName().replace(".class", ""));
                    parse(zip, entry).strings().stream().filter(s -> VARIABLE.matcher(s).matches())
                            .forEach(s -> everyJarName.putIfAbsent(s, owner));
                });
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return Optional.ofNullable(everyJarName.get(name));
    }

    private static Optional<ClassFile> read(ZipFile zip, String name) {
        ZipEntry entry = zip.getEntry(name + ".class");
        return entry == null ? Optional.empty() : Optional.of(parse(zip, entry));
    }

    private static ClassFile parse(ZipFile zip, ZipEntry entry) {
        try (var in = zip.getInputStream(entry)) {
            return ClassFile.parse(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String javaName(String internalName) {
        return internalName.replace('/', '.');
    }
}
