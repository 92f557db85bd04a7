package io.damoov.gateway.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;

import org.junit.jupiter.api.Test;

class AuditRecordBoundsTest {

    @Test
    void shouldCutEveryFieldToItsColumnAndMarkItWhenAHostileRequestSendsLongValues() {
        AuditRecord r = AuditRecord.of(AuditRecord.DENY).tenant("t".repeat(10_000)).subject("s".repeat(1_000))
                .method("VERSION-CONTROL").path("/" + "p".repeat(5_000)).requestId("r".repeat(500))
                .reason("x".repeat(300)).clientIp("c".repeat(100)).route("q".repeat(400)).build(Clock.systemUTC());

        assertThat(r.tenant()).hasSize(AuditRecord.MAX_TENANT).endsWith("\u2026");
        assertThat(r.subject()).hasSize(AuditRecord.MAX_SUBJECT).endsWith("\u2026");
        assertThat(r.method()).isEqualTo("VERSION-C\u2026");
        assertThat(r.path()).hasSize(AuditRecord.MAX_PATH);
        assertThat(r.requestId()).hasSize(AuditRecord.MAX_REQUEST_ID);
        assertThat(r.reason()).hasSize(AuditRecord.MAX_REASON);
        assertThat(r.clientIp()).hasSize(AuditRecord.MAX_CLIENT_IP);
        assertThat(r.route()).hasSize(AuditRecord.MAX_ROUTE);
    }

    @Test
    void shouldKeepValuesThatFitAndNeverSplitASurrogatePair() {
        assertThat(AuditRecord.bound("GET", AuditRecord.MAX_METHOD)).isEqualTo("GET");
        assertThat(AuditRecord.bound(null, 3)).isNull();
        String emoji = "ab\uD83D\uDE00cd"; // a, b, one code point in two chars, c, d
        assertThat(AuditRecord.bound(emoji, 4)).isEqualTo("ab\u2026");
    }
}
