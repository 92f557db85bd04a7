package io.damoov.gateway.retention;

import static io.damoov.gateway.support.Operator.operator;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import io.damoov.gateway.audit.AuditRecord;
import io.damoov.gateway.core.Ids;
import io.damoov.gateway.store.Store;
import io.damoov.gateway.support.GatewayTest;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class AuditRetentionTest extends GatewayTest {

    @Inject
    AuditRetention retention;

    @Inject
    Store store;

    @Test
    void shouldDropRecordsOlderThanThreeDaysAndKeepNewerOnesWhenTheClockPassesTheRetention() throws SQLException {
        // Given: a record of today, then (four days later) a newer one, for one subject
        String subject = newSubject();
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        record(subject, "old");
        clock.advance(Duration.ofDays(4));
        record(subject, "new");
        auditLog.flush();
        assertThat(reasons(subject)).containsExactly("new", "old");
        String partition = "audit_record_d" + DateTimeFormatter.ofPattern("yyyyMMdd").format(today);
        if (store.kind().equals("postgresql")) {
            assertThat(tableExists(partition)).isTrue();
        }

        // When
        AuditRetention.Result result = retention.runNow();

        // Then
        assertThat(result.ran()).isTrue();
        assertThat(reasons(subject)).containsExactly("new");
        if (store.kind().equals("postgresql")) {
            assertThat(tableExists(partition)).as("today's partition was dropped").isFalse();
            assertThat(tableExists("audit_record_d"
                    + DateTimeFormatter.ofPattern("yyyyMMdd").format(today.plusDays(6)))).isTrue();
        }
    }

    private void record(String subject, String reason) {
        auditLog.record(new AuditRecord(Ids.uuid7(), clock.instant(), "acme", subject, "user", AuditRecord.USE,
                null, "test", "GET", "/test", 200, 200, null, null, 0, reason));
    }

    private List<String> reasons(String subject) {
        return operator().queryParam("tenant", "acme").queryParam("subject", subject).get("/admin/v1/audit").then()
                .statusCode(200).extract().jsonPath().getList("items.reason");
    }

    private static boolean tableExists(String name) throws SQLException {
        Config config = ConfigProvider.getConfig();
        try (Connection c = DriverManager.getConnection(config.getValue("quarkus.datasource.jdbc.url", String.class),
                config.getOptionalValue("quarkus.datasource.username", String.class).orElse(null),
                config.getOptionalValue("quarkus.datasource.password", String.class).orElse(null));
                ResultSet rs = c.createStatement().executeQuery("SELECT to_regclass('" + name + "') IS NOT NULL")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }
}
