package io.damoov.gateway.sandbox;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.resolvers.JwksVerificationKeyResolver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

class SandboxTest {

    static final String INSTANCE = "8f6a1c2e-1111-4a2b-9c3d-000000000001";
    static final String KEY = "5d4c3b2a-2222-4a2b-9c3d-000000000002";
    static final String OTHER_INSTANCE = "8f6a1c2e-3333-4a2b-9c3d-000000000003";
    static final String OTHER_KEY = "5d4c3b2a-4444-4a2b-9c3d-000000000004";
    static final String ADMIN = "admin@fleet.example";
    static final String ADMIN_PASSWORD = "s3cret!";

    static Vertx vertx;
    DamoovSandbox sandbox;
    String alice;
    String bob;
    String stranger;

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopVertx() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @BeforeEach
    void startSandbox() {
        sandbox = new DamoovSandbox(vertx).start(0);
        sandbox.addInstance(INSTANCE, KEY);
        sandbox.addInstance(OTHER_INSTANCE, OTHER_KEY);
        sandbox.addAdmin(ADMIN, ADMIN_PASSWORD, INSTANCE);
        alice = sandbox.addUser(INSTANCE, null);
        bob = sandbox.addUser(INSTANCE, null);
        stranger = sandbox.addUser(OTHER_INSTANCE, null);
    }

    @AfterEach
    void stopSandbox() {
        sandbox.close();
    }

    // --- helpers ---------------------------------------------------------------------------------------------

    RequestSpecification http() {
        return given().baseUri(sandbox.baseUrl()).contentType("application/json");
    }

    Response adminLogin(String password) {
        String body = new JsonObject().put("LoginFields", new JsonObject().put("email", ADMIN).encode())
                .put("Password", password).encode();
        return http().body(body).post("/user/v1/Auth/Login");
    }

    Response userLogin(String instanceId, Object loginFields, String password) {
        String body = new JsonObject().put("LoginFields", loginFields).put("Password", password).encode();
        return http().header("InstanceId", instanceId).body(body).post("/user/v1/Auth/Login");
    }

    Response userLogin(String deviceToken) {
        return userLogin(INSTANCE, new JsonObject().put("Devicetoken", deviceToken).encode(), KEY);
    }

    Response refresh(String accessToken, String refreshToken) {
        return http().body(new JsonObject().put("AccessToken", accessToken).put("RefreshToken", refreshToken).encode())
                .post("/user/v1/Auth/RefreshToken");
    }

    static String token(Response login) {
        return login.jsonPath().getString("Result.AccessToken.Token");
    }

    static String refreshToken(Response login) {
        return login.jsonPath().getString("Result.RefreshToken");
    }

    Response getWith(String token, String path) {
        return given().baseUri(sandbox.baseUrl()).header("Authorization", "Bearer " + token).get(path);
    }

    static void assertEnvelope(Response r, int status) {
        assertThat(r.statusCode()).isEqualTo(status);
        JsonPath json = r.jsonPath();
        assertThat(json.getInt("Status")).isEqualTo(status);
        assertThat(json.getList("Errors")).isNotNull();
        assertThat(json.getString("Title")).isNotNull();
    }

    // --- login -----------------------------------------------------------------------------------------------

    @Test
    void shouldIssueAdminTokensWhenAdminLogsInWithStringLoginFields() {
        Response r = adminLogin(ADMIN_PASSWORD);

        assertEnvelope(r, 200);
        assertThat(r.jsonPath().getString("Result.DeviceToken")).isNull();
        assertThat(r.jsonPath().getInt("Result.AccessToken.ExpiresIn")).isEqualTo(86400);
        assertThat(refreshToken(r)).isNotBlank();
        JsonObject claims = claimsOf(token(r));
        assertThat(claims.getString("kind")).isEqualTo("admin");
        assertThat(claims.getString("sub")).isEqualTo(ADMIN);
        assertThat(claims.getString("InstanceId")).isEqualTo(INSTANCE);
        assertThat(claims.getLong("exp") - claims.getLong("iat")).isEqualTo(86400);
        assertThat(sandbox.calls("login.admin")).isEqualTo(1);
        assertThat(sandbox.callsBy("login", ADMIN)).isEqualTo(1);
    }

    @Test
    void shouldIssueUserTokensWhenLoginFieldsIsStringOrObjectInAnyCasing() {
        List<Object> forms = List.of(
                new JsonObject().put("Devicetoken", alice).encode(),
                new JsonObject().put("DeviceToken", alice).encode(),
                new JsonObject().put("deviceToken", alice),
                new JsonObject().put("DeviceToken", alice));
        for (Object form : forms) {
            // camelCase body keys too (LAF-A sends loginFields/password)
            String body = new JsonObject().put("loginFields", form).put("password", KEY).encode();
            Response r = http().header("instanceid", INSTANCE).contentType("application/json-patch+json").body(body)
                    .post("/USER/v1/auth/login/");

            assertEnvelope(r, 200);
            assertThat(r.jsonPath().getString("Result.DeviceToken")).isEqualTo(alice);
            assertThat(claimsOf(token(r)).getString("DeviceToken")).isEqualTo(alice);
            assertThat(claimsOf(token(r)).getString("kind")).isEqualTo("user");
        }
        assertThat(sandbox.calls("login.user")).isEqualTo(4);
        assertThat(sandbox.callsBy("login.user", alice)).isEqualTo(4);
    }

