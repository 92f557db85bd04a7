package io.damoov.gateway.routing;

/** Which Damoov credential a route injects. */
public enum CredentialKind {
    /** {@code Authorization: Bearer <the caller's Damoov user JWT>} */
    USER,
    /** {@code Authorization: Bearer <the tenant's Damoov admin JWT>} */
    ADMIN,
    /** {@code DeviceToken}, {@code InstanceId}, {@code InstanceKey} headers */
    DEVICE,
    /** refused with 403, audited */
    DENY;

    public static CredentialKind parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + value + "' is not one of user, admin, device, deny");
        }
    }

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
