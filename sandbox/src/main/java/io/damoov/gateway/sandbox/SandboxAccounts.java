package io.damoov.gateway.sandbox;

import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import io.vertx.core.json.JsonObject;

/** Instances, admins, users and vehicles of the sandbox. Thread-safe. */
final class SandboxAccounts {

    record Instance(String id, String key, String companyId, String applicationId) {
    }

    record Admin(String email, String password, String instanceId) {
    }

    static final class User {
        final String deviceToken;
        final String instanceId;
        final LocalDateTime created;
        final long seq;
        /** Writable profile fields (PascalCase), guarded by this. */
        final JsonObject profile;
        final List<JsonObject> vehicles = new CopyOnWriteArrayList<>();

        User(String deviceToken, String instanceId, LocalDateTime created, long seq, JsonObject profile) {
            this.deviceToken = deviceToken;
            this.instanceId = instanceId;
            this.created = created;
            this.seq = seq;
            this.profile = profile;
        }

        synchronized JsonObject profileCopy() {
            return profile.copy();
        }

        synchronized void update(JsonObject changes) {
            profile.mergeIn(changes);
        }
    }

    private final Map<String, Instance> instances = new ConcurrentHashMap<>();
    private final Map<String, Admin> admins = new ConcurrentHashMap<>();
    private final Map<String, User> users = new ConcurrentHashMap<>();
    private final AtomicLong seq = new AtomicLong();

    void addInstance(String id, String key) {
        require(id, "instanceId");
        require(key, "instanceKey");
        instances.put(id, new Instance(id, key, derived("company", id), derived("application", id)));
    }

    Instance instance(String id) {
        return id == null ? null : instances.get(id);
    }

    void addAdmin(String email, String password, String instanceId) {
        require(email, "email");
        require(password, "password");
        if (instance(instanceId) == null) {
            throw new IllegalArgumentException("unknown instance: " + instanceId);
        }
        admins.put(email.toLowerCase(Locale.ROOT), new Admin(email, password, instanceId));
    }

    Admin admin(String email) {
        return email == null ? null : admins.get(email.toLowerCase(Locale.ROOT));
    }

    /** Creates a user; null when the DeviceToken is taken. */
    User addUser(String instanceId, String deviceToken, JsonObject profile, LocalDateTime now) {
        if (instance(instanceId) == null) {
            throw new IllegalArgumentException("unknown instance: " + instanceId);
        }
        String token = deviceToken == null ? UUID.randomUUID().toString() : deviceToken;
        User user = new User(token, instanceId, now, seq.incrementAndGet(), profile == null ? new JsonObject() : profile);
        return users.putIfAbsent(token, user) == null ? user : null;
    }

    User user(String deviceToken) {
        return deviceToken == null ? null : users.get(deviceToken);
    }

    /** Users of an instance, oldest first. */
    List<User> usersOf(String instanceId) {
        return users.values().stream().filter(u -> u.instanceId.equals(instanceId))
                .sorted(Comparator.comparingLong(u -> u.seq)).toList();
    }

    Set<String> deviceTokens(String instanceId) {
        Set<String> set = new LinkedHashSet<>();
        usersOf(instanceId).forEach(u -> set.add(u.deviceToken));
        return java.util.Collections.unmodifiableSet(set);
    }

    private static String derived(String kind, String id) {
        return UUID.nameUUIDFromBytes((kind + ":" + id).getBytes(StandardCharsets.UTF_8)).toString();
    }

    private static void require(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
    }
}
