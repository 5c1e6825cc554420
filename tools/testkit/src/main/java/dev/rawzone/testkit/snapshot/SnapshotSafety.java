package dev.rawzone.testkit.snapshot;

import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.InaccessibleObjectException;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Walks the object graph a Lambda init built (instance fields, arrays, collections and maps, breadth first, each object
 * once, at most {@code limit} objects) and names what a SnapStart snapshot of it must not hold: a clock reading, a
 * random generator seeded at init, a run id, credentials, an open connection. Every restored copy of the snapshot would
 * share them: the same "now", the same random sequence, expired credentials, a dead socket.
 */
public final class SnapshotSafety {
    /** Reached from a handler, each of these is state a snapshot must not capture; the value is why. */
    private static final Map<String, String> FORBIDDEN = Map.ofEntries(
            Map.entry("java.time.Instant", "a clock reading taken at init"),
            Map.entry("java.time.LocalDateTime", "a clock reading taken at init"),
            Map.entry("java.time.OffsetDateTime", "a clock reading taken at init"),
            Map.entry("java.time.ZonedDateTime", "a clock reading taken at init"),
            Map.entry("java.util.Date", "a clock reading taken at init"),
            Map.entry("java.util.Random", "a random generator seeded at init (every restored copy repeats its sequence)"),
            Map.entry("java.util.SplittableRandom", "a random generator seeded at init (every restored copy repeats its sequence)"),
            Map.entry("java.util.UUID", "a random id drawn at init (a run id shared by every restored copy)"),
            Map.entry("dev.rawzone.core.pipeline.RunContext", "a run id fixed at init"),
            Map.entry("software.amazon.awssdk.identity.spi.AwsCredentialsIdentity", "credentials resolved at init"),
            Map.entry("software.amazon.awssdk.auth.credentials.StaticCredentialsProvider", "credentials frozen at init"),
            Map.entry("java.net.Socket", "a connection opened at init"),
            Map.entry("java.net.URLConnection", "a connection opened at init"),
            Map.entry("java.nio.channels.SocketChannel", "a connection opened at init"));

    private final int limit;

    public SnapshotSafety(int limit) {
        this.limit = limit;
    }

    /** The walk's findings; {@code complete} is false if it stopped at the limit before reaching everything. */
    public record Report(List<String> violations, int objectsWalked, boolean complete) {
        public boolean safe() {
            return complete && violations.isEmpty();
        }

        @Override
        public String toString() {
            String head = objectsWalked + " objects walked" + (complete ? "" : " (stopped at the limit: incomplete)");
            return violations.isEmpty() ? head + ", nothing a snapshot must not hold"
                    : head + ", " + violations.size() + " a snapshot must not hold:\n  " + String.join("\n  ", violations);
        }
    }

    public Report walk(Object root) {
        Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Node> queue = new ArrayDeque<>();
        List<String> violations = new ArrayList<>();
        queue.add(new Node(root, root.getClass().getSimpleName()));
        seen.add(root);
        int walked = 0;
        while (!queue.isEmpty() && walked < limit) {
            Node node = queue.poll();
            walked++;
            String why = forbidden(node.value().getClass());
            if (why != null) {
                violations.add(node.path() + " = " + node.value().getClass().getName() + ": " + why);
                continue;
            }
            for (Node child : children(node)) {
                if (child.value() != null && !leaf(child.value().getClass()) && seen.add(child.value())) {
                    queue.add(child);
                }
            }
        }
        return new Report(violations, walked, queue.isEmpty());
    }

    private static String forbidden(Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            String why = FORBIDDEN.get(c.getName());
            if (why != null) {
                return why;
            }
            for (Class<?> i : c.getInterfaces()) {
                String inherited = forbidden(i);
                if (inherited != null) {
                    return inherited;
                }
            }
        }
        return null;
    }

    /**
     * Values that hold nothing further worth walking: JDK internals reflection may not open, and the loggers, which
     * are the process's logging configuration (its watcher's id, its start time), not state the handler built.
     */
    private static boolean leaf(Class<?> type) {
        return type.getName().startsWith("org.apache.logging.") || type.getName().startsWith("org.slf4j.")
                || type.isPrimitive() || type.isEnum() || type == String.class || Number.class.isAssignableFrom(type)
                || type == Boolean.class || type == Character.class || type == Class.class
                || ClassLoader.class.isAssignableFrom(type) || Thread.class.isAssignableFrom(type)
                || type.getName().startsWith("java.lang.invoke.") || type.getName().startsWith("java.lang.reflect.");
    }

    private static List<Node> children(Node node) {
        Object value = node.value();
        Class<?> type = value.getClass();
        List<Node> children = new ArrayList<>();
        if (type.isArray()) {
            if (!type.getComponentType().isPrimitive()) {
                for (int i = 0; i < Array.getLength(value); i++) {
                    children.add(new Node(Array.get(value, i), node.path() + "[" + i + "]"));
                }
            }
        } else if (value instanceof Map<?, ?> map && jdk(type)) {
            for (Map.Entry<?, ?> entry : new ArrayList<>(map.entrySet())) {
                children.add(new Node(entry.getKey(), node.path() + ".key"));
                children.add(new Node(entry.getValue(), node.path() + "[" + entry.getKey() + "]"));
            }
        } else if (value instanceof Collection<?> collection && jdk(type)) {
            int i = 0;
            for (Object element : new ArrayList<>(collection)) {
                children.add(new Node(element, node.path() + "[" + i++ + "]"));
            }
        } else if (value instanceof Optional<?> optional) {
            children.add(new Node(optional.orElse(null), node.path() + ".get()"));
        } else if (value instanceof AtomicReference<?> reference) {
            children.add(new Node(reference.get(), node.path() + ".get()"));
        } else if (!jdk(type)) {
            for (Class<?> c = type; c != null && !jdk(c); c = c.getSuperclass()) {
                for (Field field : c.getDeclaredFields()) {
                    if (Modifier.isStatic(field.getModifiers()) || field.getType().isPrimitive()) {
                        continue;
                    }
                    children.add(new Node(read(field, value), node.path() + "." + field.getName()));
                }
            }
        }
        return children;
    }

    private static boolean jdk(Class<?> type) {
        String name = type.getName();
        return name.startsWith("java.") || name.startsWith("javax.") || name.startsWith("jdk.") || name.startsWith("sun.");
    }

    private static Object read(Field field, Object owner) {
        try {
            field.setAccessible(true);
            return field.get(owner);
        } catch (InaccessibleObjectException | IllegalAccessException e) {
            return null;
        }
    }

    private record Node(Object value, String path) {}
}
