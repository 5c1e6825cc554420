package dev.rawzone.testkit;

import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit extension that shares one moto_server per test run (stopped when the JVM's root store closes) and
 * resets it before each test, so tests are independent without paying a process start each.
 */
public final class EmulatorExtension implements BeforeEachCallback {

    public Emulator emulator() {
        return Holder.INSTANCE.emulator;
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(Holder.class, key -> Holder.INSTANCE, Holder.class);
        Holder.INSTANCE.emulator.reset();
    }

    private static final class Holder implements ExtensionContext.Store.CloseableResource, AutoCloseable {
        static final Holder INSTANCE = new Holder();
        final Emulator emulator = Emulator.start();

        @Override
        public void close() {
            emulator.close();
        }
    }
}
