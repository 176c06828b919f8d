package ai.caracal.bench.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.caracal.revocation.RevocationCheck;
import ai.caracal.revocation.RevocationStore;
import ai.caracal.revocation.redis.ConsumerRunner;
import ai.caracal.revocation.redis.RedisRevocationConsumer;
import ai.caracal.revocation.redis.StreamEventListener;
import ai.caracal.spring.metrics.CaracalMetrics;
import ai.caracal.spring.metrics.ConsumerHealthMetrics;
import ai.caracal.spring.metrics.RevocationEventMetrics;
import ai.caracal.testkit.CaracalTest;
import ai.caracal.testkit.TestIssuer;
import ai.caracal.verify.Cause;
import ai.caracal.verify.ErrorCode;
import ai.caracal.verify.JwksCache;
import ai.caracal.verify.MandateVerifier;
import ai.caracal.verify.VerificationListener;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.RedisClient;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The Grafana dashboard and the Prometheus alert rules of {@code docs/operations/} against what Caracal
 * really exports: every metric they name appears in the Prometheus output of a registry fed by Caracal's
 * binder during real verifications, every label they match or group by is on those series, and every
 * label value they name is one Caracal can produce. The dashboard's queries are also evaluated over the
 * recorded run whose picture {@code docs/OPERATIONS.md} shows: each panel has data.
 */
@CaracalTest(zone = "zone-ops", audience = "resource://ops")
class OperationsDashboardTest {

    private static final Path OPERATIONS = Path.of("..", "docs", "operations");
    private static final Pattern METRIC = Pattern.compile("\\bcaracal_[a-z_]+\\b");
    private static final Pattern MATCHER = Pattern.compile("([a-z_]+)\\s*(=~|!~|!=|=)\\s*\"([^\"]*)\"");
    private static final Pattern BY = Pattern.compile("\\bby\\s*\\(([^)]*)\\)");
    /** Added by Prometheus at scrape time, never by the application. */
    private static final Set<String> TARGET_LABELS = Set.of("job", "instance");

