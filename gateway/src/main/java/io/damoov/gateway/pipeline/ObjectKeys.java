package io.damoov.gateway.pipeline;

import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The keys of every object of one JSON document being read ({@link IdentifierRewrite}), to refuse a key an object
 * repeats: one open-addressing table of (object number, key) for the whole document, reused by the thread from one
 * document to the next, so reading an object allocates nothing (Jackson's own check builds a set per object). Keys
 * are compared with {@code equals}, after the parser decoded their escapes.
 */
final class ObjectKeys {

    /** A table grown past this many slots by a large document is not kept for the next one. */
    private static final int KEPT_SLOTS = 1 << 12;

    private static final int MAX_PROBES = 256;

    private int[] owners = new int[64];
    private String[] names = new String[64];
    private int size;
    private int objects;
    /** The document's keys by object, once a key probed too far: hash sets, whose bins of colliding keys are trees. */
    private Map<Integer, Set<String>> spilled;

    /** A number for the next object of the document (never 0, which stands for "not an object"). */
    int open() {
        return ++objects;
    }

    /**
     * Adds {@code name} to {@code object}'s keys: false when the object has it already. A key whose slot is further
     * than {@value #MAX_PROBES} slots from where its hash points (keys chosen for one {@code hashCode}: a document of
     * them would take quadratic time here; at this table's load a natural one never comes near) moves the rest of the
     * document to per-object hash sets, which such keys cannot slow down: they are still told apart, not refused.
     */
    boolean add(int object, String name) {
        if (spilled != null) {
            return spilled.computeIfAbsent(object, o -> new HashSet<>()).add(name);
        }
        if (2 * (size + 1) > names.length) {
            grow();
        }
        int mask = names.length - 1;
        int start = slot(object, name, mask);
        for (int i = start;; i = (i + 1) & mask) {
            if (((i - start) & mask) > MAX_PROBES) {
                spill();
                return add(object, name);
            }
            String there = names[i];
            if (there == null) {
                owners[i] = object;
                names[i] = name;
                size++;
                return true;
            }
            if (owners[i] == object && there.equals(name)) {
                return false;
            }
        }
    }

    private void spill() {
        spilled = new HashMap<>();
        for (int j = 0; j < names.length; j++) {
            if (names[j] != null) {
                spilled.computeIfAbsent(owners[j], o -> new HashSet<>()).add(names[j]);
            }
        }
    }

    /** Forgets the document (at its end, read whole or not). */
    void clear() {
        spilled = null;
        if (names.length > KEPT_SLOTS) {
            owners = new int[64];
            names = new String[64];
        } else if (size > 0) {
            Arrays.fill(names, null);
        }
        size = 0;
        objects = 0;
    }

    private static int slot(int object, String name, int mask) {
        int h = name.hashCode() * 31 + object * 0x9E3779B9;
        return (h ^ (h >>> 16)) & mask;
    }

    private void grow() {
        int[] oldOwners = owners;
        String[] oldNames = names;
        owners = new int[oldNames.length * 2];
        names = new String[oldNames.length * 2];
        int mask = names.length - 1;
        for (int j = 0; j < oldNames.length; j++) {
            if (oldNames[j] != null) {
                int i = slot(oldOwners[j], oldNames[j], mask);
                while (names[i] != null) {
                    i = (i + 1) & mask;
                }
                owners[i] = oldOwners[j];
                names[i] = oldNames[j];
            }
        }
    }
}
