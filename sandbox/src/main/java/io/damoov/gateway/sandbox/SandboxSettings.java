package io.damoov.gateway.sandbox;

import java.time.Clock;
import java.time.Duration;
import java.util.Locale;

import io.vertx.core.json.JsonObject;

/**
 * Knobs of the Damoov sandbox. Mutable and thread-safe (volatile fields); setters return {@code this}. Defaults
 * follow docs/damoov-api.md §3.6 and §3.8 (and the [I] recommendations of §7).
 */
public final class SandboxSettings {

    private volatile Duration userTokenLifetime;
    private volatile Duration adminTokenLifetime;
    private volatile Duration registrationTokenLifetime;
    private volatile Duration refreshTokenLifetime;
    private volatile Duration tokenLatency;
    private volatile Duration dataLatency;
    private volatile int loginLimit;
    private volatile Duration loginWindow;
    private volatile boolean loginBlockHour;
    private volatile boolean sendRetryAfter;
    private volatile boolean rotateRefreshTokens;
    private volatile boolean revokeAccessTokenOnRefresh;
    private volatile int refreshFailureStatus;
    private volatile boolean strictDevicetokenCasing;
    private volatile int refreshBlockStatus;
    private volatile Clock clock;

    public SandboxSettings() {
        reset();
    }

    /** Puts every setting back to its default. */
    public synchronized SandboxSettings reset() {
        userTokenLifetime = Duration.ofSeconds(86400);
        adminTokenLifetime = Duration.ofSeconds(86400);
        registrationTokenLifetime = Duration.ofSeconds(432000);
        refreshTokenLifetime = Duration.ofDays(90);
        tokenLatency = Duration.ZERO;
        dataLatency = Duration.ZERO;
        loginLimit = 5;
        loginWindow = Duration.ofHours(1);
        loginBlockHour = false;
        sendRetryAfter = true;
        rotateRefreshTokens = true;
        revokeAccessTokenOnRefresh = false;
        refreshFailureStatus = 401;
        strictDevicetokenCasing = false;
        refreshBlockStatus = 0;
        clock = Clock.systemUTC();
        return this;
    }

    public Duration getUserTokenLifetime() {
        return userTokenLifetime;
    }

    public SandboxSettings setUserTokenLifetime(Duration value) {
        userTokenLifetime = positive(value, "userTokenLifetime");
        return this;
    }

    public Duration getAdminTokenLifetime() {
        return adminTokenLifetime;
    }

    public SandboxSettings setAdminTokenLifetime(Duration value) {
        adminTokenLifetime = positive(value, "adminTokenLifetime");
        return this;
    }

    public Duration getRegistrationTokenLifetime() {
        return registrationTokenLifetime;
    }

    public SandboxSettings setRegistrationTokenLifetime(Duration value) {
        registrationTokenLifetime = positive(value, "registrationTokenLifetime");
        return this;
    }

    /** Lifetime of refresh tokens (docs/damoov-api.md §3.6: 3 months). Default 90 days. */
    public Duration getRefreshTokenLifetime() {
        return refreshTokenLifetime;
    }

    public SandboxSettings setRefreshTokenLifetime(Duration value) {
        refreshTokenLifetime = positive(value, "refreshTokenLifetime");
        return this;
    }

    /** Delay of the answers of login, refresh and register. */
    public Duration getTokenLatency() {
        return tokenLatency;
    }

    public SandboxSettings setTokenLatency(Duration value) {
        tokenLatency = notNegative(value, "tokenLatency");
        return this;
    }

    /** Delay of the answers of every data endpoint. */
    public Duration getDataLatency() {
        return dataLatency;
    }

    public SandboxSettings setDataLatency(Duration value) {
        dataLatency = notNegative(value, "dataLatency");
        return this;
    }

    /** Login attempts allowed per identity and {@link #getLoginWindow() window}; 0 or less = unlimited. */
    public int getLoginLimit() {
        return loginLimit;
    }

    public SandboxSettings setLoginLimit(int value) {
        loginLimit = value;
        return this;
    }

    public Duration getLoginWindow() {
        return loginWindow;
    }

    public SandboxSettings setLoginWindow(Duration value) {
        loginWindow = positive(value, "loginWindow");
        return this;
    }

    /** When true, exceeding the login limit blocks the identity for one hour (docs/damoov-api.md §3.8). */
    public boolean isLoginBlockHour() {
        return loginBlockHour;
    }

    public SandboxSettings setLoginBlockHour(boolean value) {
        loginBlockHour = value;
        return this;
    }

