package io.damoov.gateway.sandbox;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiFunction;

import io.damoov.gateway.sandbox.SandboxAccounts.Instance;
import io.damoov.gateway.sandbox.SandboxAccounts.User;
import io.damoov.gateway.sandbox.SandboxData.Range;
import io.damoov.gateway.sandbox.SandboxRoute.Auth;
import io.damoov.gateway.sandbox.SandboxRoute.Handler;
import io.damoov.gateway.sandbox.SandboxRoute.Ident;
import io.damoov.gateway.sandbox.SandboxRoute.Invalid;
import io.damoov.gateway.sandbox.SandboxTokens.Principal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** The route table (normalised lower-case paths) and the data endpoints (docs/damoov-api.md §4, §5). */
final class SandboxEndpoints {

    private static final Set<String> GET = Set.of("GET");
    private static final Set<String> POST = Set.of("POST");
    private static final Set<String> GET_PUT = Set.of("GET", "PUT");
    private static final Set<String> GET_POST = Set.of("GET", "POST");
    private static final String[] PROFILE_FIELDS = { "FirstName", "LastName", "Nickname", "Phone", "Email", "Gender",
            "Birthday", "MaritalStatus", "ChildrenCount", "Address", "Country", "District", "City",
            "ExternalImageUrl" };

    private final SandboxSettings settings;
    private final SandboxAccounts accounts;

    SandboxEndpoints(SandboxSettings settings, SandboxAccounts accounts) {
        this.settings = settings;
        this.accounts = accounts;
    }

    Map<String, SandboxRoute> routes(SandboxAuth auth) {
        Map<String, SandboxRoute> r = new LinkedHashMap<>();
        // user host
        r.put("/user/v1/auth/login", new SandboxRoute("login", "login", Auth.NONE, POST, auth::identifyLogin,
                (ex, c) -> auth.login(ex)));
        r.put("/user/v1/auth/refreshtoken", new SandboxRoute("refresh", "refresh", Auth.NONE, POST,
                auth::identifyRefresh, (ex, c) -> auth.refresh(ex)));
        r.put("/user/v1/registration/create", new SandboxRoute("register", "register", Auth.NONE, POST,
                auth::identifyRegister, (ex, c) -> auth.register(ex)));
        r.put("/user/v1/management/users", data("profile", Auth.USER_JWT, GET_PUT, this::profile));
        r.put("/user/v1/management/users/find", data("users.find", Auth.ADMIN_JWT, GET, this::findUsers));
        // api host: trips
        r.put("/api/trips/get/v1", data("trips", Auth.USER_JWT, POST, this::userTrips));
        r.put("/api/trips/get/admin/v1", data("trips.admin", Auth.ADMIN_JWT, POST, this::adminTrips));
        // api host: indicators v3
        for (String kind : List.of("statistics", "scores/safety", "scores/eco")) {
            String short_ = kind.startsWith("scores/") ? kind.substring(7) : kind;
            r.put("/api/indicators/v3/" + kind, data("indicators", Auth.USER_JWT, GET,
                    (ex, c) -> userIndicators(ex, c, short_, false)));
            r.put("/api/indicators/v3/" + kind + "/daily", data("indicators", Auth.USER_JWT, GET,
                    (ex, c) -> userIndicators(ex, c, short_, true)));
            r.put("/api/indicators/admin/v3/" + kind, data("indicators.admin", Auth.ADMIN_JWT, GET,
                    (ex, c) -> adminIndicators(ex, c, short_, false)));
            r.put("/api/indicators/admin/v3/" + kind + "/daily", data("indicators.admin", Auth.ADMIN_JWT, GET,
                    (ex, c) -> adminIndicators(ex, c, short_, true)));
        }
        // api host: legacy statistics v1
        r.put("/api/statistics/v1/scorings/individual", data("scorings", Auth.USER_JWT, GET,
                (ex, c) -> Reply.ok(SandboxData.scorings(self(c), range(ex)))));
        r.put("/api/statistics/v1/scorings/individual/daily", data("scorings", Auth.USER_JWT, GET,
                (ex, c) -> Reply.ok(SandboxData.scoringsDaily(self(c), range(ex)))));
        r.put("/api/statistics/v1/statistics/individual", data("scorings", Auth.USER_JWT, GET,
                (ex, c) -> Reply.ok(SandboxData.legacyStatistics(self(c), range(ex)))));
        r.put("/api/statistics/v1/statistics/individual/daily", data("scorings", Auth.USER_JWT, GET,
                (ex, c) -> Reply.ok(SandboxData.legacyStatisticsDaily(self(c), range(ex)))));
        r.put("/api/statistics/v1/scorings/accumulated", data("scorings.admin", Auth.ADMIN_JWT, GET,
                (ex, c) -> accumulated(ex, c, (u, rg) -> new JsonArray().add(SandboxData.scorings(u, rg)))));
        r.put("/api/statistics/v1/scorings/accumulated/daily", data("scorings.admin", Auth.ADMIN_JWT, GET,
                (ex, c) -> accumulated(ex, c, SandboxData::scoringsDaily)));
        r.put("/api/statistics/v1/statistics/consolidated", data("scorings.admin", Auth.ADMIN_JWT, GET,
                (ex, c) -> accumulated(ex, c, (u, rg) -> new JsonArray().add(SandboxData.legacyStatistics(u, rg)))));
        r.put("/api/statistics/v1/statistics/consolidated/daily", data("scorings.admin", Auth.ADMIN_JWT, GET,
                (ex, c) -> accumulated(ex, c, SandboxData::legacyStatisticsDaily)));
        // mobilesdk host
        r.put("/mobilesdk/api/rewarding/v2/drivecoins/total", data("drivecoins", Auth.USER_JWT, GET,
                (ex, c) -> Reply.ok(SandboxData.coinsTotal(self(c), range(ex)))));
        r.put("/mobilesdk/api/rewarding/v2/drivecoins/daily", data("drivecoins", Auth.USER_JWT, GET,
                (ex, c) -> Reply.ok(SandboxData.coinsDaily(self(c), range(ex), now()))));
        r.put("/mobilesdk/api/rewarding/v2/drivecoins/dailylimit", data("drivecoins", Auth.USER_JWT, GET,
                (ex, c) -> Reply.ok(SandboxData.coinsDailyLimit(self(c)))));
        r.put("/mobilesdk/mobilesdk/stage/track/get_tracks/v1", data("tracks", Auth.DEVICE_TOKEN, GET,
                this::tracks));
        // leaderboard host
        r.put("/leaderboard/v1/leaderboard", data("leaderboard", Auth.DEVICE_TOKEN, GET, this::leaderboard));
        r.put("/leaderboard/v1/leaderboard/user", data("leaderboard", Auth.DEVICE_TOKEN, GET,
                (ex, c) -> Reply.ok(SandboxData.leaderboardUser(self(c), accounts.usersOf(c.instanceId())))));
        // carservice host
        r.put("/carservice/api/carservice/v1/vehicles", data("vehicles", Auth.DEVICE_TOKEN, GET_POST,
                this::vehicles));
        return r;
    }

