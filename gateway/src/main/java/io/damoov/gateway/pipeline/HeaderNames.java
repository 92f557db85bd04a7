package io.damoov.gateway.pipeline;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import io.netty.util.AsciiString;

/**
 * A fixed set of header names, matched ignoring ASCII case, for the per-request checks of {@link Headers}: the names
 * are grouped by length, so a lookup compares a name only with the few of its own length and allocates nothing (a
 * case-insensitive {@code TreeSet} compared each lookup with log n names, character by character).
 */
final class HeaderNames {

    private static final AsciiString[] NONE = new AsciiString[0];

    private final AsciiString[][] byLength;

    private HeaderNames(AsciiString[][] byLength) {
        this.byLength = byLength;
    }

    static HeaderNames of(Collection<String> names) {
        int longest = 0;
        for (String n : names) {
            longest = Math.max(longest, n.length());
        }
        List<List<AsciiString>> groups = new ArrayList<>(longest + 1);
        for (int i = 0; i <= longest; i++) {
            groups.add(new ArrayList<>(2));
        }
        for (String n : names) {
            AsciiString name = AsciiString.of(n);
            List<AsciiString> group = groups.get(n.length());
            if (group.stream().noneMatch(name::contentEqualsIgnoreCase)) {
                group.add(name);
            }
        }
        AsciiString[][] byLength = new AsciiString[longest + 1][];
        for (int i = 0; i <= longest; i++) {
            byLength[i] = groups.get(i).isEmpty() ? NONE : groups.get(i).toArray(AsciiString[]::new);
        }
        return new HeaderNames(byLength);
    }

    boolean contains(CharSequence name) {
        int length = name.length();
        if (length >= byLength.length) {
            return false;
        }
        for (AsciiString n : byLength[length]) {
            if (n.contentEqualsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }
}
