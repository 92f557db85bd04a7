package io.damoov.gateway.audit;

import static io.damoov.gateway.support.Operator.operator;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.damoov.gateway.core.Fingerprint;
import io.damoov.gateway.sandbox.RecordedRequest;
import io.damoov.gateway.support.GatewayTest;
import io.damoov.gateway.support.SandboxResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.vertx.core.json.JsonObject;

@QuarkusTest
class AuditTrailTest extends GatewayTest {

    private static final String STATS = "/api/indicators/v3/Statistics?StartDate=2026-01-01&EndDate=2026-01-31";

    @Test
    void shouldRecordExactlyOneRecordPerEventWhenEveryKindOfTokenUseHappens() {
        // Given
        String user = newSubject();
        String refresher = newSubject();
        String loginner = newSubject();
        String throttled = newSubject();
        String denied = newSubject();
        String userToken = userToken("acme", user);
        String refresherToken = userToken("acme", refresher);
        String loginnerToken = userToken("acme", loginner);
        String throttledToken = userToken("acme", throttled);
        enroll(userToken);
        enroll(refresherToken);
        enroll(loginnerToken);
        String throttledDevice = enroll(throttledToken);

        // When: 3 uses; 2 refreshes; 2 logins (each after a refused refresh); 1 throttled login; 2 denied routes
        for (int i = 0; i < 3; i++) {
            as(userToken).get(STATS).then().statusCode(200);
        }
        for (int i = 0; i < 2; i++) {
            sandbox.expireAllTokens();
            as(refresherToken).get(STATS).then().statusCode(200);
        }
        for (int i = 0; i < 2; i++) {
            sandbox.expireAllTokens();
            sandbox.breakRefreshTokens();
            as(loginnerToken).get(STATS).then().statusCode(200);
        }
        sandbox.expireAllTokens();
        sandbox.breakRefreshTokens();
        sandbox.failNext("login", 429, 1);
        as(throttledToken).get(STATS).then().statusCode(503);
        for (int i = 0; i < 2; i++) {
            as(userToken("acme", denied)).get("/user/v1/Auth/Login").then().statusCode(403);
        }

        // Then
        assertCounts(user, Map.of("enroll", 1L, "use", 3L));
        assertCounts(refresher, Map.of("enroll", 1L, "refresh", 2L, "use", 2L));
        assertCounts(loginner, Map.of("enroll", 1L, "refresh", 2L, "login", 2L, "use", 2L));
        // the expired token was used once (401 upstream) before the renewal was throttled
        assertCounts(throttled, Map.of("enroll", 1L, "use", 1L, "refresh", 1L, "throttle", 1L));
        assertCounts(denied, Map.of("deny", 2L));
        List<Map<String, Object>> all = new ArrayList<>();
        for (String s : List.of(user, refresher, loginner, throttled)) {
            all.addAll(records(s));
        }
        assertThat(all).filteredOn(r -> !"deny".equals(r.get("action")) && !"throttle".equals(r.get("action"))
                && r.get("reason") == null).allSatisfy(r -> assertThat((String) r.get("tokenFingerprint"))
                        .matches("[0-9a-f]{16}"));
        // every fingerprint of a use is the fingerprint of a token the sandbox saw
        Set<String> seen = new HashSet<>();
        for (RecordedRequest r : sandbox.requests("data")) {
            String auth = r.headers().get("Authorization");
            if (auth != null && auth.startsWith("Bearer ")) {
                seen.add(Fingerprint.of(auth.substring(7)));
            }
        }
        assertThat(all).filteredOn(r -> "use".equals(r.get("action")))
                .allSatisfy(r -> assertThat(seen).contains((String) r.get("tokenFingerprint")));
        // no secret in any record
        String text = all.toString();
        for (RecordedRequest r : sandbox.requests("data")) {
            String auth = r.headers().get("Authorization");
            if (auth != null && auth.startsWith("Bearer ")) {
                assertThat(text).doesNotContain(auth.substring(7));
            }
        }
        assertThat(text).doesNotContain(SandboxResource.ACME_INSTANCE_KEY, SandboxResource.ACME_ADMIN_PASSWORD,
                userToken, throttledDevice);
    }

