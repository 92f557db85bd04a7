package io.damoov.gateway.ops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import io.fabric8.kubernetes.api.model.ConfigMapKeySelector;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SeccompProfile;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.SleepAction;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.DeploymentSpec;
import io.fabric8.kubernetes.api.model.autoscaling.v2.CrossVersionObjectReference;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerSpec;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricTarget;
import io.fabric8.kubernetes.api.model.autoscaling.v2.ResourceMetricSource;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicySpec;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.openshift.api.model.monitoring.v1.Endpoint;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRuleSpec;
import io.fabric8.openshift.api.model.monitoring.v1.Rule;
import io.fabric8.openshift.api.model.monitoring.v1.RuleGroup;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitorSpec;

/**
 * Reads the YAML under {@code k8s/} and checks documents against the fabric8 Kubernetes and prometheus-operator
 * models: the kind must be known to the model (no {@link GenericKubernetesResource} fallback), every field must map
 * to a model property (fabric8 keeps unknown fields in {@code additionalProperties}; any entry there is an error),
 * values must have the right type, and the fields the Kubernetes API marks required must be present.
 */
final class Manifests {

    static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private static final YAMLMapper YAML = new YAMLMapper();

    /**
     * Required fields (JSON names) per model type, as in the Kubernetes OpenAPI schema and the prometheus-operator CRDs
     * ({@code Container.image} is optional there but required here: a Deployment without it cannot run).
     */
    private static final Map<Class<?>, List<String>> REQUIRED = Map.ofEntries(
            Map.entry(PodSpec.class, List.of("containers")),
            Map.entry(Container.class, List.of("name", "image")),
            Map.entry(ContainerPort.class, List.of("containerPort")),
            Map.entry(EnvVar.class, List.of("name")),
            Map.entry(Volume.class, List.of("name")),
            Map.entry(VolumeMount.class, List.of("name", "mountPath")),
            Map.entry(SecretKeySelector.class, List.of("key")),
            Map.entry(ConfigMapKeySelector.class, List.of("key")),
            Map.entry(HTTPGetAction.class, List.of("port")),
            Map.entry(SleepAction.class, List.of("seconds")),
            Map.entry(SeccompProfile.class, List.of("type")),
            Map.entry(LabelSelectorRequirement.class, List.of("key", "operator")),
            Map.entry(TopologySpreadConstraint.class, List.of("maxSkew", "topologyKey", "whenUnsatisfiable")),
            Map.entry(DeploymentSpec.class, List.of("selector", "template")),
            Map.entry(ServicePort.class, List.of("port")),
            Map.entry(HorizontalPodAutoscalerSpec.class, List.of("scaleTargetRef", "maxReplicas")),
            Map.entry(CrossVersionObjectReference.class, List.of("kind", "name")),
            Map.entry(MetricSpec.class, List.of("type")),
            Map.entry(ResourceMetricSource.class, List.of("name", "target")),
            Map.entry(MetricTarget.class, List.of("type")),
            Map.entry(NetworkPolicySpec.class, List.of("podSelector")),
            Map.entry(ServiceMonitorSpec.class, List.of("selector", "endpoints")),
            Map.entry(Endpoint.class, List.of("port", "path")),
            Map.entry(PrometheusRuleSpec.class, List.of("groups")),
            Map.entry(RuleGroup.class, List.of("name", "rules")),
            Map.entry(Rule.class, List.of("expr")));

    private Manifests() {
    }

