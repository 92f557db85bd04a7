package io.damoov.gateway.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.IntFunction;

import org.junit.jupiter.api.Test;

import com.github.benmanes.caffeine.cache.Cache;

import io.damoov.gateway.core.Caches;
import io.damoov.gateway.enrollment.Enrollments;
import io.damoov.gateway.store.StoredToken;
import io.damoov.gateway.store.TokenKey;
import io.damoov.gateway.store.UserMapping;
import io.damoov.gateway.tenant.Caller;
import io.damoov.gateway.tenant.ClientAuthenticator;
import io.damoov.gateway.tenant.Tenant;
import io.damoov.gateway.token.DamoovToken;
import io.damoov.gateway.token.TokenService;

/**
 * Each cache of the request path is bounded by the estimated bytes of its entries (docs/configuration.md, caches):
 * filled with four times its limit's worth of realistic entries, its weight stays under the limit, and the heap it
 * retains stays near the limit (so the estimate is not far below the truth).
 */
class CacheBoundsTest {

    private static final long LIMIT = Caches.mib(8);
    private static final Tenant TENANT = new Tenant("acme", "https://id.acme.example", Optional.empty(),
            Optional.empty(), Optional.empty(), "sub", "groups", "manager", true, "acme-instance", "key",
            Optional.empty(), Optional.empty());

    @Test
    void shouldKeepTheDamoovTokensUnderTheirLimit() {
        Cache<TokenKey, DamoovToken> cache = TokenService.newCache(LIMIT);
        fill(cache, i -> new TokenKey("acme", "user", "subject-" + UUID.randomUUID()),
                i -> DamoovToken.of(new StoredToken(jwt(900), UUID.randomUUID() + "-" + UUID.randomUUID(),
                        Instant.now().plus(1, ChronoUnit.HOURS))));
    }

    @Test
    void shouldKeepTheMappingsUnderTheirLimit() {
        Cache<String, UserMapping> cache = Enrollments.mappingCache(LIMIT);
        fill(cache, i -> "acme\u0000subject-" + UUID.randomUUID(),
                i -> new UserMapping("acme", "subject-" + UUID.randomUUID(), UUID.randomUUID().toString(),
                        Instant.now()));
    }

    @Test
    void shouldKeepTheTenantDeviceTokensUnderTheirLimit() {
        Cache<String, Boolean> cache = Enrollments.deviceTokenCache(LIMIT);
        fill(cache, i -> "acme\u0000" + UUID.randomUUID(), i -> Boolean.TRUE);
    }

    @Test
    void shouldKeepTheClientTokensUnderTheirLimit() {
        Cache<String, Caller> cache = ClientAuthenticator.verifiedCache(LIMIT, Clock.systemUTC());
        fill(cache, i -> "Bearer " + jwt(700), i -> new Caller(TENANT, "subject-" + UUID.randomUUID(),
                i % 2 == 0 ? Set.of() : Set.of(Caller.MANAGER), Instant.now().plus(1, ChronoUnit.HOURS)));
    }

    private static <K, V> void fill(Cache<K, V> cache, IntFunction<K> key, IntFunction<V> value) {
        long before = heapAfterGc();
        long weighed = 0;
        // four times the limit's worth, by the cache's own estimate
        for (int i = 0; weighed < 4 * LIMIT; i++) {
            K k = key.apply(i);
            V v = value.apply(i);
            cache.put(k, v);
            weighed += cache.policy().eviction().orElseThrow().weightOf(k).orElse(0);
        }
        cache.cleanUp();
        long weight = cache.policy().eviction().orElseThrow().weightedSize().orElseThrow();
        assertThat(weight).isLessThanOrEqualTo(LIMIT).isGreaterThan(LIMIT / 2);
        long retained = heapAfterGc() - before;
        // what the cache holds on the heap is close to what it weighs: not more than 1.5 times the limit
        assertThat(retained).as("heap retained by %d entries weighing %d bytes", cache.estimatedSize(), weight)
                .isLessThan(LIMIT * 3 / 2);
        assertThat(cache.estimatedSize()).isPositive();
    }

    private static long heapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** A token-shaped string: three base64url parts, {@code length} characters. */
    private static String jwt(int length) {
        StringBuilder b = new StringBuilder("eyJhbGciOiJSUzI1NiJ9.");
        while (b.length() < length) {
            b.append(UUID.randomUUID().toString().replace("-", ""));
        }
        b.setCharAt(length / 2, '.');
        return b.substring(0, length);
    }
}
