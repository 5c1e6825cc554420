package dev.rawzone.functions.pull;

import dev.rawzone.testkit.EmulatorExtension;
import dev.rawzone.testkit.api.SampleApi;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;
import org.junit.platform.commons.support.ReflectionSupport;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.Optional;

/**
 * Owns a {@link PullFixture} per test, as {@code @TempDir} owns its directory: resets the shared emulator, builds
 * the fixture (with the API token stored, unless {@link PullTest#tokenStored()} says not), sets the test's
 * instance fields of type {@link PullFixture} and {@link SampleApi}, and closes the fixture when the test ends.
 */
final class PullFixtureExtension implements BeforeEachCallback {
    private static final EmulatorExtension EMULATOR = new EmulatorExtension();
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(PullFixtureExtension.class);

    @Override
    public void beforeEach(ExtensionContext context) throws IllegalAccessException {
        EMULATOR.beforeEach(context);
        PullFixture fixture = new PullFixture(EMULATOR.emulator());
        context.getStore(NAMESPACE).put(PullFixture.class, (ExtensionContext.Store.CloseableResource) fixture::close);
        List<Object> outermostFirst = context.getRequiredTestInstances().getAllInstances();
        if (tokenStored(outermostFirst)) {
            fixture.storeToken();
        }
        for (Object test : outermostFirst) {
            for (Field field : ReflectionSupport.findFields(test.getClass(), PullFixtureExtension::injected,
                    HierarchyTraversalMode.TOP_DOWN)) {
                field.setAccessible(true);
                field.set(test, field.getType() == PullFixture.class ? fixture : fixture.api);
            }
        }
    }

    /** The innermost {@link PullTest} decides, so a {@code @Nested} class can override its enclosing one. */
    private static boolean tokenStored(List<Object> outermostFirst) {
        for (int i = outermostFirst.size() - 1; i >= 0; i--) {
            Optional<PullTest> annotation = AnnotationSupport.findAnnotation(outermostFirst.get(i).getClass(), PullTest.class);
            if (annotation.isPresent()) {
                return annotation.get().tokenStored();
            }
        }
        return true;
    }

    private static boolean injected(Field field) {
        return !Modifier.isStatic(field.getModifiers())
                && (field.getType() == PullFixture.class || field.getType() == SampleApi.class);
    }
}
