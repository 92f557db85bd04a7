package io.damoov.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.damoov.gateway.core.GatewayException;

class NormalizedPathTest {

    @Test
    void shouldResolveDotSegmentsAndDoubleSlashesWhenNormalising() {
        assertThat(NormalizedPath.of("/api/trips/get/v1/../admin/v1").path()).isEqualTo("/trips/get/admin/v1");
        assertThat(NormalizedPath.of("/api/trips/get/v1/%2e%2e/admin/v1").path()).isEqualTo("/trips/get/admin/v1");
        assertThat(NormalizedPath.of("/api//indicators/./v3/Statistics").path()).isEqualTo("/indicators/v3/Statistics");
        assertThat(NormalizedPath.of("/USER//v1/AUTH/login").upstream()).isEqualTo("user");
        assertThat(NormalizedPath.of("/api/trips/get/v1/").path()).isEqualTo("/trips/get/v1/");
    }

    @Test
    void shouldRefuseEncodedSlashesAndClimbingAboveTheRootWhenNormalising() {
        assertThatThrownBy(() -> NormalizedPath.of("/api/trips%2Fget")).isInstanceOf(GatewayException.class);
        assertThatThrownBy(() -> NormalizedPath.of("/api/x%5c..")).isInstanceOf(GatewayException.class);
        assertThatThrownBy(() -> NormalizedPath.of("/api/../../etc")).isInstanceOf(GatewayException.class);
        assertThatThrownBy(() -> NormalizedPath.of("/api/%00")).isInstanceOf(GatewayException.class);
    }

    @Test
    void shouldReEncodeSegmentsForTheUpstreamWhenNormalising() {
        assertThat(NormalizedPath.of("/carservice/v1/Vehicles/a%20b").encodedPath()).isEqualTo("/v1/Vehicles/a%20b");
        assertThat(NormalizedPath.of("/carservice/v1/Vehicles/%252e").encodedPath()).isEqualTo("/v1/Vehicles/%252e");
    }

    @Test
    void shouldMatchPatternsCaseInsensitivelyWithTrailingSlashes() {
        Route user = Route.compile("api", "/indicators/v*/**", Set.of(), CredentialKind.USER, Optional.empty());
        assertThat(user.matches("api", "/INDICATORS/V3/statistics", "GET")).isTrue();
        assertThat(user.matches("api", "/indicators/admin/v3", "GET")).isFalse();
        Route indiv = Route.compile("api", "/statistics/v1/**/individual**", Set.of(), CredentialKind.USER,
                Optional.empty());
        assertThat(indiv.matches("api", "/statistics/v1/Scorings/individual/daily", "GET")).isTrue();
        assertThat(indiv.matches("api", "/statistics/v1/Scorings/accumulated", "GET")).isFalse();
        Route trips = Route.compile("api", "/trips/get/v1/**", Set.of(), CredentialKind.USER, Optional.empty());
        assertThat(trips.matches("api", "/trips/get/v1", "POST")).isTrue();
        assertThat(trips.matches("api", "/trips/get/v1/", "POST")).isTrue();
        assertThat(trips.matches("api", "/trips/get/v10", "POST")).isFalse();
        Route own = Route.compile("user", "/v1/Management/users", Set.of("GET"), CredentialKind.USER,
                Optional.empty());
        assertThat(own.matches("user", "/v1/management/Users/", "GET")).isTrue();
        assertThat(own.matches("user", "/v1/management/Users", "DELETE")).isFalse();
    }

    @Test
    void shouldGiveTheSameResultOnTheFastPathAsTheGeneralOne() {
        String alphabet = "//////aAzZ09.._-~%2fF5cé \\@:+;=?#x";
        java.util.Random random = new java.util.Random(42);
        int plain = 0;
        for (int i = 0; i < 200_000; i++) {
            StringBuilder raw = new StringBuilder("/");
            for (int n = random.nextInt(14); n > 0; n--) {
                raw.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String path = raw.toString();
            NormalizedPath fast = NormalizedPath.plain(path);
            if (fast != null) {
                plain++;
                assertThat(fast).as(path).isEqualTo(NormalizedPath.general(path));
            }
        }
        assertThat(plain).as("paths that took the fast path").isGreaterThan(10_000);
        for (String path : new String[] { "/api/indicators/v3/Statistics", "/API/x/", "/api", "/api/", "/a/b.c/d" }) {
            assertThat(NormalizedPath.plain(path)).as(path).isNotNull().isEqualTo(NormalizedPath.general(path));
        }
        for (String path : new String[] { "/", "//api", "/api//x", "/api/./x", "/api/../x", "/api/x/..", "/api/a%20b",
                "/api/a b", "/api/\\x" }) {
            assertThat(NormalizedPath.plain(path)).as(path).isNull();
        }
    }
}
