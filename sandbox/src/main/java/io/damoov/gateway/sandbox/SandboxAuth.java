package io.damoov.gateway.sandbox;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.regex.Pattern;

import io.damoov.gateway.sandbox.SandboxAccounts.Admin;
import io.damoov.gateway.sandbox.SandboxAccounts.Instance;
import io.damoov.gateway.sandbox.SandboxAccounts.User;
import io.damoov.gateway.sandbox.SandboxRoute.Ident;
import io.damoov.gateway.sandbox.SandboxRoute.Invalid;
import io.damoov.gateway.sandbox.SandboxTokens.Issued;
import io.damoov.gateway.sandbox.SandboxTokens.Principal;
import io.vertx.core.json.JsonObject;

/** Login, refresh and registration (docs/damoov-api.md §3.1–§3.4, §3.8). */
final class SandboxAuth {

    private static final Pattern UUID_FORMAT = Pattern
            .compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    /** Registration body fields kept on the profile, with their canonical (PascalCase) names. */
    private static final String[] PROFILE_FIELDS = { "FirstName", "LastName", "Nickname", "Phone", "Email", "Gender",
            "Birthday", "MaritalStatus", "ChildrenCount", "Address", "Country", "District", "City", "ImageUrl",
            "ExternalImageUrl" };

    private final SandboxSettings settings;
    private final SandboxTokens tokens;
    private final SandboxAccounts accounts;
    private final LoginLimiter limiter;

    SandboxAuth(SandboxSettings settings, SandboxTokens tokens, SandboxAccounts accounts, LoginLimiter limiter) {
        this.settings = settings;
        this.tokens = tokens;
        this.accounts = accounts;
        this.limiter = limiter;
    }

    /** What a login body says. kind: "user", "admin" or null (no usable login field). */
    private record LoginForm(String kind, String identity, String password, boolean casingMismatch) {
    }

    // --- login -----------------------------------------------------------------------------------------------

    Ident identifyLogin(Exchange ex) {
        try {
            LoginForm form = parseLogin(ex);
            if (form.kind() == null) {
                return Ident.NONE;
            }
            return new Ident(form.identity(), "login." + form.kind());
        } catch (Invalid e) {
            return Ident.NONE;
        }
    }

    Reply login(Exchange ex) {
        LoginForm form = parseLogin(ex);
        if (form.kind() == null) {
            return Reply.error(401);
        }
        long retryAfter = limiter.acquire(form.identity(), settings);
        if (retryAfter > 0) {
            Reply reply = Reply.error(429, "Login", "Too many login attempts. Try again later.");
            return settings.isSendRetryAfter() ? reply.withHeader("Retry-After", Long.toString(retryAfter)) : reply;
        }
        if (SandboxTokens.USER.equals(form.kind())) {
            if (form.casingMismatch()) {
                return Reply.error(401);
            }
            Instance instance = accounts.instance(ex.header("InstanceId"));
            User user = accounts.user(form.identity());
            if (instance == null || !instance.key().equals(form.password()) || user == null
                    || !user.instanceId.equals(instance.id())) {
                return Reply.error(401);
            }
            Principal p = new Principal(SandboxTokens.USER, user.deviceToken, instance.id(), user.deviceToken);
            return Reply.ok(tokens.issue(p, settings.getUserTokenLifetime(), true).toResult());
        }
        Admin admin = accounts.admin(form.identity());
        if (admin == null || !admin.password().equals(form.password())) {
            return Reply.error(401);
        }
        Principal p = new Principal(SandboxTokens.ADMIN, admin.email(), admin.instanceId(), null);
        return Reply.ok(tokens.issue(p, settings.getAdminTokenLifetime(), true).toResult());
    }

    private LoginForm parseLogin(Exchange ex) {
        JsonObject json = body(ex, true);
        Object raw = SandboxJson.get(json, "LoginFields");
        JsonObject fields;
        boolean stringForm = false;
        if (raw instanceof String s) {
            stringForm = true;
            try {
                fields = new JsonObject(s);
            } catch (RuntimeException e) {
                throw new Invalid("LoginFields", "LoginFields must be a JSON object or a JSON-encoded object.");
            }
        } else if (raw instanceof JsonObject o) {
            fields = o;
        } else if (raw instanceof Map<?, ?>) {
            fields = SandboxJson.object(json, "LoginFields");
        } else {
            throw new Invalid("LoginFields", "The LoginFields field is required.");
        }
        String password = SandboxJson.string(json, "Password");
        if (password == null) {
            throw new Invalid("Password", "The Password field is required.");
        }
        String deviceToken = SandboxJson.string(fields, "DeviceToken");
        if (deviceToken != null) {
            boolean mismatch = stringForm && settings.isStrictDevicetokenCasing()
                    && !(fields.getValue("Devicetoken") instanceof String);
            return new LoginForm(SandboxTokens.USER, deviceToken, password, mismatch);
        }
        String email = SandboxJson.string(fields, "Email");
        if (email != null) {
            Admin admin = accounts.admin(email);
            return new LoginForm(SandboxTokens.ADMIN, admin == null ? email : admin.email(), password, false);
        }
        return new LoginForm(null, null, password, false);
    }