    private static SandboxRoute data(String name, Auth auth, Set<String> methods, Handler handler) {
        return new SandboxRoute(name, "data", auth, methods, ex -> Ident.NONE, handler);
    }

    // --- user profile ----------------------------------------------------------------------------------------

    private Reply profile(Exchange ex, Principal caller) {
        User user = self(caller);
        if ("GET".equals(ex.method())) {
            return Reply.ok(SandboxData.user(user, instance(caller)));
        }
        JsonObject json = body(ex);
        JsonObject changes = new JsonObject();
        for (String field : PROFILE_FIELDS) {
            Object value = SandboxJson.get(json, field);
            if (value != null) {
                changes.put(field, value);
            }
        }
        String clientId = SandboxJson.string(SandboxJson.object(json, "UserFields"), "ClientId");
        if (clientId != null) {
            changes.put("ClientId", clientId);
        }
        user.update(changes);
        return Reply.okNoResult();
    }

    private Reply findUsers(Exchange ex, Principal admin) {
        Instance instance = instance(admin);
        JsonArray result = new JsonArray();
        for (User u : accounts.usersOf(admin.instanceId())) {
            if (matches(ex.param("DeviceToken"), u.deviceToken) && matches(ex, u, "Email")
                    && matches(ex, u, "Phone") && matches(ex, u, "ClientId") && matches(ex, u, "FirstName")
                    && matches(ex, u, "LastName")) {
                result.add(SandboxData.user(u, instance));
            }
        }
        return Reply.ok(result);
    }

    private static boolean matches(Exchange ex, User u, String field) {
        Object value = u.profileCopy().getValue(field);
        return matches(ex.param(field), value == null ? null : value.toString());
    }