    @Test
    void shouldAnswer401EnvelopeWhenCredentialsAreWrong() {
        assertEnvelope(adminLogin("wrong"), 401);
        assertEnvelope(userLogin(INSTANCE, new JsonObject().put("Devicetoken", alice).encode(), "wrong-key"), 401);
        // right key of another instance, user not in it
        assertEnvelope(userLogin(OTHER_INSTANCE, new JsonObject().put("Devicetoken", alice).encode(), OTHER_KEY), 401);
        // no InstanceId header
        Response noHeader = http().body(new JsonObject().put("LoginFields", new JsonObject().put("Devicetoken", alice)
                .encode()).put("Password", KEY).encode()).post("/user/v1/Auth/Login");
        assertEnvelope(noHeader, 401);
        assertThat(sandbox.calls("login")).isEqualTo(4);
        assertThat(sandbox.calls("unauthorized")).as("login failures are not data 401s").isZero();
    }

    @Test
    void shouldAnswer422WithErrorsWhenLoginBodyIsIncomplete() {
        Response r = http().body("{\"LoginFields\":\"{\\\"email\\\":\\\"x@y\\\"}\"}").post("/user/v1/Auth/Login");

        assertEnvelope(r, 422);
        assertThat(r.jsonPath().getString("Errors[0].Key")).isEqualTo("Password");
        assertThat(r.jsonPath().getString("Errors[0].Message")).isNotBlank();
    }

    @Test
    void shouldRequireExactDevicetokenKeyWhenStrictCasingIsOn() {
        sandbox.settings().setStrictDevicetokenCasing(true);

        assertEnvelope(userLogin(INSTANCE, new JsonObject().put("DeviceToken", alice).encode(), KEY), 401);
        assertEnvelope(userLogin(INSTANCE, new JsonObject().put("Devicetoken", alice).encode(), KEY), 200);
        // the object form stays lenient
        assertEnvelope(userLogin(INSTANCE, new JsonObject().put("DeviceToken", alice), KEY), 200);
    }

    // --- registration ----------------------------------------------------------------------------------------

    @Test
    void shouldRegisterUserWhenInstanceCredentialsAreRight() {
        String custom = UUID.randomUUID().toString();

        Response withCustom = http().header("InstanceId", INSTANCE).header("InstanceKey", KEY)
                .body(new JsonObject().put("CustomToken", custom).put("FirstName", "Carol").encode())
                .post("/user/v1/Registration/Create");
        Response generated = http().header("InstanceId", INSTANCE).header("InstanceKey", KEY)
                .post("/user/v1/registration/create");
        Response noToken = http().header("InstanceId", INSTANCE).header("InstanceKey", KEY)
                .body("{\"createAccessToken\":false}").post("/user/v1/Registration/create");

        assertEnvelope(withCustom, 200);
        assertThat(withCustom.jsonPath().getString("Result.DeviceToken")).isEqualTo(custom);
        assertThat(withCustom.jsonPath().getInt("Result.AccessToken.ExpiresIn")).isEqualTo(432000);
        assertThat(refreshToken(withCustom)).isNotBlank();
        String generatedToken = generated.jsonPath().getString("Result.DeviceToken");
        assertThat(UUID.fromString(generatedToken)).isNotNull();
        assertThat(token(generated)).isNotBlank();
        assertEnvelope(noToken, 200);
        assertThat(noToken.jsonPath().getMap("Result")).containsEntry("AccessToken", null)
                .containsEntry("RefreshToken", null);
        assertThat(sandbox.deviceTokens(INSTANCE)).contains(custom, generatedToken,
                noToken.jsonPath().getString("Result.DeviceToken"));
        assertThat(sandbox.calls("register")).isEqualTo(3);
        // the registered user can use its token and log in
        assertThat(getWith(token(withCustom), "/user/v1/Management/users").jsonPath()
                .getString("Result.UserProfile.FirstName")).isEqualTo("Carol");
        assertEnvelope(userLogin(custom), 200);
    }

    @Test
    void shouldRefuseRegistrationWhenInstanceCredentialsAreMissingOrWrong() {
        assertEnvelope(http().post("/user/v1/Registration/create"), 401);
        assertEnvelope(http().header("InstanceId", INSTANCE).header("InstanceKey", OTHER_KEY)
                .post("/user/v1/Registration/create"), 403);
        assertEnvelope(http().header("InstanceId", INSTANCE).header("InstanceKey", KEY)
                .body("{\"CustomToken\":\"" + alice + "\"}").post("/user/v1/Registration/create"), 422);
        assertEnvelope(http().header("InstanceId", INSTANCE).header("InstanceKey", KEY)
                .body("{\"CustomToken\":\"not-a-uuid\"}").post("/user/v1/Registration/create"), 422);
        assertThat(sandbox.deviceTokens(INSTANCE)).containsExactly(alice, bob);
    }

