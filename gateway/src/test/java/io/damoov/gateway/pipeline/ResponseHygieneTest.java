package io.damoov.gateway.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.damoov.gateway.support.GatewayTest;
import io.damoov.gateway.support.LogCapture;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** Other users' DeviceTokens never reach an app in a response body; the caller's own and a manager's view stay. */
@QuarkusTest
class ResponseHygieneTest extends GatewayTest {

    @Test
    void shouldReplaceOtherUsersDeviceTokensInTheLeaderboardWithStablePseudonyms() {
        // Given: Alice and nine other users of the same Damoov instance
        String alice = userToken("acme", newSubject());
        String aliceDt = enroll(alice);
        for (int i = 0; i < 9; i++) {
            enroll(userToken("acme", newSubject()));
        }
        Set<String> everyone = sandbox.deviceTokens("acme-instance");
        assertThat(everyone).hasSizeGreaterThanOrEqualTo(10);

        // When: Alice reads the leaderboard (every user of the instance listed), twice
        LogCapture logs = LogCapture.start();
        String first = as(alice).get("/leaderboard/v1/Leaderboard?UsersCount=100000").then().statusCode(200)
                .contentType("application/json").extract().asString();
        String second = as(alice).get("/leaderboard/v1/Leaderboard?UsersCount=100000").then().statusCode(200)
                .extract().asString();

        logs.close();
        auditLog.flush();

        // Then: her own DeviceToken is there, no other user's is, and the others are pseudonyms, stable across calls
        assertThat(sandbox.last("data").path()).containsIgnoringCase("leaderboard");
        assertThat(first).contains(aliceDt);
        for (String other : everyone) {
            if (!other.equalsIgnoreCase(aliceDt)) {
                assertThat(first).doesNotContainIgnoringCase(other);
                assertThat(logs.lines()).noneMatch(l -> l.text().toLowerCase().contains(other.toLowerCase()));
            }
        }
        List<String> listed = JsonPath.from(first).getList("Result.Users.DeviceToken");
        assertThat(listed).hasSize(everyone.size()).contains(aliceDt);
        List<String> pseudonyms = new ArrayList<>(listed);
        pseudonyms.remove(aliceDt);
        assertThat(pseudonyms).allSatisfy(p -> assertThat(p).startsWith("anon-").hasSizeGreaterThan(20));
        assertThat(Set.copyOf(pseudonyms)).hasSize(pseudonyms.size());
        assertThat(Set.copyOf(JsonPath.from(second).getList("Result.Users.DeviceToken")))
                .isEqualTo(Set.copyOf(listed));
    }

    @Test
    void shouldGiveEachTenantItsOwnPseudonyms() {
        // "rotating" shares acme's Damoov instance, so both see the same users, under different pseudonyms
        String acme = userToken("acme", newSubject());
        String acmeDt = enroll(acme);
        String rotating = userToken("rotating", newSubject());
        String rotatingDt = enroll(rotating);

        List<String> seenByAcme = JsonPath.from(as(acme).get("/leaderboard/v1/Leaderboard?UsersCount=100000")
                .then().statusCode(200).extract().asString()).getList("Result.Users.DeviceToken");
        List<String> seenByRotating = JsonPath.from(as(rotating)
                .get("/leaderboard/v1/Leaderboard?UsersCount=100000").then().statusCode(200).extract().asString())
                .getList("Result.Users.DeviceToken");

        assertThat(seenByAcme).contains(acmeDt).doesNotContain(rotatingDt);
        assertThat(seenByRotating).contains(rotatingDt).doesNotContain(acmeDt);
        List<String> common = new ArrayList<>(seenByAcme);
        common.retainAll(seenByRotating);
        assertThat(common).isEmpty();
    }