    @Test
    void shouldNameThePrincipalTheCallerAskedForWhenAnAuthenticatedRequestIsDenied() {
        // Given: a user, and a manager of the same tenant
        String user = newSubject();
        String manager = newSubject();
        String userToken = userToken("acme", user);
        String managerToken = managerToken("acme", manager);

        // When: a denied route, an admin route without the manager role, a foreign identifier on an admin route
        as(userToken).post("/user/v1/Auth/Login").then().statusCode(403);
        as(userToken).get("/api/indicators/admin/v3/Statistics").then().statusCode(403);
        as(managerToken).get("/api/indicators/admin/v3/Statistics?UserId=" + UUID.randomUUID()).then().statusCode(403);

        // Then: every denial names tenant, subject and the principal asked for (user on a denied route)
        Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            auditLog.flush();
            assertThat(records(user)).extracting(r -> r.get("action"), r -> r.get("principal"), r -> r.get("reason"),
                    r -> r.get("tenant")).containsExactlyInAnyOrder(
                            org.assertj.core.groups.Tuple.tuple("deny", "user", "denied-route", "acme"),
                            org.assertj.core.groups.Tuple.tuple("deny", "admin", "missing-role", "acme"));
            assertThat(records(manager)).extracting(r -> r.get("action"), r -> r.get("principal"),
                    r -> r.get("reason")).containsExactly(
                            org.assertj.core.groups.Tuple.tuple("deny", "admin", "foreign-identifier"));
        });
    }

    @Test
    void shouldRecordADenialWhenMeIsCalledWithABadToken() {
        String requestId = "me-" + UUID.randomUUID();
        String since = Instant.now().minusSeconds(1).toString();

        RestAssured.given().header("Authorization", "Bearer not-a-jwt").header("X-Request-Id", requestId)
                .get("/me").then().statusCode(401);

        Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            auditLog.flush();
            List<Map<String, Object>> denials = operator().queryParam("action", "deny").queryParam("since", since)
                    .queryParam("limit", 1000).get("/admin/v1/audit").then().statusCode(200).extract().jsonPath()
                    .getList("items");
            assertThat(denials).filteredOn(r -> requestId.equals(r.get("requestId"))).singleElement()
                    .satisfies(r -> {
                        assertThat(r.get("route")).isEqualTo("me");
                        assertThat(r.get("status")).isEqualTo(401);
                        assertThat(r.get("tokenFingerprint")).isNull();
                    });
        });
    }

    @Test
    void shouldPageNewestFirstAndExportEverythingWhenASubjectHasManyRecords() {
        // Given: 7 uses by one user
        String subject = newSubject();
        String token = userToken("globex", subject);
        enroll(token);
        for (int i = 0; i < 7; i++) {
            as(token).get(STATS).then().statusCode(200);
        }
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> {
            auditLog.flush();
            return records("globex", subject).size() == 8;
        });

        // When: pages of 3
        List<Map<String, Object>> paged = new ArrayList<>();
        String after = null;
        do {
            var spec = operator().queryParam("tenant", "globex").queryParam("subject", subject).queryParam("limit", 3);
            if (after != null) {
                spec.queryParam("after", after);
            }
            var page = spec.get("/admin/v1/audit").then().statusCode(200).extract().jsonPath();
            paged.addAll(page.getList("items"));
            after = page.getString("next");
        } while (after != null);
        String ndjson = operator().header("Accept", "application/x-ndjson").queryParam("tenant", "globex")
                .queryParam("subject", subject).get("/admin/v1/audit").then().statusCode(200)
                .contentType("application/x-ndjson").extract().asString();

        // Then
        assertThat(paged).hasSize(8);
        List<String> ats = paged.stream().map(r -> (String) r.get("at")).toList();
        assertThat(ats).isSortedAccordingTo((a, b) -> Instant.parse(b).compareTo(Instant.parse(a)));
        assertThat(paged.stream().map(r -> r.get("id")).distinct()).hasSize(8);
        List<String> lines = ndjson.lines().filter(l -> !l.isBlank()).toList();
        assertThat(lines).hasSize(8);
        // the export carries the same records, field for field (nulls included), in the same order as the pages
        List<Map<String, Object>> exported = lines.stream().map(l -> new JsonObject(l).getMap()).toList();
        assertThat(exported).isEqualTo(paged);
        assertThat(exported.get(0)).containsKeys("tokenFingerprint", "upstreamStatus", "latencyMs", "reason");
    }

    private void assertCounts(String subject, Map<String, Long> expected) {
        Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            auditLog.flush();
            Map<String, Long> counts = records(subject).stream()
                    .collect(Collectors.groupingBy(r -> (String) r.get("action"), Collectors.counting()));
            assertThat(counts).as("records of %s", subject).isEqualTo(expected);
        });
    }

    private List<Map<String, Object>> records(String subject) {
        return records("acme", subject);
    }

    private List<Map<String, Object>> records(String tenant, String subject) {
        return operator().queryParam("tenant", tenant).queryParam("subject", subject).queryParam("limit", 1000)
                .get("/admin/v1/audit").then().statusCode(200).extract().jsonPath().getList("items");
    }

}
