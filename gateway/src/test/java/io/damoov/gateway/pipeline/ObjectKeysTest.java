package io.damoov.gateway.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class ObjectKeysTest {

    /** Distinct keys that all have one {@code String.hashCode}: "Aa" and "BB" hash alike, so do their concatenations. */
    private static List<String> colliding(int parts) {
        List<String> keys = new ArrayList<>(List.of(""));
        for (int p = 0; p < parts; p++) {
            List<String> longer = new ArrayList<>();
            for (String k : keys) {
                longer.add(k + "Aa");
                longer.add(k + "BB");
            }
            keys = longer;
        }
        return keys;
    }

    @Test
    void shouldTellApartKeysChosenForOneHashAndStillRefuseTheirRepeats() {
        List<String> keys = colliding(10); // 1,024 keys, one hash: far past the probe limit
        assertThat(keys.stream().mapToInt(String::hashCode).distinct().count()).isEqualTo(1);
        ObjectKeys seen = new ObjectKeys();
        int object = seen.open();
        for (String k : keys) {
            assertThat(seen.add(object, k)).as("first time of %s", k).isTrue();
        }
        for (String k : keys) {
            assertThat(seen.add(object, k)).as("repeat of %s", k).isFalse();
        }
        int other = seen.open();
        assertThat(seen.add(other, keys.get(0))).as("the same key in another object").isTrue();

        seen.clear(); // the next document starts afresh
        int next = seen.open();
        assertThat(seen.add(next, keys.get(0))).isTrue();
        assertThat(seen.add(next, keys.get(0))).isFalse();
    }
}
