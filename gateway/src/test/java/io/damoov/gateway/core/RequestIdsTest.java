package io.damoov.gateway.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

class RequestIdsTest {

    /** The rule as it was first written, a regex: the loop in RequestIds must accept exactly the same strings. */
    private static final Pattern RULE = Pattern.compile("[A-Za-z0-9._:\\-]{1,128}");
    private static final String ALPHABET = "aZz09._:-/ \t\u00e9\u017f\u212a\u0130\u0131%\"\n,;";

    @Test
    void shouldEchoAnIdExactlyWhenTheRuleAcceptsIt() {
        // Given: explicit edge cases and 200k random strings over valid and invalid characters
        String[] cases = { null, "", "a", "abc-123", "req.1:2_3", "x".repeat(128), "x".repeat(129), "a b", "ä",
                "\u212a", "id\n", "-", "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b" };
        SplittableRandom random = new SplittableRandom(42);

        // When / Then
        for (String s : cases) {
            assertAgreesWithRule(s);
        }
        for (int i = 0; i < 200_000; i++) {
            int length = random.nextInt(0, 140);
            StringBuilder sb = new StringBuilder(length);
            for (int j = 0; j < length; j++) {
                sb.append(random.nextInt(10) < 8 ? "aZ09._:-".charAt(random.nextInt(8))
                        : ALPHABET.charAt(random.nextInt(ALPHABET.length())));
            }
            assertAgreesWithRule(sb.toString());
        }
    }

    @Test
    void shouldMintAFreshValidIdWhenTheIncomingOneIsRejected() {
        // When
        String minted = RequestIds.from("not valid!");

        // Then
        assertThat(minted).isNotEqualTo("not valid!").matches(RULE);
        assertThat(RequestIds.from("not valid!")).isNotEqualTo(minted);
    }

    private static void assertAgreesWithRule(String s) {
        boolean expected = s != null && RULE.matcher(s).matches();
        assertThat(RequestIds.valid(s)).as("valid(%s)", s).isEqualTo(expected);
        if (expected) {
            assertThat(RequestIds.from(s)).isSameAs(s);
        } else {
            assertThat(RequestIds.from(s)).isNotEqualTo(s).matches(RULE);
        }
    }
}
