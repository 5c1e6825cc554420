package dev.rawzone.runner.policy;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a compiled class refers to, read from its constant pool (JVMS 4.4): the classes it names, the methods it
 * calls (owner and name) and its string literals. Enough to follow references and find SDK calls without running
 * anything.
 */
record ClassFile(String name, boolean isEnum, Set<String> classes, List<MethodCall> calls, Set<String> strings) {
    private static final int ACC_ENUM = 0x4000;
    private static final Pattern DESCRIPTOR_CLASS = Pattern.compile("L([\\w/$]+);");

    /** A call site's target: the owner as the bytecode names it ({@code software/amazon/awssdk/services/s3/S3Client}). */
    record MethodCall(String owner, String method) {
    }

    static ClassFile parse(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            in.readInt(); // magic
            in.readUnsignedShort(); // minor
            in.readUnsignedShort(); // major
            int count = in.readUnsignedShort();
            int[] tags = new int[count];
            Object[] values = new Object[count];
            for (int i = 1; i < count; i++) {
                int tag = in.readUnsignedByte();
                tags[i] = tag;
                switch (tag) {
                    case 1 -> values[i] = in.readUTF();
                    case 3, 4 -> in.readInt();
                    case 5, 6 -> {
                        in.readLong();
                        i++; // a long or double takes two entries
                    }
                    case 7, 8, 16, 19, 20 -> values[i] = in.readUnsignedShort(); // class, string, method type, module, package
                    case 9, 10, 11, 12, 17, 18 -> values[i] = new int[] {in.readUnsignedShort(), in.readUnsignedShort()};
                    case 15 -> {
                        in.readUnsignedByte();
                        in.readUnsignedShort();
                    }
                    default -> throw new IllegalArgumentException("constant pool tag " + tag + " at " + i);
                }
            }
            int access = in.readUnsignedShort();
            String name = utf8(values, (Integer) values[in.readUnsignedShort()]);
            Set<String> classes = new LinkedHashSet<>();
            List<MethodCall> calls = new ArrayList<>();
            Set<String> strings = new LinkedHashSet<>();
            for (int i = 1; i < count; i++) {
                switch (tags[i]) {
                    case 7 -> classes.add(utf8(values, (Integer) values[i]));
                    case 8 -> strings.add(utf8(values, (Integer) values[i]));
                    case 1 -> descriptorClasses((String) values[i], classes);
                    case 10, 11 -> {
                        int[] ref = (int[]) values[i];
                        String owner = utf8(values, (Integer) values[ref[0]]);
                        int[] nameAndType = (int[]) values[ref[1]];
                        calls.add(new MethodCall(owner, utf8(values, nameAndType[0])));
                    }
                    default -> {
                    }
                }
            }
            return new ClassFile(name, (access & ACC_ENUM) != 0, classes, calls, strings);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Field and method descriptors name classes too (a parameter type, a lambda's target). */
    private static void descriptorClasses(String utf8, Set<String> classes) {
        if (utf8.indexOf(';') < 0) {
            return;
        }
        Matcher matcher = DESCRIPTOR_CLASS.matcher(utf8);
        while (matcher.find()) {
            classes.add(matcher.group(1));
        }
    }

    private static String utf8(Object[] values, int index) {
        return (String) values[index];
    }
}
