package io.damoov.gateway.pipeline;

import io.damoov.gateway.audit.AuditRecord;

/**
 * What an exchange was, as decided by the step that knew: a Damoov credential was used, or the request was denied.
 * An exchange without an outcome (no route, a body over the limit, Damoov unreachable before any credential was
 * sent) gets metrics but no audit record of its own; the token and enrolment steps record their own events.
 *
 * @param action {@link AuditRecord#USE} or {@link AuditRecord#DENY}
 * @param reason a short code, or null
 */
public record Outcome(String action, String reason) {

    static Outcome use() {
        return new Outcome(AuditRecord.USE, null);
    }

    static Outcome deny(String reason) {
        return new Outcome(AuditRecord.DENY, reason);
    }

    boolean denied() {
        return AuditRecord.DENY.equals(action);
    }
}