    // --- refresh ---------------------------------------------------------------------------------------------

    @Test
    void shouldRotateTokensWhenRefreshTokenIsUsed() {
        Response login = userLogin(alice);
        String oldAccess = token(login);
        String oldRefresh = refreshToken(login);

        Response refreshed = refresh(oldAccess, oldRefresh);

        assertEnvelope(refreshed, 200);
        assertThat(refreshed.jsonPath().getString("Result.DeviceToken")).isEqualTo(alice);
        assertThat(token(refreshed)).isNotEqualTo(oldAccess);
        assertThat(refreshToken(refreshed)).isNotEqualTo(oldRefresh);
        assertEnvelope(refresh(oldAccess, oldRefresh), 401);
        // the old access token stays valid until it expires (self-contained JWT) ...
        assertThat(getWith(oldAccess, "/api/indicators/v3/Statistics").statusCode()).isEqualTo(200);
        assertThat(getWith(token(refreshed), "/api/indicators/v3/Statistics").statusCode()).isEqualTo(200);
        // the refresh token only works with its own access token
        Response other = userLogin(bob);
        assertEnvelope(refresh(token(other), refreshToken(refreshed)), 401);
        assertThat(sandbox.calls("refresh")).isEqualTo(3);
        assertThat(sandbox.callsBy("refresh", alice)).isEqualTo(3);
    }

    @Test
    void shouldRetireTheOldAccessTokenOnRefreshWhenConfiguredStrict() {
        sandbox.settings().setRevokeAccessTokenOnRefresh(true);
        Response login = userLogin(alice);
        Response refreshed = refresh(token(login), refreshToken(login));

        assertThat(getWith(token(login), "/api/indicators/v3/Statistics").statusCode()).isEqualTo(401);
        assertThat(getWith(token(refreshed), "/api/indicators/v3/Statistics").statusCode()).isEqualTo(200);
    }

    @Test
    void shouldKeepRefreshTokenUsableWhenRotationIsOff() {
        sandbox.settings().setRotateRefreshTokens(false);
        Response login = adminLogin(ADMIN_PASSWORD);

        assertEnvelope(refresh(token(login), refreshToken(login)), 200);
        assertEnvelope(refresh(token(login), refreshToken(login)), 200);
        assertThat(getWith(token(login), "/api/indicators/admin/v3/Statistics").statusCode()).isEqualTo(200);
    }

    @Test
    void shouldAnswerConfiguredStatusWhenRefreshTokensAreBroken() {
        Response login = userLogin(alice);
        sandbox.settings().setRefreshFailureStatus(400);

        sandbox.breakRefreshTokens();

        assertEnvelope(refresh(token(login), refreshToken(login)), 400);
        assertThat(getWith(token(login), "/api/indicators/v3/Statistics").statusCode())
                .as("access tokens still work").isEqualTo(200);
        Response again = userLogin(alice);
        assertEnvelope(refresh(token(again), refreshToken(again)), 200);
    }

    // --- token expiry and kinds ------------------------------------------------------------------------------