    public boolean isSendRetryAfter() {
        return sendRetryAfter;
    }

    public SandboxSettings setSendRetryAfter(boolean value) {
        sendRetryAfter = value;
        return this;
    }

    /** When true (default) a refresh token works once; using it also retires the access token it was paired with. */
    /**
     * Whether a refresh also retires the access token it was paired with. Off by default: Damoov's JWTs are
     * self-contained and nothing documents an early revocation; on, it simulates the strictest server.
     */
    public boolean isRevokeAccessTokenOnRefresh() {
        return revokeAccessTokenOnRefresh;
    }

    public SandboxSettings setRevokeAccessTokenOnRefresh(boolean value) {
        revokeAccessTokenOnRefresh = value;
        return this;
    }

    public boolean isRotateRefreshTokens() {
        return rotateRefreshTokens;
    }

    public SandboxSettings setRotateRefreshTokens(boolean value) {
        rotateRefreshTokens = value;
        return this;
    }

    public int getRefreshFailureStatus() {
        return refreshFailureStatus;
    }

    public SandboxSettings setRefreshFailureStatus(int value) {
        if (value < 400 || value > 599) {
            throw new IllegalArgumentException("refreshFailureStatus must be a 4xx or 5xx status: " + value);
        }
        refreshFailureStatus = value;
        return this;
    }

    /**
     * 0 (default), or the status with which Cloudflare in front of Damoov answers every refresh, before Damoov sees
     * it: 403 (a WAF block) or 429 (rate limited, {@code Retry-After: 30}), with an HTML page as Cloudflare sends.
     */
    public int getRefreshBlockStatus() {
        return refreshBlockStatus;
    }

    public SandboxSettings setRefreshBlockStatus(int value) {
        if (value != 0 && value != 403 && value != 429 && (value < 500 || value > 599)) {
            throw new IllegalArgumentException("refreshBlockStatus must be 0, 403, 429 or a 5xx: " + value);
        }
        refreshBlockStatus = value;
        return this;
    }

    /** When true, the JSON-string form of LoginFields must use the exact key {@code Devicetoken} (SK-reg). */
    public boolean isStrictDevicetokenCasing() {
        return strictDevicetokenCasing;
    }

    public SandboxSettings setStrictDevicetokenCasing(boolean value) {
        strictDevicetokenCasing = value;
        return this;
    }

    /** Clock for Damoov token expiry and the login window (not for the demo IdP, which uses real time). */
    public Clock getClock() {
        return clock;
    }

    public SandboxSettings setClock(Clock value) {
        if (value == null) {
            throw new IllegalArgumentException("clock must not be null");
        }
        clock = value;
        return this;
    }

    /** The settings as JSON (durations as ISO-8601), as {@code GET /_sandbox/settings} shows them. */
    public JsonObject toJson() {
        return new JsonObject()
                .put("userTokenLifetime", userTokenLifetime.toString())
                .put("adminTokenLifetime", adminTokenLifetime.toString())
                .put("registrationTokenLifetime", registrationTokenLifetime.toString())
                .put("refreshTokenLifetime", refreshTokenLifetime.toString())
                .put("tokenLatency", tokenLatency.toString())
                .put("dataLatency", dataLatency.toString())
                .put("loginLimit", loginLimit)
                .put("loginWindow", loginWindow.toString())
                .put("loginBlockHour", loginBlockHour)
                .put("sendRetryAfter", sendRetryAfter)
                .put("rotateRefreshTokens", rotateRefreshTokens)
                .put("revokeAccessTokenOnRefresh", revokeAccessTokenOnRefresh)
                .put("refreshFailureStatus", refreshFailureStatus)
                .put("strictDevicetokenCasing", strictDevicetokenCasing)
                .put("refreshBlockStatus", refreshBlockStatus);
    }