    // --- refresh ---------------------------------------------------------------------------------------------

    Ident identifyRefresh(Exchange ex) {
        if (ex.json() == null) {
            return Ident.NONE;
        }
        Principal owner = tokens.refreshOwner(SandboxJson.string(ex.json(), "RefreshToken"));
        return owner == null ? Ident.NONE : new Ident(owner.identity(), null);
    }

    Reply refresh(Exchange ex) {
        int blocked = settings.getRefreshBlockStatus();
        if (blocked != 0) {
            return Reply.cloudflare(blocked);
        }
        JsonObject json = body(ex, true);
        String accessToken = SandboxJson.string(json, "AccessToken");
        String refreshToken = SandboxJson.string(json, "RefreshToken");
        if (accessToken == null) {
            throw new Invalid("AccessToken", "The AccessToken field is required.");
        }
        if (refreshToken == null) {
            throw new Invalid("RefreshToken", "The RefreshToken field is required.");
        }
        Issued issued = tokens.refresh(accessToken, refreshToken);
        if (issued == null) {
            return Reply.error(settings.getRefreshFailureStatus(), "RefreshToken",
                    "The refresh token is invalid or expired.");
        }
        return Reply.ok(issued.toResult());
    }

    // --- registration ----------------------------------------------------------------------------------------

    Ident identifyRegister(Exchange ex) {
        return new Ident(ex.header("InstanceId"), null);
    }

    Reply register(Exchange ex) {
        String instanceId = ex.header("InstanceId");
        String instanceKey = ex.header("InstanceKey");
        if (instanceId == null || instanceKey == null) {
            return Reply.error(401, instanceId == null ? "InstanceId" : "InstanceKey", "The header is required.");
        }
        Instance instance = accounts.instance(instanceId);
        if (instance == null) {
            return Reply.error(401, "InstanceId", "Unknown instance.");
        }
        if (!instance.key().equals(instanceKey)) {
            return Reply.error(403, "InstanceKey", "The InstanceKey does not match the instance.");
        }
        JsonObject json = body(ex, false);
        String custom = SandboxJson.string(json, "CustomToken");
        if (custom != null && !UUID_FORMAT.matcher(custom).matches()) {
            throw new Invalid("CustomToken", "CustomToken must be a UUID.");
        }
        boolean createToken = bool(SandboxJson.get(json, "CreateAccessToken"), true, "CreateAccessToken");
        JsonObject profile = new JsonObject();
        for (String field : PROFILE_FIELDS) {
            Object value = SandboxJson.get(json, field);
            if (value != null) {
                profile.put(field, value);
            }
        }
        JsonObject userFields = SandboxJson.object(json, "UserFields");
        String clientId = SandboxJson.string(userFields, "ClientId");
        if (clientId != null) {
            profile.put("ClientId", clientId);
        }
        LocalDateTime now = LocalDateTime.ofInstant(settings.getClock().instant(), ZoneOffset.UTC);
        User user = accounts.addUser(instance.id(), custom, profile, now);
        if (user == null) {
            throw new Invalid("CustomToken", "A user with this DeviceToken already exists.");
        }
        JsonObject result = new JsonObject().put("DeviceToken", user.deviceToken);
        if (createToken) {
            Principal p = new Principal(SandboxTokens.USER, user.deviceToken, instance.id(), user.deviceToken);
            Issued issued = tokens.issue(p, settings.getRegistrationTokenLifetime(), true);
            result.put("AccessToken", new JsonObject().put("Token", issued.accessToken())
                    .put("ExpiresIn", issued.expiresIn()));
            result.put("RefreshToken", issued.refreshToken());
        } else {
            result.put("AccessToken", null).put("RefreshToken", null);
        }
        return Reply.ok(result);
    }

    // --- helpers ---------------------------------------------------------------------------------------------

    private static JsonObject body(Exchange ex, boolean required) {
        if (ex.jsonError() != null) {
            throw new Invalid("body", ex.jsonError());
        }
        if (ex.json() == null) {
            if (required) {
                throw new Invalid("body", "A non-empty request body is required.");
            }
            return new JsonObject();
        }
        return ex.json();
    }

    private static boolean bool(Object value, boolean fallback, String key) {
        if (value == null) {
            return fallback;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        if (value instanceof String s && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false"))) {
            return Boolean.parseBoolean(s);
        }
        throw new Invalid(key, key + " must be true or false.");
    }
}
