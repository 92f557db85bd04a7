package io.damoov.gateway.tenant;

import io.damoov.gateway.core.GatewayException;
import io.damoov.gateway.core.ProblemType;

/** The caller's own token is missing or invalid: 401. Carries the tenant when the issuer was recognised. */
public final class ClientAuthException extends GatewayException {

    private final String tenantId;

    public ClientAuthException(String tenantId, String reason, String detail) {
        super(ProblemType.UNAUTHORIZED, reason, detail);
        this.tenantId = tenantId;
    }

    /** The tenant id, or null when the issuer is unknown. */
    public String tenantId() {
        return tenantId;
    }
}
