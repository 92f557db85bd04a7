package io.damoov.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

import io.damoov.gateway.metrics.GatewayMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * Schema.isCurrent, which lets a start skip Flyway, says yes only for a history at exactly the newest migration
 * with no failure; Schema.VERSION is the newest migration in every store's locations.
 */
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

    @Test
    void shouldLeaveEveryOtherHistoryToFlyway() throws SQLException {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:schema-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1;DATABASE_TO_LOWER=TRUE");
        Jdbc jdbc = new Jdbc(ds, new GatewayMetrics(new SimpleMeterRegistry()));
        assertThat(Schema.isCurrent(jdbc)).as("no history table").isFalse();

        sql(ds, "CREATE TABLE flyway_schema_history (installed_rank INT, version VARCHAR(50), success BOOLEAN)");
        assertThat(Schema.isCurrent(jdbc)).as("empty history").isFalse();
        sql(ds, "INSERT INTO flyway_schema_history VALUES (1, '1', TRUE)");
        assertThat(Schema.isCurrent(jdbc)).as("older").isFalse();
        sql(ds, "INSERT INTO flyway_schema_history VALUES (2, '" + Schema.VERSION + "', TRUE)");
        assertThat(Schema.isCurrent(jdbc)).as("current").isTrue();

        sql(ds, "INSERT INTO flyway_schema_history VALUES (3, '" + (Schema.VERSION + 1) + "', TRUE)");
        assertThat(Schema.isCurrent(jdbc)).as("newer").isFalse();
        sql(ds, "DELETE FROM flyway_schema_history WHERE installed_rank = 3");
        sql(ds, "UPDATE flyway_schema_history SET success = FALSE WHERE installed_rank = 2");
        assertThat(Schema.isCurrent(jdbc)).as("failed").isFalse();
    }

    private static void sql(JdbcDataSource ds, String statement) throws SQLException {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.execute(statement);
        }
    }

    private static int newest(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> VERSIONED.matcher(f.getFileName().toString())).filter(Matcher::matches)
                    .mapToInt(m -> Integer.parseInt(m.group(1))).max().orElse(0);
        }
    }
}
