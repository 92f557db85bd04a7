package io.damoov.gateway.store;

import java.time.Instant;

/** A tenant's user mapped to a Damoov DeviceToken. */
public record UserMapping(String tenant, String subject, String deviceToken, Instant enrolledAt) {
}
