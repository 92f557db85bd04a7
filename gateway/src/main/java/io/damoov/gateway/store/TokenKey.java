package io.damoov.gateway.store;

/**
 * A Damoov identity whose tokens the gateway holds.
 *
 * @param tenant tenant id
 * @param principal "user" or "admin"
 * @param identity the DeviceToken for users, the tenant id for its admin
 */
public record TokenKey(String tenant, String principal, String identity) {

    public static final String USER = "user";
    public static final String ADMIN = "admin";

    public static TokenKey user(String tenant, String deviceToken) {
        return new TokenKey(tenant, USER, deviceToken);
    }

    public static TokenKey admin(String tenant) {
        return new TokenKey(tenant, ADMIN, tenant);
    }

    public boolean isAdmin() {
        return ADMIN.equals(principal);
    }
}