    @Test
    void shouldKeepTheCallersOwnDeviceTokenAndAManagersRealOnes() {
        String alice = userToken("acme", newSubject());
        String aliceDt = enroll(alice);
        String bobDt = enroll(userToken("acme", newSubject()));

        as(alice).get("/leaderboard/v1/Leaderboard/user").then().statusCode(200)
                .body("Result.DeviceToken", org.hamcrest.Matchers.equalTo(aliceDt));

        String managerView = as(managerToken("acme", newSubject())).get("/api/indicators/admin/v3/Statistics")
                .then().statusCode(200).extract().asString();
        assertThat(managerView).contains(aliceDt).contains(bobDt).doesNotContain("anon-");
    }

    @Test
    void shouldNeverPassAnotherUsersDeviceTokenHiddenInAnAnswerTheParserWouldStopBefore() {
        String alice = userToken("acme", newSubject());
        String aliceDt = enroll(alice);
        String victim = sandbox.addUser("acme-instance", java.util.UUID.randomUUID().toString());
        String stats = "/api/indicators/v3/Statistics";
        String[] answers = {
                // a second JSON value after the first: a parser that stops after one value never sees it
                "{\"Result\":{\"DeviceToken\":\"" + aliceDt + "\"}} {\"DeviceToken\":\"" + victim + "\"}",
                // a repeated key: two readers could take different ones
                "{\"Result\":{\"DeviceToken\":\"" + aliceDt + "\",\"DeviceToken\":\"" + victim + "\"}}",
                // not JSON after a valid start
                "{\"Result\":{\"DeviceToken\":\"" + victim + "\"" };
        for (String answer : answers) {
            sandbox.answerNext("data", 200, "application/json", answer);
            String body = as(alice).get(stats).then().statusCode(502).contentType("application/problem+json")
                    .extract().asString();
            assertThat(body).as(answer).doesNotContainIgnoringCase(victim)
                    .contains("urn:damoov-gateway:problem:bad-gateway");
        }
    }

    @Test
    void shouldRewriteEveryWayJsonCanNameADeviceTokenAndKeepEverythingElseAsDamoovSentIt() {
        String alice = userToken("acme", newSubject());
        String aliceDt = enroll(alice);
        String victim = sandbox.addUser("acme-instance", java.util.UUID.randomUUID().toString());
        String other = sandbox.addUser("acme-instance", java.util.UUID.randomUUID().toString());
        String answer = "{\"Result\":{\"Device\\u0054oken\":\"" + victim + "\", \"deviceTokens\":[\"" + other
                + "\",\"" + aliceDt.toUpperCase(java.util.Locale.ROOT) + "\",7,null,{\"DeviceId\":\"" + victim
                + "\"}],\"Name\":\"caf\\u00e9 \\\"quoted\\\"\",\"Score\":1.50e2,\"UserId\":42,\"Nested\":"
                + "[[{\"DeviceToken\":\"" + other + "\"}]]}, \"Status\":200}";
        sandbox.answerNext("data", 200, "application/json", answer);

        String body = as(alice).get("/api/indicators/v3/Statistics").then().statusCode(200).extract().asString();

        assertThat(body).doesNotContainIgnoringCase(victim).doesNotContainIgnoringCase(other);
        JsonPath json = JsonPath.from(body);
        String victimAlias = json.getString("Result.DeviceToken");
        assertThat(victimAlias).startsWith("anon-");
        assertThat(json.getString("Result.deviceTokens[4].DeviceId")).isEqualTo(victimAlias);
        assertThat(json.getString("Result.deviceTokens[0]")).startsWith("anon-").isNotEqualTo(victimAlias);
        assertThat(json.getString("Result.Nested[0][0].DeviceToken")).isEqualTo(json.getString("Result.deviceTokens[0]"));
        assertThat(json.getString("Result.deviceTokens[1]")).isEqualTo(aliceDt.toUpperCase(java.util.Locale.ROOT));
        assertThat(json.getInt("Result.deviceTokens[2]")).isEqualTo(7);
        assertThat(json.getString("Result.Name")).isEqualTo("caf\u00e9 \"quoted\"");
        assertThat(json.getInt("Result.UserId")).isEqualTo(42);
        assertThat(json.getDouble("Result.Score")).isEqualTo(150.0);
    }
}