    private static boolean matches(String wanted, String actual) {
        return wanted == null || wanted.equalsIgnoreCase(actual);
    }

    // --- trips -----------------------------------------------------------------------------------------------

    private Reply userTrips(Exchange ex, Principal caller) {
        JsonObject json = body(ex);
        JsonArray trips = SandboxData.trips(self(caller), instance(caller), tripRange(json), count(json));
        return Reply.ok(new JsonObject().put("Trips", trips));
    }

    private Reply adminTrips(Exchange ex, Principal admin) {
        JsonObject json = body(ex);
        String userId = SandboxJson.string(SandboxJson.object(json, "Identifiers"), "UserId");
        if (userId == null) {
            throw new Invalid("Identifiers.UserId", "The UserId field is required.");
        }
        User user = scoped(admin, userId);
        JsonArray trips = user == null ? new JsonArray()
                : SandboxData.trips(user, instance(admin), tripRange(json), count(json));
        return Reply.ok(new JsonObject().put("Trips", trips).put("PagingInfo", SandboxData.pagingInfo(trips.size())));
    }

    private Range tripRange(JsonObject json) {
        LocalDate to = date(SandboxJson.get(json, "EndDate"), "EndDate");
        LocalDate from = date(SandboxJson.get(json, "StartDate"), "StartDate");
        Object endSec = SandboxJson.get(json, "EndDateTimestampSec");
        Object startSec = SandboxJson.get(json, "StartDateTimestampSec");
        if (to == null && endSec instanceof Number n) {
            to = LocalDate.ofInstant(java.time.Instant.ofEpochSecond(n.longValue()), ZoneOffset.UTC);
        }
        if (from == null && startSec instanceof Number n) {
            from = LocalDate.ofInstant(java.time.Instant.ofEpochSecond(n.longValue()), ZoneOffset.UTC);
        }
        return range(from, to);
    }

    private static int count(JsonObject json) {
        Object count = SandboxJson.get(SandboxJson.object(json, "Paging"), "Count");
        return count instanceof Number n && n.intValue() > 0 ? Math.min(50, n.intValue()) : 50;
    }

    // --- indicators ------------------------------------------------------------------------------------------

    private Reply userIndicators(Exchange ex, Principal caller, String kind, boolean daily) {
        return Reply.ok(indicators(self(caller), instance(caller), range(ex), kind, daily));
    }

    private Reply adminIndicators(Exchange ex, Principal admin, String kind, boolean daily) {
        Range range = range(ex);
        String userId = ex.param("UserId");
        List<User> users = userId == null ? accounts.usersOf(admin.instanceId()) : listOf(scoped(admin, userId));
        JsonArray result = new JsonArray();
        for (User u : users) {
            result.addAll(indicators(u, instance(admin), range, kind, daily));
        }
        return Reply.ok(result);
    }

    private static JsonArray indicators(User u, Instance i, Range range, String kind, boolean daily) {
        if (daily) {
            return SandboxData.daily(u, i, range, kind);
        }
        return new JsonArray().add(switch (kind) {
            case "safety" -> SandboxData.safety(u, i, range);
            case "eco" -> SandboxData.eco(u, i, range);
            default -> SandboxData.statistics(u, i, range);
        });
    }

    private Reply accumulated(Exchange ex, Principal admin, BiFunction<User, Range, JsonArray> body) {
        Range range = range(ex);
        Instance instance = instance(admin);
        String deviceToken = ex.param("deviceToken");
        List<User> users;
        if (deviceToken != null) {
            users = listOf(scoped(admin, deviceToken));
        } else if (ex.param("InstanceID") != null) {
            users = ex.param("InstanceID").equalsIgnoreCase(instance.id()) ? accounts.usersOf(instance.id())
                    : List.of();
        } else if (ex.param("ApplicationID") != null) {
            users = ex.param("ApplicationID").equalsIgnoreCase(instance.applicationId())
                    ? accounts.usersOf(instance.id())
                    : List.of();
        } else if (ex.param("CompanyID") != null) {
            users = ex.param("CompanyID").equalsIgnoreCase(instance.companyId()) ? accounts.usersOf(instance.id())
                    : List.of();
        } else {
            throw new Invalid("deviceToken", "One of deviceToken, CompanyID, ApplicationID or InstanceID is required.");
        }
        JsonArray result = new JsonArray();
        users.forEach(u -> result.addAll(body.apply(u, range)));
        return Reply.ok(result);
    }

    // --- DeviceToken-header endpoints ------------------------------------------------------------------------

