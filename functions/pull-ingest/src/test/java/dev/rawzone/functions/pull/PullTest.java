package dev.rawzone.functions.pull;

import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A test class against the function's world: before each test, {@link PullFixtureExtension} gives its
 * {@link PullFixture} and {@link dev.rawzone.testkit.api.SampleApi} fields a fresh fixture, and closes it after.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(PullFixtureExtension.class)
@interface PullTest {
    /** False for tests that store the API token themselves, or test a source without it. */
    boolean tokenStored() default true;
}
