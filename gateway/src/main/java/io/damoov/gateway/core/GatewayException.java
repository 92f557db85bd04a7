package io.damoov.gateway.core;

import java.time.Duration;
import java.util.Optional;

/**
 * An error the gateway answers with problem+json. The detail is shown to the client, so it must never hold a secret.
 * The {@code reason} is a short, bounded code for audit records and metric labels.
 */
public class GatewayException extends RuntimeException {

    private final ProblemType type;
    private final String reason;
    private final Duration retryAfter;

    public GatewayException(ProblemType type, String reason, String detail) {
        this(type, reason, detail, null);
    }

    public GatewayException(ProblemType type, String reason, String detail, Duration retryAfter) {
        super(detail, null, false, false);
        this.type = type;
        this.reason = reason;
        this.retryAfter = retryAfter;
    }

    public ProblemType type() {
        return type;
    }

    public String reason() {
        return reason;
    }

    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /** The gateway exception behind {@code t}, or an internal error that hides {@code t}'s message. */
    public static GatewayException from(Throwable t) {
        Throwable c = t;
        while (c != null) {
            if (c instanceof GatewayException g) {
                return g;
            }
            c = c.getCause();
        }
        return new GatewayException(ProblemType.INTERNAL, "internal", "The gateway failed unexpectedly");
    }
}
