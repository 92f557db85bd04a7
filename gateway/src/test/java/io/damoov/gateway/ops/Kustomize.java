package io.damoov.gateway.ops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The subset of kustomize this project uses, so that the manifest test needs no {@code kubectl}: {@code resources}
 * (files and directories, recursively), {@code configMapGenerator} with {@code files} and {@code generatorOptions}
 * (labels, {@code disableNameSuffixHash: true}), {@code patches} with a {@code path} to a strategic merge patch,
 * {@code images} ({@code newName}, {@code newTag}) and {@code namespace}. Any other key is an error, so that a new
 * feature in a kustomization.yaml is noticed rather than silently ignored.
 */
final class Kustomize {

    private static final Set<String> CLUSTER_SCOPED = Set.of("Namespace", "ClusterRole", "ClusterRoleBinding",
            "CustomResourceDefinition", "PriorityClass", "StorageClass", "PersistentVolume");
    /** Strategic merge keys of the list fields used here (Kubernetes API {@code x-kubernetes-patch-merge-key}). */
    private static final Map<String, String> MERGE_KEYS = Map.of(
            "containers", "name",
            "initContainers", "name",
            "volumes", "name",
            "env", "name",
            "imagePullSecrets", "name",
            "volumeMounts", "mountPath",
            "topologySpreadConstraints", "topologyKey");

    private Kustomize() {
    }

    /** The resources {@code kubectl kustomize dir} would print, in input order. */
    static List<ObjectNode> build(Path dir) {
        Path file = dir.resolve("kustomization.yaml");
        List<JsonNode> docs = Manifests.readDocuments(file);
        if (docs.size() != 1 || !Manifests.isKustomization(docs.get(0))) {
            throw new IllegalArgumentException(file + ": expected one Kustomization");
        }
        JsonNode k = docs.get(0);
        k.fieldNames().forEachRemaining(key -> {
            if (!Manifests.KUSTOMIZATION_KEYS.contains(key)) {
                throw new IllegalArgumentException(file + ": unsupported key " + key);
            }
        });
        List<ObjectNode> out = new ArrayList<>();
        for (JsonNode r : k.path("resources")) {
            Path p = dir.resolve(r.asText()).normalize();
            if (Files.isDirectory(p)) {
                out.addAll(build(p));
            } else {
                for (JsonNode doc : Manifests.readDocuments(p)) {
                    out.add((ObjectNode) doc);
                }
            }
        }
        for (JsonNode gen : k.path("configMapGenerator")) {
            out.add(configMap(dir, gen, k.path("generatorOptions")));
        }
        for (JsonNode patch : k.path("patches")) {
            if (!patch.hasNonNull("path") || patch.size() != 1) {
                throw new IllegalArgumentException(file + ": only 'patches: - path: <strategic merge patch>' is supported");
            }
            for (JsonNode p : Manifests.readDocuments(dir.resolve(patch.get("path").asText()))) {
                ObjectNode target = find(out, p).orElseThrow(() -> new IllegalArgumentException(
                        file + ": patch target not found: " + p.path("kind").asText() + "/" + p.at("/metadata/name").asText()));
                merge(target, p, "");
            }
        }
        for (JsonNode image : k.path("images")) {
            out.forEach(r -> setImages(r, image));
        }
        if (k.hasNonNull("namespace")) {
            for (ObjectNode r : out) {
                if (!CLUSTER_SCOPED.contains(r.path("kind").asText())) {
                    ((ObjectNode) r.get("metadata")).put("namespace", k.get("namespace").asText());
                }
            }
        }
        return out;
    }

    private static ObjectNode configMap(Path dir, JsonNode gen, JsonNode options) {
        if (!options.path("disableNameSuffixHash").asBoolean(false)) {
            throw new IllegalArgumentException(dir + ": configMapGenerator needs generatorOptions.disableNameSuffixHash: true");
        }
        ObjectNode cm = JsonNodeFactory.instance.objectNode();
        cm.put("apiVersion", "v1");
        cm.put("kind", "ConfigMap");
        ObjectNode meta = cm.putObject("metadata");
        meta.put("name", gen.get("name").asText());
        if (options.has("labels")) {
            meta.set("labels", options.get("labels").deepCopy());
        }
        ObjectNode data = cm.putObject("data");
        for (JsonNode f : gen.path("files")) {
            Path p = dir.resolve(f.asText());
            try {
                data.put(p.getFileName().toString(), Files.readString(p, StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return cm;
    }

    private static java.util.Optional<ObjectNode> find(List<ObjectNode> resources, JsonNode patch) {
        String kind = patch.path("kind").asText();
        String name = patch.at("/metadata/name").asText();
        return resources.stream()
                .filter(r -> r.path("kind").asText().equals(kind) && r.at("/metadata/name").asText().equals(name))
                .findFirst();
    }

    /** Strategic merge: maps merge, null deletes, lists with a merge key merge by it, other lists are replaced. */
    static void merge(ObjectNode target, JsonNode patch, String path) {
        Iterator<Map.Entry<String, JsonNode>> fields = patch.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            String key = f.getKey();
            JsonNode value = f.getValue();
            JsonNode current = target.get(key);
            if (value.isNull()) {
                target.remove(key);
            } else if (value.isObject() && current != null && current.isObject()) {
                merge((ObjectNode) current, value, path + "." + key);
            } else if (value.isArray() && current != null && current.isArray() && mergeKey(key, value) != null) {
                mergeList((ArrayNode) current, (ArrayNode) value, mergeKey(key, value), path + "." + key);
            } else {
                target.set(key, value.deepCopy());
            }
        }
    }

    private static String mergeKey(String field, JsonNode items) {
        if (field.equals("ports")) {
            return items.path(0).has("containerPort") ? "containerPort" : "port";
        }
        return MERGE_KEYS.get(field);
    }

    private static void mergeList(ArrayNode current, ArrayNode patch, String key, String path) {
        for (JsonNode item : patch) {
            ObjectNode match = null;
            for (JsonNode c : current) {
                if (c.path(key).equals(item.path(key))) {
                    match = (ObjectNode) c;
                }
            }
            if (match != null) {
                merge(match, item, path);
            } else {
                current.add(item.deepCopy());
            }
        }
    }

    private static void setImages(ObjectNode resource, JsonNode image) {
        for (String list : List.of("/spec/template/spec/containers", "/spec/template/spec/initContainers")) {
            for (JsonNode c : resource.at(list)) {
                String ref = c.path("image").asText();
                int at = ref.indexOf('@');
                int colon = ref.lastIndexOf(':');
                boolean hasTag = colon > ref.lastIndexOf('/');
                String name = at >= 0 ? ref.substring(0, at) : hasTag ? ref.substring(0, colon) : ref;
                String tag = at >= 0 ? ref.substring(at) : hasTag ? ref.substring(colon) : "";
                if (name.equals(image.path("name").asText())) {
                    String newName = image.path("newName").asText(name);
                    String newTag = image.hasNonNull("newTag") ? ":" + image.get("newTag").asText() : tag;
                    ((ObjectNode) c).put("image", newName + newTag);
                }
            }
        }
    }
}
