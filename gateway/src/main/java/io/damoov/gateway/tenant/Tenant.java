package io.damoov.gateway.tenant;

import java.util.Optional;

/**
 * A tenant (a company) as the request path sees it. Secrets are held here but never printed: {@link #toString()}
 * masks them.
 */
public record Tenant(String id, String issuer, Optional<String> jwksUrl, Optional<String> publicKey,
        Optional<String> audience, String subjectClaim, String rolesClaim, String managerRole, boolean autoEnroll,
        String instanceId, String instanceKey, Optional<String> adminLogin, Optional<String> adminPassword) {

    public boolean hasAdminCredentials() {
        return adminLogin.isPresent() && adminPassword.isPresent();
    }

    @Override
    public String toString() {
        return "Tenant[id=" + id + ", issuer=" + issuer + ", instanceId=" + instanceId + ", autoEnroll=" + autoEnroll
                + "]";
    }
}
