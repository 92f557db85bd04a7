package io.damoov.gateway.admin;

import static io.damoov.gateway.support.Operator.anonymous;
import static io.damoov.gateway.support.Operator.operator;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.damoov.gateway.support.GatewayTest;
import io.damoov.gateway.support.SandboxResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;

@QuarkusTest
class OperatorApiTest extends GatewayTest {

    private static final String STATS = "/api/indicators/v3/Statistics?StartDate=2026-01-01&EndDate=2026-01-31";

    @Test
    void shouldRefuseAndAuditWhenTheOperatorKeyIsMissingOrWrong() {
        // Given
        String since = Instant.now().minusSeconds(1).toString();
        String missing = "op-" + UUID.randomUUID();
        String wrong = "op-" + UUID.randomUUID();

        // When
        Response noKey = anonymous().header("X-Request-Id", missing).get("/admin/v1/tenants");
        Response badKey = anonymous().header("X-Request-Id", wrong).header("Authorization", "Bearer nope")
                .get("/admin/v1/tenants/acme/users");

        // Then
        assertThat(noKey.statusCode()).isEqualTo(401);
        assertThat(noKey.contentType()).startsWith("application/problem+json");
        assertThat(badKey.statusCode()).isEqualTo(403);
        assertThat(badKey.jsonPath().getString("type")).isEqualTo("urn:damoov-gateway:problem:operator-forbidden");
        auditLog.flush();
        List<Map<String, Object>> denials = operator().queryParam("action", "deny").queryParam("since", since)
                .queryParam("limit", 1000).get("/admin/v1/audit").then().statusCode(200).extract()
                .jsonPath().getList("items");
        assertThat(denials).filteredOn(r -> missing.equals(r.get("requestId"))).singleElement()
                .satisfies(r -> {
                    assertThat(r.get("status")).isEqualTo(401);
                    assertThat(r.get("reason")).isEqualTo("operator-key-missing");
                    assertThat(r.get("route")).isEqualTo("admin");
                });
        assertThat(denials).filteredOn(r -> wrong.equals(r.get("requestId"))).singleElement()
                .satisfies(r -> {
                    assertThat(r.get("status")).isEqualTo(403);
                    assertThat(r.get("tenant")).isEqualTo("acme");
                });
    }

    @Test
    void shouldAnswer404OnThePublicPortWhenTheOperatorApiIsAsked() {
        RestAssured.given().get("/admin/v1/tenants").then().statusCode(404);
        RestAssured.given().header("Authorization", "Bearer " + SandboxResource.OPERATOR_KEY)
                .get("/admin/v1/audit").then().statusCode(404);
        as(userToken("acme", newSubject())).get("/admin/v1/tenants").then().statusCode(404);
    }

    @Test
    void shouldListTenantsWithSecretsMaskedWhenAsked() {
        String body = operator().get("/admin/v1/tenants").then().statusCode(200)
                .body("tenants.find { it.id == 'acme' }.instanceKey", equalTo("***"))
                .body("tenants.find { it.id == 'acme' }.admin.password", equalTo("***"))
                .extract().asString();
        assertThat(body).doesNotContain(SandboxResource.ACME_INSTANCE_KEY, SandboxResource.ACME_ADMIN_PASSWORD,
                SandboxResource.GLOBEX_INSTANCE_KEY, SandboxResource.GLOBEX_ADMIN_PASSWORD);
    }

    @Test
    void shouldAnswerProblemsWhenInputIsBad() {
        operator().get("/admin/v1/tenants/nope/users").then().statusCode(404)
                .body("type", equalTo("urn:damoov-gateway:problem:unknown-resource"));
        operator().queryParam("limit", "0").get("/admin/v1/audit").then().statusCode(400);
        operator().queryParam("limit", "x").get("/admin/v1/tenants/acme/users").then().statusCode(400);
        operator().queryParam("since", "yesterday").get("/admin/v1/audit").then().statusCode(400);
        operator().queryParam("after", "!!").get("/admin/v1/audit").then().statusCode(400);
        operator().queryParam("action", "dance").get("/admin/v1/audit").then().statusCode(400);
    }

    @Test
    void shouldPutReadListAndDeleteAMappingWhenTheOperatorManagesUsers() {
        // Given
        String subject = newSubject();
        String deviceToken = UUID.randomUUID().toString();

        // When / Then
        operator().contentType("application/json").body(Map.of("deviceToken", deviceToken))
                .put("/admin/v1/tenants/globex/users/" + subject).then().statusCode(201);
        operator().contentType("application/json").body(Map.of("deviceToken", deviceToken))
                .put("/admin/v1/tenants/globex/users/" + subject).then().statusCode(200);
        operator().get("/admin/v1/tenants/globex/users/" + subject).then().statusCode(200)
                .body("deviceToken", equalTo(deviceToken));
        operator().contentType("application/json").body(Map.of("deviceToken", "not-a-uuid"))
                .put("/admin/v1/tenants/globex/users/" + subject).then().statusCode(400);
        operator().delete("/admin/v1/tenants/globex/users/" + subject).then().statusCode(204);
        operator().get("/admin/v1/tenants/globex/users/" + subject).then().statusCode(404);
    }

    @Test
    void shouldPageThroughUsersWhenAListIsLongerThanTheLimit() {
        String prefix = "page-" + UUID.randomUUID() + "-";
        List<String> subjects = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            subjects.add(prefix + i);
            operator().contentType("application/json").body(Map.of("deviceToken", UUID.randomUUID().toString()))
                    .put("/admin/v1/tenants/globex/users/" + prefix + i).then().statusCode(201);
        }
        // a cursor just before our prefix, then pages of 2
        List<String> seen = new ArrayList<>();
        String after = prefix.substring(0, prefix.length() - 1);
        while (seen.size() < 5) {
            Response page = operator().queryParam("after", after).queryParam("limit", 2)
                    .get("/admin/v1/tenants/globex/users");
            page.then().statusCode(200);
            seen.addAll(page.jsonPath().getList("items.subject"));
            after = page.jsonPath().getString("next");
            if (seen.size() < 5) {
                assertThat(after).isNotNull();
            }
        }
        assertThat(seen.subList(0, 5)).containsExactlyElementsOf(subjects);
    }

    @Test
    void shouldRevokeAUsersTokensSoTheNextUseLogsInWhenTheOperatorRevokes() {
        // Given
        String subject = newSubject();
        String token = userToken("acme", subject);
        String deviceToken = enroll(token);
        as(token).get(STATS).then().statusCode(200);

        // When
        operator().delete("/admin/v1/tenants/acme/tokens/" + subject).then().statusCode(200)
                .body("revoked", equalTo(1));
        as(token).get(STATS).then().statusCode(200);

        // Then
        assertThat(sandbox.callsBy("login", deviceToken)).isEqualTo(1);
        auditLog.flush();
        operator().queryParam("tenant", "acme").queryParam("subject", subject).queryParam("action", "revoke")
                .get("/admin/v1/audit").then().statusCode(200).body("items.size()", equalTo(1))
                .body("items[0].tokenFingerprint", org.hamcrest.Matchers.notNullValue());
        operator().get("/admin/v1/tenants/acme/login-budget").then().statusCode(200)
                .body("identities.find { it.identity == '" + deviceToken + "' }.used", equalTo(1))
                .body("identities.find { it.identity == '" + deviceToken + "' }.left", equalTo(4));
        operator().delete("/admin/v1/tenants/rotating/tokens").then().statusCode(200);
    }
}