    private Reply leaderboard(Exchange ex, Principal caller) {
        int usersCount = intParam(ex, "UsersCount", 10);
        int rate = intParam(ex, "ScoringRate", 6);
        if (rate < 1 || rate > 9) {
            throw new Invalid("ScoringRate", "ScoringRate must be between 1 and 9.");
        }
        return Reply.ok(SandboxData.leaderboard(self(caller), accounts.usersOf(caller.instanceId()), rate,
                usersCount));
    }

    private Reply vehicles(Exchange ex, Principal caller) {
        User user = self(caller);
        if ("POST".equals(ex.method())) {
            String token = UUID.randomUUID().toString();
            user.vehicles.add(SandboxData.vehicle(user, body(ex), token));
            return Reply.ok(token);
        }
        if (user.vehicles.isEmpty()) {
            user.vehicles.add(SandboxData.vehicle(user, new JsonObject(),
                    UUID.nameUUIDFromBytes((user.deviceToken + "/vehicle").getBytes(java.nio.charset.StandardCharsets.UTF_8))
                            .toString()));
        }
        return Reply.ok(new JsonArray(new ArrayList<>(user.vehicles)));
    }

    private Reply tracks(Exchange ex, Principal caller) {
        int page = Math.max(1, intParam(ex, "pageNumber", 1));
        int size = Math.max(1, intParam(ex, "pageSize", 20));
        return Reply.ok(SandboxData.tracks(self(caller), instance(caller), range(ex), page, size));
    }

    // --- helpers ---------------------------------------------------------------------------------------------

    private User self(Principal caller) {
        User user = accounts.user(caller.deviceToken());
        if (user == null) {
            throw new IllegalStateException("no user " + caller.deviceToken());
        }
        return user;
    }

    private Instance instance(Principal caller) {
        return accounts.instance(caller.instanceId());
    }

    /** The user if it belongs to the admin's instance, else null. */
    private User scoped(Principal admin, String deviceToken) {
        User user = accounts.user(deviceToken);
        if (user == null) {
            // DeviceTokens are UUIDs; Damoov compares them case-insensitively
            user = accounts.usersOf(admin.instanceId()).stream()
                    .filter(u -> u.deviceToken.equalsIgnoreCase(deviceToken)).findFirst().orElse(null);
        }
        return user != null && user.instanceId.equals(admin.instanceId()) ? user : null;
    }

    private static List<User> listOf(User user) {
        return user == null ? List.of() : List.of(user);
    }

    private LocalDateTime now() {
        return LocalDateTime.ofInstant(settings.getClock().instant(), ZoneOffset.UTC);
    }

    private Range range(Exchange ex) {
        String from = first(ex, "StartDate", "DateFrom");
        String to = first(ex, "EndDate", "DateTo");
        return range(date(from, "StartDate"), date(to, "EndDate"));
    }

    private Range range(LocalDate from, LocalDate to) {
        LocalDate end = to == null ? now().toLocalDate() : to;
        LocalDate start = from == null ? end.minusDays(13) : from;
        if (start.isAfter(end)) {
            throw new Invalid("StartDate", "StartDate must not be after EndDate.");
        }
        return new Range(start, end);
    }

    private static String first(Exchange ex, String... names) {
        for (String name : names) {
            String v = ex.param(name);
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    /** Accepts YYYY-MM-DD and ISO-8601 date-times (with or without offset). */
    private static LocalDate date(Object value, String key) {
        if (value == null) {
            return null;
        }
        String s = value.toString().trim();
        if (s.isEmpty()) {
            return null;
        }
        try {
            if (s.length() == 10) {
                return LocalDate.parse(s);
            }
            if (s.length() > 10 && (s.charAt(10) == 'T' || s.charAt(10) == 't' || s.charAt(10) == ' ')) {
                return LocalDate.parse(s.substring(0, 10));
            }
        } catch (DateTimeParseException e) {
            // fall through
        }
        throw new Invalid(key, "The value '" + s + "' is not a valid date.");
    }

    private static int intParam(Exchange ex, String name, int fallback) {
        String v = ex.param(name);
        if (v == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new Invalid(name, "The value '" + v + "' is not valid for " + name.toLowerCase(Locale.ROOT) + ".");
        }
    }

    private static JsonObject body(Exchange ex) {
        if (ex.jsonError() != null) {
            throw new Invalid("body", ex.jsonError());
        }
        return ex.json() == null ? new JsonObject() : ex.json();
    }
}