    @Test
    void shouldAnswer401WithChallengeAndEmptyBodyWhenTokensAreExpired() {
        Response login = userLogin(alice);
        String access = token(login);
        assertThat(getWith(access, "/api/indicators/v3/Statistics").statusCode()).isEqualTo(200);

        sandbox.expireAllTokens();

        Response r = getWith(access, "/api/indicators/v3/Statistics");
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.body().asString()).isEmpty();
        assertThat(r.header("WWW-Authenticate")).startsWith("Bearer error=\"invalid_token\"")
                .contains("error_description=\"The token expired at '");
        assertThat(sandbox.calls("unauthorized")).isEqualTo(1);
        // refresh still works, and the new token is valid
        Response refreshed = refresh(access, refreshToken(login));
        assertEnvelope(refreshed, 200);
        assertThat(getWith(token(refreshed), "/api/indicators/v3/Statistics").statusCode()).isEqualTo(200);
    }

    @Test
    void shouldExpireTokensWhenClockPassesLifetime() {
        sandbox.settings().setUserTokenLifetime(Duration.ofMinutes(10));
        String access = token(userLogin(alice));
        Instant later = Instant.now().plus(Duration.ofMinutes(11));

        sandbox.settings().setClock(Clock.fixed(later, ZoneOffset.UTC));

        assertThat(getWith(access, "/api/indicators/v3/Statistics").statusCode()).isEqualTo(401);
    }

    @Test
    void shouldAnswer401WithChallengeWhenTokenIsMissingOrGarbled() {
        Response missing = given().baseUri(sandbox.baseUrl()).get("/user/v1/Management/users");
        Response garbled = getWith("not.a.jwt", "/user/v1/Management/users");
        String forged = token(userLogin(alice));
        forged = forged.substring(0, forged.length() - 3) + "AAA";
        Response tampered = getWith(forged, "/user/v1/Management/users");

        for (Response r : List.of(missing, garbled, tampered)) {
            assertThat(r.statusCode()).isEqualTo(401);
            assertThat(r.body().asString()).isEmpty();
            assertThat(r.header("WWW-Authenticate")).contains("error=\"invalid_token\"");
        }
        assertThat(sandbox.calls("unauthorized")).isEqualTo(3);
    }

    @Test
    void shouldAnswer403WhenTokenKindIsWrong() {
        String user = token(userLogin(alice));
        String admin = token(adminLogin(ADMIN_PASSWORD));

        assertEnvelope(getWith(user, "/api/indicators/admin/v3/Statistics?UserId=" + alice), 403);
        assertEnvelope(getWith(admin, "/api/indicators/v3/Statistics"), 403);
        assertEnvelope(given().baseUri(sandbox.baseUrl()).header("Authorization", "Bearer " + admin)
                .contentType("application/json").body("{}").post("/api/trips/get/v1"), 403);
        assertThat(sandbox.calls("forbidden")).isEqualTo(3);
    }

    // --- login limit -----------------------------------------------------------------------------------------

    @Test
    void shouldAnswer429WithRetryAfterWhenLoginLimitIsExceeded() {
        Instant start = Instant.parse("2026-01-01T10:00:00Z");
        sandbox.settings().setLoginLimit(3).setClock(Clock.fixed(start, ZoneOffset.UTC));
        for (int i = 0; i < 3; i++) {
            assertEnvelope(userLogin(alice), 200);
        }

        Response throttled = userLogin(alice);

        assertEnvelope(throttled, 429);
        assertThat(throttled.header("Retry-After")).isEqualTo("3600");
        assertThat(sandbox.calls("throttled")).isEqualTo(1);
        assertEnvelope(userLogin(bob), 200);
        // failed attempts count too
        for (int i = 0; i < 3; i++) {
            assertEnvelope(adminLogin("wrong"), 401);
        }
        assertEnvelope(adminLogin(ADMIN_PASSWORD), 429);
        // the window slides
        sandbox.settings().setClock(Clock.fixed(start.plus(Duration.ofMinutes(61)), ZoneOffset.UTC));
        assertEnvelope(userLogin(alice), 200);
        // no Retry-After when switched off
        sandbox.settings().setSendRetryAfter(false);
        userLogin(alice);
        userLogin(alice);
        Response noHeader = userLogin(alice);
        assertEnvelope(noHeader, 429);
        assertThat(noHeader.header("Retry-After")).isNull();
        assertThat(sandbox.callsBy("login", alice)).isEqualTo(8);
    }

    @Test
    void shouldBlockForAnHourWhenLoginBlockHourIsOn() {
        Instant start = Instant.parse("2026-01-01T10:00:00Z");
        sandbox.settings().setLoginLimit(2).setLoginWindow(Duration.ofMinutes(1)).setLoginBlockHour(true)
                .setClock(Clock.fixed(start, ZoneOffset.UTC));
        userLogin(alice);
        userLogin(alice);

        assertThat(userLogin(alice).header("Retry-After")).isEqualTo("3600");
        sandbox.settings().setClock(Clock.fixed(start.plus(Duration.ofMinutes(30)), ZoneOffset.UTC));
        Response stillBlocked = userLogin(alice);
        assertEnvelope(stillBlocked, 429);
        assertThat(stillBlocked.header("Retry-After")).isEqualTo("1800");
        sandbox.settings().setClock(Clock.fixed(start.plus(Duration.ofMinutes(61)), ZoneOffset.UTC));
        assertEnvelope(userLogin(alice), 200);
    }

    @Test
    void shouldLetOnlyOneOfConcurrentRefreshesWinWhenRotating() throws Exception {
        Response login = userLogin(alice);
        sandbox.settings().setTokenLatency(Duration.ofMillis(100));
        java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
        java.net.http.HttpRequest request = java.net.http.HttpRequest
                .newBuilder(java.net.URI.create(sandbox.baseUrl() + "/user/v1/Auth/RefreshToken"))
                .header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(new JsonObject()
                        .put("AccessToken", token(login)).put("RefreshToken", refreshToken(login)).encode()))
                .build();

        List<java.util.concurrent.CompletableFuture<java.net.http.HttpResponse<String>>> calls = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            calls.add(client.sendAsync(request, java.net.http.HttpResponse.BodyHandlers.ofString()));
        }

        List<Integer> statuses = calls.stream().map(c -> c.join().statusCode()).toList();
        assertThat(statuses).containsOnly(200, 401);
        assertThat(statuses).filteredOn(s -> s == 200).hasSize(1);
        assertThat(sandbox.calls("refresh")).isEqualTo(5);
    }

    @Test
    void shouldIssueUserLifetimeWhenRegistrationTokenIsRefreshed() {
        Response reg = http().header("InstanceId", INSTANCE).header("InstanceKey", KEY).body("{}")
                .post("/user/v1/Registration/create");

        Response refreshed = refresh(token(reg), refreshToken(reg));

        assertEnvelope(refreshed, 200);
        assertThat(refreshed.jsonPath().getInt("Result.AccessToken.ExpiresIn")).isEqualTo(86400);
        assertThat(refreshed.jsonPath().getString("Result.DeviceToken"))
                .isEqualTo(reg.jsonPath().getString("Result.DeviceToken"));
    }

    @Test
    void shouldFailOnlyThatEndpointWhenFailNextUsesASpecificKey() {
        String access = token(userLogin(alice));
        sandbox.failNext("trips", 502, 1);

        assertEnvelope(getWith(access, "/api/indicators/v3/Statistics"), 200);
        Response trips = given().baseUri(sandbox.baseUrl()).header("Authorization", "Bearer " + access)
                .post("/api/trips/get/v1");
        assertEnvelope(trips, 502);
        assertThat(sandbox.calls("trips")).isEqualTo(1);
    }

    @Test
    void shouldNotLimitRefreshWhenCalledOften() {
        sandbox.settings().setLoginLimit(1);
        Response login = userLogin(alice);
        String access = token(login);
        String refresh = refreshToken(login);
        for (int i = 0; i < 5; i++) {
            Response r = refresh(access, refresh);
            assertEnvelope(r, 200);
            access = token(r);
            refresh = refreshToken(r);
        }
    }

    // --- data endpoints --------------------------------------------------------------------------------------

    @Test
    void shouldServeTheTokenUsersDataWhenUserEndpointsAreCalled() {
        String access = token(userLogin(alice));

        Response profile = getWith(access, "/user/v1/Management/users");
        Response trips = given().baseUri(sandbox.baseUrl()).header("Authorization", "Bearer " + access)
                .post("/api/trips/get/v1/");
        Response stats = getWith(access, "/api/indicators/v3/Statistics?StartDate=2026-01-01&EndDate=2026-01-14");
        Response daily = getWith(access, "/api/indicators/v3/Statistics/daily?StartDate=2026-01-01&EndDate=2026-01-03");
        Response safety = getWith(access, "/api/indicators/v3/Scores/safety");
        Response eco = getWith(access, "/api/indicators/v3/Scores/eco");
        Response scorings = getWith(access, "/api/statistics/v1/Scorings/individual");
        Response coins = getWith(access, "/mobilesdk/api/rewarding/v2/DriveCoins/total");
        Response coinsDaily = getWith(access, "/mobilesdk/api/rewarding/v2/DriveCoins/daily");

        assertThat(profile.jsonPath().getString("Result.DeviceToken")).isEqualTo(alice);
        assertThat(profile.jsonPath().getString("Result.AccountInfo.InstanceId")).isEqualTo(INSTANCE);
        assertThat(trips.jsonPath().getList("Result.Trips.Identifiers.UserId", String.class)).isNotEmpty()
                .containsOnly(alice);
        assertThat(stats.jsonPath().getString("Result[0].UserId")).isEqualTo(alice);
        assertThat(stats.jsonPath().getDouble("Result[0].MileageKm")).isPositive();
        assertThat(daily.jsonPath().getList("Result.ReportDate")).containsExactly("2026-01-01", "2026-01-02",
                "2026-01-03");
        assertThat(safety.jsonPath().getString("Result[0].UserId")).isEqualTo(alice);
        assertThat(safety.jsonPath().getDouble("Result[0].SafetyScore")).isBetween(0.0, 100.0);
        assertThat(eco.jsonPath().getString("Result[0].UserId")).isEqualTo(alice);
        assertThat(scorings.jsonPath().getString("Result.DeviceToken")).isEqualTo(alice);
        assertThat(coins.jsonPath().getString("Result.DeviceToken")).isEqualTo(alice);
        assertThat(coinsDaily.jsonPath().getList("Result.DeviceToken", String.class)).containsOnly(alice);
        assertThat(sandbox.calls("data")).isEqualTo(9);
        assertThat(sandbox.callsBy("data", alice)).isEqualTo(9);
    }

    @Test
    void shouldUpdateOwnProfileWhenUserPutsIt() {
        String access = token(userLogin(alice));

        Response put = given().baseUri(sandbox.baseUrl()).header("Authorization", "Bearer " + access)
                .contentType("application/json-patch+json").body("{\"nickname\":\"ali\",\"Phone\":\"+100\"}")
                .put("/user/v1/Management/Users");

        assertEnvelope(put, 200);
        assertThat(put.jsonPath().getMap("$")).doesNotContainKey("Result");
        JsonPath profile = getWith(access, "/user/v1/management/users").jsonPath();
        assertThat(profile.getString("Result.UserProfile.Nickname")).isEqualTo("ali");
        assertThat(profile.getString("Result.UserProfile.Phone")).isEqualTo("+100");
    }

    @Test
    void shouldEchoRequestedUserWhenAdminEndpointsAreCalled() {
        String admin = token(adminLogin(ADMIN_PASSWORD));

        Response stats = getWith(admin, "/api/indicators/admin/v3/Statistics?UserId=" + bob);
        Response foreign = getWith(admin, "/api/indicators/admin/v3/Scores/safety?UserId=" + stranger);
        Response trips = given().baseUri(sandbox.baseUrl()).header("Authorization", "Bearer " + admin)
                .contentType("application/json")
                .body(new JsonObject().put("Identifiers", new JsonObject().put("UserId", bob)).encode())
                .post("/api/trips/get/admin/v1");
        Response foreignTrips = given().baseUri(sandbox.baseUrl()).header("Authorization", "Bearer " + admin)
                .contentType("application/json")
                .body(new JsonObject().put("Identifiers", new JsonObject().put("UserId", stranger)).encode())
                .post("/api/trips/get/admin/v1");
        Response accumulated = getWith(admin, "/api/statistics/v1/Scorings/accumulated?deviceToken=" + alice);
        Response consolidated = getWith(admin, "/api/statistics/v1/Statistics/consolidated?InstanceID=" + INSTANCE);
        Response find = getWith(admin, "/user/v1/Management/users/find?DeviceToken=" + bob);
        Response findForeign = getWith(admin, "/user/v1/Management/users/find?DeviceToken=" + stranger);

        assertThat(stats.jsonPath().getList("Result.UserId")).containsExactly(bob);
        assertEnvelope(foreign, 200);
        assertThat(foreign.jsonPath().getList("Result")).isEmpty();
        assertThat(trips.jsonPath().getList("Result.Trips.Identifiers.UserId", String.class)).isNotEmpty()
                .containsOnly(bob);
        assertThat(trips.jsonPath().getInt("Result.PagingInfo.CurrentPage")).isEqualTo(1);
        assertThat(foreignTrips.jsonPath().getList("Result.Trips")).isEmpty();
        assertThat(accumulated.jsonPath().getList("Result.DeviceToken")).containsExactly(alice);
        assertThat(consolidated.jsonPath().getList("Result.DeviceToken")).containsExactly(alice, bob);
        assertThat(find.jsonPath().getList("Result.DeviceToken")).containsExactly(bob);
        assertThat(findForeign.jsonPath().getList("Result")).isEmpty();
        assertThat(sandbox.callsBy("data", ADMIN)).isEqualTo(8);
    }

    @Test
    void shouldServeDeviceTokenEndpointsWhenDeviceTokenHeaderIsSent() {
        Response board = given().baseUri(sandbox.baseUrl()).header("DeviceToken", alice)
                .get("/leaderboard/v1/Leaderboard?UsersCount=10&ScoringRate=1");
        Response me = given().baseUri(sandbox.baseUrl()).header("devicetoken", bob).get("/leaderboard/v1/leaderboard/user");
        Response vehicle = given().baseUri(sandbox.baseUrl()).header("DeviceToken", alice).contentType("application/json")
                .body("{\"plateNumber\":\"AB-123\",\"name\":\"Van\"}").post("/carservice/api/carservice/v1/Vehicles");
        Response vehicles = given().baseUri(sandbox.baseUrl()).header("DeviceToken", alice)
                .get("/carservice/api/carservice/v1/Vehicles/");
        Response tracks = given().baseUri(sandbox.baseUrl()).header("DeviceToken", bob)
                .get("/mobilesdk/mobilesdk/stage/track/get_tracks/v1?pageNumber=1&pageSize=2");
        Response missing = given().baseUri(sandbox.baseUrl()).get("/leaderboard/v1/Leaderboard");
        Response unknown = given().baseUri(sandbox.baseUrl()).header("DeviceToken", UUID.randomUUID().toString())
                .get("/leaderboard/v1/Leaderboard");

        assertThat(board.jsonPath().getString("Result.ScoringRate")).isEqualTo("Acceleration");
        assertThat(board.jsonPath().getInt("Result.UsersNumber")).isEqualTo(2);
        assertThat(board.jsonPath().getString("Result.Users.find { it.IsCurrentUser }.DeviceToken")).isEqualTo(alice);
        assertThat(me.jsonPath().getString("Result.DeviceToken")).isEqualTo(bob);
        assertThat(vehicle.jsonPath().getString("Result")).isNotBlank();
        assertThat(vehicles.jsonPath().getList("Result.PlateNumber")).containsExactly("AB-123");
        assertThat(vehicles.jsonPath().getList("Result.DeviceToken")).containsOnly(alice);
        assertThat(tracks.jsonPath().getString("Result.DeviceToken")).isEqualTo(bob);
        assertThat(tracks.jsonPath().getList("Result.Tracks")).hasSizeLessThanOrEqualTo(2);
        assertEnvelope(missing, 401);
        assertEnvelope(unknown, 404);
        assertThat(sandbox.last("leaderboard").identity()).isNotIn(alice, bob);
        assertThat(sandbox.callsBy("data", alice)).isEqualTo(3);
        assertThat(sandbox.requests("vehicles")).extracting(RecordedRequest::identity).containsExactly(alice, alice);
    }

    @Test
    void shouldAnswer404EnvelopeWhenPathIsUnknown() {
        Response r = http().get("/api/no/such/thing");

        assertEnvelope(r, 404);
        assertThat(sandbox.calls("unmatched")).isEqualTo(1);
        assertThat(sandbox.calls("data")).isZero();
    }

    // --- counters, recording, failures, latency --------------------------------------------------------------

    @Test
    void shouldRecordLastRequestWhenEndpointsAreCalled() {
        String access = token(userLogin(alice));
        given().baseUri(sandbox.baseUrl()).header("Authorization", "Bearer " + access).header("X-Trace", "t-1")
                .get("/api/indicators/v3/Scores/eco?StartDate=2026-02-01");

        RecordedRequest last = sandbox.last("data");
        assertThat(last.method()).isEqualTo("GET");
        assertThat(last.path()).isEqualTo("/api/indicators/v3/Scores/eco");
        assertThat(last.query()).isEqualTo("StartDate=2026-02-01");
        assertThat(last.headers().get("x-trace")).isEqualTo("t-1");
        assertThat(last.identity()).isEqualTo(alice);
        assertThat(sandbox.last("login").body()).contains(alice);
        assertThat(sandbox.last("login").identity()).isEqualTo(alice);
        assertThat(sandbox.last("refresh")).isNull();
        assertThat(sandbox.requests("data")).hasSize(1);

        sandbox.reset();

        assertThat(sandbox.calls("data")).isZero();
        assertThat(sandbox.last("data")).isNull();
    }

    @Test
    void shouldAnswerArmedStatusWhenFailNextIsSet() {
        String access = token(userLogin(alice));
        sandbox.failNext("data", 503, 2);
        sandbox.failNext("login", 500, 1);

        assertEnvelope(getWith(access, "/api/indicators/v3/Statistics"), 503);
        assertEnvelope(getWith(access, "/api/indicators/v3/Statistics"), 503);
        assertEnvelope(getWith(access, "/api/indicators/v3/Statistics"), 200);
        assertEnvelope(userLogin(alice), 500);
        assertEnvelope(userLogin(alice), 200);
        assertThat(sandbox.calls("data")).isEqualTo(3);
        assertThat(sandbox.calls("login")).isEqualTo(3);
    }

    @Test
    void shouldDelayAnswerWhenLatencyIsSet() {
        String access = token(userLogin(alice));
        sandbox.settings().setDataLatency(Duration.ofMillis(400)).setTokenLatency(Duration.ofMillis(300));

        long t0 = System.nanoTime();
        assertEnvelope(getWith(access, "/api/indicators/v3/Statistics"), 200);
        long data = Duration.ofNanos(System.nanoTime() - t0).toMillis();
        long t1 = System.nanoTime();
        assertEnvelope(userLogin(alice), 200);
        long login = Duration.ofNanos(System.nanoTime() - t1).toMillis();

        assertThat(data).isGreaterThanOrEqualTo(400);
        assertThat(login).isGreaterThanOrEqualTo(300);
        assertThat(sandbox.calls("data")).isEqualTo(1);
    }

    // --- control API -----------------------------------------------------------------------------------------

    @Test
    void shouldApplyControlCommandsWhenCalledOverHttp() {
        String access = token(userLogin(alice));
        http().body("{\"instanceId\":\"i-2\",\"instanceKey\":\"k-2\"}").post("/_sandbox/instances").then()
                .statusCode(200);
        http().body("{\"email\":\"ops@x\",\"password\":\"pw\",\"instanceId\":\"i-2\"}").post("/_sandbox/admins")
                .then().statusCode(200);
        Response settings = http().body("{\"userTokenLifetime\":\"PT2H\",\"loginLimit\":7,\"dataLatency\":0}")
                .put("/_sandbox/settings");
        http().post("/_sandbox/expire-all").then().statusCode(200);

        assertThat(settings.jsonPath().getString("userTokenLifetime")).isEqualTo("PT2H");
        assertThat(sandbox.settings().getUserTokenLifetime()).isEqualTo(Duration.ofHours(2));
        assertThat(sandbox.settings().getLoginLimit()).isEqualTo(7);
        assertThat(getWith(access, "/api/indicators/v3/Statistics").statusCode()).isEqualTo(401);
        assertThat(http().body("{\"loginLimit\":\"many\"}").put("/_sandbox/settings").statusCode()).isEqualTo(400);
        String opsLogin = new JsonObject().put("LoginFields", "{\"email\":\"ops@x\"}").put("Password", "pw").encode();
        assertEnvelope(http().body(opsLogin).post("/user/v1/Auth/Login"), 200);
        JsonPath counters = http().get("/_sandbox/counters").jsonPath();
        assertThat(counters.getInt("login")).isEqualTo(2);
        assertThat(counters.getInt("'byIdentity'.'login'.'ops@x'")).isEqualTo(1);
        assertThat(counters.getInt("unauthorized")).isEqualTo(1);

        http().post("/_sandbox/reset").then().statusCode(200);

        assertThat(sandbox.settings().getUserTokenLifetime()).isEqualTo(Duration.ofSeconds(86400));
        assertThat(sandbox.calls("login")).isZero();
    }

    @Test
    void shouldExposeUpstreamsWhenStarted() {
        Map<String, String> upstreams = sandbox.upstreams();

        assertThat(upstreams).containsEntry("user", sandbox.baseUrl() + "/user")
                .containsEntry("api", sandbox.baseUrl() + "/api")
                .containsEntry("mobilesdk", sandbox.baseUrl() + "/mobilesdk")
                .containsEntry("leaderboard", sandbox.baseUrl() + "/leaderboard")
                .containsEntry("carservice", sandbox.baseUrl() + "/carservice/api/carservice");
        assertThat(sandbox.baseUrl()).startsWith("http://127.0.0.1:").doesNotEndWith(":0");
        String helperToken = sandbox.issueUserToken(bob);
        assertThat(getWith(helperToken, "/api/statistics/v1/Scorings/individual").jsonPath()
                .getString("Result.DeviceToken")).isEqualTo(bob);
        assertThat(sandbox.calls("login")).isZero();
    }

    // --- demo IdP --------------------------------------------------------------------------------------------

    @Test
    void shouldVerifyMintedTokenAgainstJwksWhenIdpMints() throws Exception {
        DemoIdentityProvider idp = sandbox.idp("acme");
        assertThat(idp.issuer()).isEqualTo(sandbox.baseUrl() + "/idp/acme");

        String jwt = idp.mint("alice", List.of("fleet-manager"), Duration.ofMinutes(5));

        JwtClaims claims = consumer(idp).processToClaims(jwt);
        assertThat(claims.getSubject()).isEqualTo("alice");
        assertThat(claims.getStringListClaimValue("groups")).containsExactly("fleet-manager");
        assertThat(claims.getAudience()).containsExactly("damoov-gateway");
        assertThat(claims.getExpirationTime().getValue() - claims.getIssuedAt().getValue()).isEqualTo(300);
        assertThat(idp.jwksCalls()).isEqualTo(1);

        // minted over HTTP
        Response minted = http().body("{\"sub\":\"bob\",\"groups\":[\"driver\"],\"ttlSeconds\":60}")
                .post("/idp/acme/token");
        assertThat(minted.jsonPath().getString("token_type")).isEqualTo("Bearer");
        assertThat(minted.jsonPath().getInt("expires_in")).isEqualTo(60);
        assertThat(consumer(idp).processToClaims(minted.jsonPath().getString("access_token")).getSubject())
                .isEqualTo("bob");

        // custom claims
        String custom = idp.mint(Map.of("sub", "carol", "aud", "damoov-gateway", "tenant", "t1"), Duration.ofMinutes(1));
        assertThat(consumer(idp).processToClaims(custom).getClaimValueAsString("tenant")).isEqualTo("t1");
    }

    @Test
    void shouldRejectOldTokensWhenIdpKeyIsRotated() throws Exception {
        DemoIdentityProvider idp = sandbox.idp("acme");
        String oldKid = idp.keyId();
        String before = idp.mint("alice", List.of(), Duration.ofMinutes(5));

        idp.rotateKey();

        assertThat(idp.keyId()).isNotEqualTo(oldKid);
        String jwks = http().get("/idp/acme/jwks").asString();
        assertThat(new JsonObject(jwks).getJsonArray("keys")).hasSize(1);
        assertThat(jwks).doesNotContain(oldKid).doesNotContain("\"d\"");
        assertThatThrownBy(() -> consumer(idp).processToClaims(before)).isInstanceOf(InvalidJwtException.class);
        String after = idp.mint("alice", List.of(), Duration.ofMinutes(5));
        assertThat(consumer(idp).processToClaims(after).getSubject()).isEqualTo("alice");
    }

    private JwtConsumer consumer(DemoIdentityProvider idp) throws Exception {
        String jwks = given().get(idp.jwksUrl()).asString();
        return new JwtConsumerBuilder()
                .setVerificationKeyResolver(new JwksVerificationKeyResolver(new JsonWebKeySet(jwks).getJsonWebKeys()))
                .setExpectedIssuer(idp.issuer())
                .setExpectedAudience("damoov-gateway")
                .setRequireExpirationTime()
                .build();
    }

    private static JsonObject claimsOf(String jwt) {
        String[] parts = jwt.split("\\.");
        assertThat(parts).hasSize(3);
        return new JsonObject(new String(java.util.Base64.getUrlDecoder().decode(parts[1]),
                java.nio.charset.StandardCharsets.UTF_8));
    }
}