    private static List<String> dashboardQueries;
    private static List<Map<String, Object>> alertRules;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void readFiles() throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(OPERATIONS.resolve("caracal-dashboard.json").toFile());
        dashboardQueries = new ArrayList<>();
        for (JsonNode panel : dashboard.get("panels")) {
            assertThat(panel.path("title").asText()).isNotBlank();
            assertThat(panel.path("description").asText()).as("panel %s explains itself", panel.get("title")).isNotBlank();
            for (JsonNode target : panel.get("targets")) {
                dashboardQueries.add(target.get("expr").asText());
            }
        }
        Map<String, Object> rules = new Yaml().load(Files.readString(OPERATIONS.resolve("caracal-alerts.yml")));
        alertRules = new ArrayList<>();
        for (Map<String, Object> group : (List<Map<String, Object>>) rules.get("groups")) {
            alertRules.addAll((List<Map<String, Object>>) group.get("rules"));
        }
    }

    @Test
    @DisplayName("the dashboard has panels and every query is PromQL of the subset the renderer evaluates")
    void dashboardQueriesParse() {
        assertThat(dashboardQueries).hasSizeGreaterThanOrEqualTo(8);
        for (String query : dashboardQueries) {
            assertThat(PromQuery.parse(query.replace("$job", ".*")).metricNames()).isNotEmpty();
        }
    }

    @Test
    @DisplayName("every alert rule has a name, an expression, a severity, a summary and a description")
    void alertRulesAreComplete() {
        assertThat(alertRules).hasSizeGreaterThanOrEqualTo(6);
        for (Map<String, Object> rule : alertRules) {
            assertThat((String) rule.get("alert")).startsWith("Caracal");
            assertThat((String) rule.get("expr")).contains("caracal_");
            assertThat(((Map<?, ?>) rule.get("labels")).get("severity")).isIn("critical", "warning");
            Map<?, ?> annotations = (Map<?, ?>) rule.get("annotations");
            assertThat((String) annotations.get("summary")).isNotBlank();
            assertThat((String) annotations.get("description")).isNotBlank();
        }
    }

    @Test
    @DisplayName("every metric, label and label value the dashboard and the alerts name is in Caracal's real output")
    void everyNameExistsInTheRealRegistryOutput(TestIssuer issuer) {
        Map<String, Set<String>> exported = exportedSeries(issuer);
        Map<String, Set<String>> values = producibleValues();
        List<String> queries = Stream.concat(dashboardQueries.stream(),
                alertRules.stream().map(rule -> (String) rule.get("expr"))).toList();
        for (String query : queries) {
            Set<String> metrics = new HashSet<>();
            Matcher metric = METRIC.matcher(query);
            while (metric.find()) {
                metrics.add(metric.group());
            }
            assertThat(metrics).as(query).isNotEmpty();
            assertThat(exported.keySet()).as("metrics of %s", query).containsAll(metrics);
            Set<String> labels = metrics.stream().flatMap(name -> exported.get(name).stream()).collect(Collectors.toSet());
            Matcher matcher = MATCHER.matcher(query);
            while (matcher.find()) {
                String label = matcher.group(1);
                if (TARGET_LABELS.contains(label)) {
                    continue;
                }
                assertThat(labels).as("label %s in %s", label, query).contains(label);
                for (String value : matcher.group(3).split("\\|")) {
                    assertThat(values.get(label)).as("value %s of %s in %s", value, label, query).contains(value);
                }
            }
            Matcher by = BY.matcher(query);
            while (by.find()) {
                for (String label : by.group(1).split(",")) {
                    String name = label.trim();
                    if (!TARGET_LABELS.contains(name)) {
                        assertThat(labels).as("grouping label %s in %s", name, query).contains(name);
                    }
                }
            }
        }
    }

    @Test
    @DisplayName("over the recorded run shown in OPERATIONS.md, every dashboard panel has data")
    void everyPanelHasDataInTheRecordedRun() throws IOException {
        List<PromQuery.Scrape> scrapes;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(OPERATIONS.resolve("run").resolve("scrapes.txt.gz")))) {
            scrapes = PromQuery.readScrapes(new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList());
        }
        assertThat(scrapes).hasSizeGreaterThan(60);
        for (String query : dashboardQueries) {
            PromQuery parsed = PromQuery.parse(query.replace("$job", ".*"));
            boolean data = false;
            for (int i = 0; i < scrapes.size() && !data; i++) {
                PromQuery.Vector result = parsed.eval(scrapes, i);
                data = result.scalar() != null || result.values().values().stream().anyMatch(v -> v > 0);
            }
            assertThat(data).as("data for %s", query).isTrue();
        }
    }

    @Test
    @DisplayName("histogram_quantile interpolates inside the bucket the rank falls in, as Prometheus does")
    void histogramQuantileInterpolatesAsPrometheusDoes() {
        PromQuery.Vector buckets = PromQuery.Vector.of(Map.of(
                Map.of("le", "0.001"), 10.0, Map.of("le", "0.01"), 90.0, Map.of("le", "0.1"), 98.0,
                Map.of("le", "+Inf"), 100.0));
        // rank 50 lies between 10 (at 1 ms) and 90 (at 10 ms): half-way through that bucket
        assertThat(PromQuery.histogramQuantile(0.5, buckets).values().get(Map.of())).isCloseTo(0.0055, within(1e-12));
        // rank 5 in the first bucket, interpolated from 0
        assertThat(PromQuery.histogramQuantile(0.05, buckets).values().get(Map.of())).isCloseTo(0.0005, within(1e-12));
        // rank 99 is in the +Inf bucket: the highest finite bound
        assertThat(PromQuery.histogramQuantile(0.99, buckets).values()).containsExactly(Map.entry(Map.of(), 0.1));
        // no observations: no result
        assertThat(PromQuery.histogramQuantile(0.5, PromQuery.Vector.of(Map.of(Map.of("le", "+Inf"), 0.0))).values())
                .isEmpty();
        PromQuery query = PromQuery.parse("histogram_quantile(0.5, sum by (le) (caracal_verify_seconds_bucket))");
        PromQuery.Scrape scrape = new PromQuery.Scrape(0, List.of(
                PromQuery.sample("caracal_verify_seconds_bucket{cause=\"none\",le=\"0.001\",outcome=\"ok\"} 4"),
                PromQuery.sample("caracal_verify_seconds_bucket{cause=\"none\",le=\"+Inf\",outcome=\"ok\"} 4"),
                PromQuery.sample("caracal_verify_seconds_bucket{cause=\"expired\",le=\"0.001\",outcome=\"invalid_token\"} 0"),
                PromQuery.sample("caracal_verify_seconds_bucket{cause=\"expired\",le=\"+Inf\",outcome=\"invalid_token\"} 4")));
        assertThat(query.eval(List.of(scrape), 0).values().get(Map.of())).isCloseTo(0.001, within(1e-12));
    }

    /** @return metric name → label names, from the Prometheus text of a registry fed by real verifications */
    private static Map<String, Set<String>> exportedSeries(TestIssuer issuer) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        CaracalMetrics metrics = new CaracalMetrics(registry);
        MandateVerifier verifier = MandateVerifier.builder().issuer(issuer.url()).audience(issuer.audience())
                .zoneId(issuer.zone()).revocations(issuer.revocations()).clock(issuer.clock()).listener(metrics)
                .jwksCache(JwksCache.builder().clock(issuer.clock()).listener(metrics).build()).build();
        assertThat(verifier.authenticate(issuer.mint().sign()).ok()).isTrue();
        assertThat(verifier.authenticate(issuer.mint().tamperSignature().sign()).ok()).isFalse();
        MandateVerifier closed = issuer.verifier().listener(metrics).revocations(new FailedClosedStore()).build();
        assertThat(closed.authenticate(issuer.mint().sign()).cause()).isEqualTo(Cause.STORE_UNAVAILABLE);
        Map<String, Set<String>> series = new HashMap<>();
        RevocationEventMetrics events = new RevocationEventMetrics(registry);
        for (StreamEventListener.Result result : StreamEventListener.Result.values()) {
            events.entryHandled("caracal.sessions.revoke", result);
        }
        // A runner that is never started: its consumer connects on first use, so no Redis is needed.
        RedisClient client = RedisClient.create("redis://127.0.0.1:6379");
        try (ConsumerRunner runner = ConsumerRunner.builder().add(RedisRevocationConsumer.builder().client(client)
                .store(issuer.revocations()).consumer("ops-test").build()).build()) {
            new ConsumerHealthMetrics(registry, runner);
            collect(registry, series);
        } finally {
            client.shutdown();
        }
        assertThat(metrics.registryFailures()).isZero();
        return series;
    }

    private static void collect(PrometheusMeterRegistry registry, Map<String, Set<String>> series) {
        for (String line : registry.scrape().lines().toList()) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            PromQuery.Sample sample = PromQuery.sample(line);
            series.computeIfAbsent(sample.name(), k -> new HashSet<>()).addAll(sample.labels().keySet());
        }
    }

    /** @return label name → every value Caracal can give it */
    private static Map<String, Set<String>> producibleValues() {
        Set<String> outcomes = new HashSet<>(Set.of("ok"));
        for (ErrorCode code : ErrorCode.values()) {
            outcomes.add(code.wire());
        }
        Set<String> results = new HashSet<>();
        for (VerificationListener.JwksFetch fetch : VerificationListener.JwksFetch.values()) {
            results.add(fetch.name().toLowerCase(Locale.ROOT));
        }
        for (StreamEventListener.Result result : StreamEventListener.Result.values()) {
            results.add(result.name().toLowerCase(Locale.ROOT));
        }
        return Map.of("outcome", outcomes,
                "cause", Stream.of(Cause.values()).map(Cause::wire).collect(Collectors.toSet()),
                "result", results);
    }

    /** Our own SPI, answering as a fail-closed store does while Redis is down. */
    private static final class FailedClosedStore implements RevocationStore {
        @Override
        public boolean isRevoked(String anchor) {
            return true;
        }

        @Override
        public void revoke(String anchor, Duration ttl) {
        }

        @Override
        public long currentDelegationEpoch(String zoneId) {
            return Long.MAX_VALUE;
        }

        @Override
        public boolean advanceDelegationEpoch(String zoneId, long epoch, Duration ttl) {
            return false;
        }

        @Override
        public RevocationCheck check(List<String> anchors, String zoneId) {
            return RevocationCheck.FAILED_CLOSED;
        }
    }
}