    /**
     * Applies the given settings (names as in {@link #toJson()}, matched case-insensitively; durations as ISO-8601
     * strings or numbers of seconds). Unknown names and bad values throw {@link IllegalArgumentException}; nothing
     * is applied then.
     */
    public synchronized SandboxSettings apply(JsonObject json) {
        SandboxSettings copy = copy();
        for (String name : json.fieldNames()) {
            Object value = json.getValue(name);
            switch (name.toLowerCase(Locale.ROOT)) {
                case "usertokenlifetime" -> copy.setUserTokenLifetime(duration(name, value));
                case "admintokenlifetime" -> copy.setAdminTokenLifetime(duration(name, value));
                case "registrationtokenlifetime" -> copy.setRegistrationTokenLifetime(duration(name, value));
                case "refreshtokenlifetime" -> copy.setRefreshTokenLifetime(duration(name, value));
                case "tokenlatency" -> copy.setTokenLatency(duration(name, value));
                case "datalatency" -> copy.setDataLatency(duration(name, value));
                case "loginlimit" -> copy.setLoginLimit(integer(name, value));
                case "loginwindow" -> copy.setLoginWindow(duration(name, value));
                case "loginblockhour" -> copy.setLoginBlockHour(bool(name, value));
                case "sendretryafter" -> copy.setSendRetryAfter(bool(name, value));
                case "rotaterefreshtokens" -> copy.setRotateRefreshTokens(bool(name, value));
                case "revokeaccesstokenonrefresh" -> copy.setRevokeAccessTokenOnRefresh(bool(name, value));
                case "refreshfailurestatus" -> copy.setRefreshFailureStatus(integer(name, value));
                case "strictdevicetokencasing" -> copy.setStrictDevicetokenCasing(bool(name, value));
                case "refreshblockstatus" -> copy.setRefreshBlockStatus(integer(name, value));
                default -> throw new IllegalArgumentException("unknown setting: " + name);
            }
        }
        userTokenLifetime = copy.userTokenLifetime;
        adminTokenLifetime = copy.adminTokenLifetime;
        registrationTokenLifetime = copy.registrationTokenLifetime;
        refreshTokenLifetime = copy.refreshTokenLifetime;
        tokenLatency = copy.tokenLatency;
        dataLatency = copy.dataLatency;
        loginLimit = copy.loginLimit;
        loginWindow = copy.loginWindow;
        loginBlockHour = copy.loginBlockHour;
        sendRetryAfter = copy.sendRetryAfter;
        rotateRefreshTokens = copy.rotateRefreshTokens;
        revokeAccessTokenOnRefresh = copy.revokeAccessTokenOnRefresh;
        refreshFailureStatus = copy.refreshFailureStatus;
        strictDevicetokenCasing = copy.strictDevicetokenCasing;
        refreshBlockStatus = copy.refreshBlockStatus;
        return this;
    }

    private SandboxSettings copy() {
        SandboxSettings c = new SandboxSettings();
        c.userTokenLifetime = userTokenLifetime;
        c.adminTokenLifetime = adminTokenLifetime;
        c.registrationTokenLifetime = registrationTokenLifetime;
        c.refreshTokenLifetime = refreshTokenLifetime;
        c.tokenLatency = tokenLatency;
        c.dataLatency = dataLatency;
        c.loginLimit = loginLimit;
        c.loginWindow = loginWindow;
        c.loginBlockHour = loginBlockHour;
        c.sendRetryAfter = sendRetryAfter;
        c.rotateRefreshTokens = rotateRefreshTokens;
        c.revokeAccessTokenOnRefresh = revokeAccessTokenOnRefresh;
        c.refreshFailureStatus = refreshFailureStatus;
        c.strictDevicetokenCasing = strictDevicetokenCasing;
        c.refreshBlockStatus = refreshBlockStatus;
        c.clock = clock;
        return c;
    }

    static Duration duration(String name, Object value) {
        if (value instanceof Number n) {
            return Duration.ofMillis(Math.round(n.doubleValue() * 1000));
        }
        if (value instanceof String s) {
            String t = s.trim();
            try {
                if (t.matches("\\d+(\\.\\d+)?")) {
                    return Duration.ofMillis(Math.round(Double.parseDouble(t) * 1000));
                }
                return Duration.parse(t);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(name + ": not an ISO-8601 duration or seconds: " + s);
            }
        }
        throw new IllegalArgumentException(name + ": expected a duration");
    }

    private static int integer(String name, Object value) {
        if (value instanceof Number n) {
            return n.intValue();
        }
        if (value instanceof String s) {
            try {
                return Integer.parseInt(s.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + ": not an integer: " + s);
            }
        }
        throw new IllegalArgumentException(name + ": expected an integer");
    }

    private static boolean bool(String name, Object value) {
        if (value instanceof Boolean b) {
            return b;
        }
        if (value instanceof String s && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false"))) {
            return Boolean.parseBoolean(s);
        }
        throw new IllegalArgumentException(name + ": expected true or false");
    }

    private static Duration positive(Duration value, String name) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
        return value;
    }

    private static Duration notNegative(Duration value, String name) {
        if (value == null || value.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative");
        }
        return value;
    }
}