    /** All non-empty YAML documents of one file. */
    static List<JsonNode> readDocuments(Path file) {
        List<JsonNode> docs = new ArrayList<>();
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
            while (it.hasNextValue()) {
                JsonNode doc = it.nextValue();
                if (doc != null && !doc.isNull() && !doc.isMissingNode() && !doc.isEmpty()) {
                    docs.add(doc);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        }
        return docs;
    }

    /** Every {@code *.yaml}/{@code *.yml} file under a directory, sorted. */
    static List<Path> yamlFiles(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile)
                    .filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Documents of every YAML file under a directory. */
    static List<JsonNode> readAllDocuments(Path dir) {
        List<JsonNode> docs = new ArrayList<>();
        for (Path file : yamlFiles(dir)) {
            docs.addAll(readDocuments(file));
        }
        return docs;
    }

    static boolean isKustomization(JsonNode doc) {
        return doc.path("apiVersion").asText().startsWith("kustomize.config.k8s.io/");
    }

    /** Typed model of a document; throws when a value does not fit its field's type. */
    static KubernetesResource toModel(JsonNode doc) {
        return SERIALIZATION.convertValue(doc, KubernetesResource.class);
    }

    static <T> T toModel(JsonNode doc, Class<T> type) {
        return SERIALIZATION.convertValue(doc, type);
    }

    /** Problems of one document (empty when valid). {@code where} names the document in the messages. */
    static List<String> validate(JsonNode doc, String where) {
        return validate(doc, where, true);
    }

    /**
     * Problems of one document; with {@code checkRequired} false (strategic merge patches, which are partial objects)
     * only unknown kinds, unknown fields and type mismatches count.
     */
    static List<String> validate(JsonNode doc, String where, boolean checkRequired) {
        List<String> problems = new ArrayList<>();
        String id = where + " " + doc.path("kind").asText("<no kind>") + "/"
                + doc.path("metadata").path("name").asText("<no name>");
        if (!doc.hasNonNull("apiVersion") || !doc.hasNonNull("kind")) {
            problems.add(id + ": apiVersion and kind are required");
            return problems;
        }
        KubernetesResource model;
        try {
            model = toModel(doc);
        } catch (RuntimeException e) {
            problems.add(id + ": does not fit the model: " + e.getMessage());
            return problems;
        }
        if (model instanceof GenericKubernetesResource || !(model instanceof HasMetadata)) {
            problems.add(id + ": unknown kind " + doc.get("kind").asText() + " in " + doc.get("apiVersion").asText());
            return problems;
        }
        HasMetadata resource = (HasMetadata) model;
        if (checkRequired && (resource.getMetadata() == null || resource.getMetadata().getName() == null)) {
            problems.add(id + ": metadata.name is required");
        }
        walk(model, "", id, checkRequired, problems);
        return problems;
    }

    private static void walk(Object value, String path, String id, boolean checkRequired, List<String> problems) {
        if (value == null) {
            return;
        }
        if (value instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                walk(item, path + "[" + i++ + "]", id, checkRequired, problems);
            }
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> walk(v, path + "." + k, id, checkRequired, problems));
            return;
        }
        if (!value.getClass().getName().startsWith("io.fabric8.")) {
            return;
        }
        Map<String, Method> properties = jsonProperties(value.getClass());
        Object additional = invoke(value, properties.get("__additional"));
        if (additional instanceof Map<?, ?> unknown && !unknown.isEmpty()) {
            problems.add(id + ": unknown field(s) " + unknown.keySet() + " at " + (path.isEmpty() ? "<root>" : path)
                    + " (" + value.getClass().getSimpleName() + ")");
        }
        for (String required : checkRequired ? REQUIRED.getOrDefault(value.getClass(), List.<String> of())
                : List.<String> of()) {
            Method getter = properties.get(required);
            if (getter == null) {
                throw new IllegalStateException(value.getClass() + " has no property " + required);
            }
            if (invoke(value, getter) == null) {
                problems.add(id + ": missing required field " + path + "." + required);
            }
        }
        properties.forEach((name, getter) -> {
            if (!name.equals("__additional")) {
                walk(invoke(value, getter), path + "." + name, id, checkRequired, problems);
            }
        });
    }

    private static Map<String, Method> jsonProperties(Class<?> type) {
        Map<String, Method> properties = new java.util.TreeMap<>();
        for (Method m : type.getMethods()) {
            if (m.getParameterCount() != 0 || m.getReturnType() == void.class) {
                continue;
            }
            if (m.getName().equals("getAdditionalProperties")) {
                properties.put("__additional", m);
                continue;
            }
            JsonProperty json = m.getAnnotation(JsonProperty.class);
            if (json != null && (m.getName().startsWith("get") || m.getName().startsWith("is"))) {
                properties.put(json.value(), m);
            }
        }
        return properties;
    }

    private static Object invoke(Object target, Method getter) {
        if (getter == null) {
            return null;
        }
        try {
            return getter.invoke(target);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException(getter + ": " + e.getMessage(), e);
        }
    }

    /** Keys a kustomization.yaml may use in this project (the subset {@link Kustomize} implements). */
    static final Set<String> KUSTOMIZATION_KEYS = Set.of("apiVersion", "kind", "namespace", "resources", "patches",
            "images", "configMapGenerator", "generatorOptions");
}
