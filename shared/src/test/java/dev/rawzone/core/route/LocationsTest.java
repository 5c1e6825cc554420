package dev.rawzone.core.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rawzone.core.route.Locations.ClasspathLocation;
import dev.rawzone.core.route.Locations.FileLocation;
import dev.rawzone.core.route.Locations.S3Location;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

class LocationsTest {
    private static final Supplier<S3Client> NO_S3 = () -> {
        throw new AssertionError("S3 must not be used for this location");
    };

    @Test
    void parsesTheThreeKindsOfLocation() {
        assertEquals(new ClasspathLocation("schemas"), Locations.parse("classpath:schemas"));
        assertEquals(new ClasspathLocation("config/routes.json"), Locations.parse("classpath:/config/routes.json"));
        assertEquals(new S3Location("bucket", "config/routes.json"), Locations.parse("s3://bucket/config/routes.json"));
        assertEquals(new S3Location("bucket", ""), Locations.parse("s3://bucket"));
        assertEquals(new FileLocation(Path.of("/etc/rawzone/routes.json")), Locations.parse("/etc/rawzone/routes.json"));
        assertEquals("s3://bucket/a/b", Locations.parse("s3://bucket/a/b").toString());
        assertEquals("classpath:a/b", Locations.parse("classpath:a/b").toString());
    }

    @Test
    void rejectsLocationsThatNameNothing() {
        assertThrows(IllegalArgumentException.class, () -> Locations.parse(" "));
        assertThrows(IllegalArgumentException.class, () -> Locations.parse("classpath:"));
        assertThrows(IllegalArgumentException.class, () -> Locations.parse("s3:///key"));
    }

    @Test
    void readsClasspathAndFilesAndReportsWhatIsMissing(@TempDir Path dir) throws Exception {
        assertTrue(Locations.read("classpath:routing/routes.json", NO_S3).contains("orders_eu"));

        Path file = dir.resolve("with-bom.json");
        Files.write(file, "\uFEFF{\"a\":\"é\"}".getBytes(StandardCharsets.UTF_8));
        assertEquals("{\"a\":\"é\"}", Locations.read(file.toString(), NO_S3));

        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> Locations.read("classpath:routing/absent.json", NO_S3));
        assertTrue(missing.getMessage().contains("classpath:routing/absent.json"), missing.getMessage());
        assertTrue(Locations.readIfPresent(Locations.parse(dir.resolve("absent").toString()), NO_S3).isEmpty());
    }
}
