package io.damoov.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/** Schema.VERSION, which lets a start skip Flyway, is the newest migration in every store's locations. */
class SchemaTest {

    private static final Pattern VERSIONED = Pattern.compile("V(\\d+)__.*\\.sql");

    @Test
    void shouldKnowTheNewestMigration() throws IOException {
        for (String store : new String[] { "h2", "postgresql" }) {
            int newest = Math.max(newest(Path.of("src/main/resources/db/migration/common")),
                    newest(Path.of("src/main/resources/db/migration", store)));
            assertThat(Schema.VERSION).as("the newest migration for %s", store).isEqualTo(newest);
        }
    }

    private static int newest(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> VERSIONED.matcher(f.getFileName().toString())).filter(Matcher::matches)
                    .mapToInt(m -> Integer.parseInt(m.group(1))).max().orElse(0);
        }
    }
}
