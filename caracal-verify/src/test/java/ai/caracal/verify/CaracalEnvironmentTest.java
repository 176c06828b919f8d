package ai.caracal.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** connectors.md §4: one spelling of the environment defaults for every connector, the starter and the CLI. */
class CaracalEnvironmentTest {

    private static CaracalEnvironment env(String stsUrl, String zoneId) {
        Map<String, String> variables = new HashMap<>();
        variables.put(CaracalEnvironment.STS_URL, stsUrl);
        variables.put(CaracalEnvironment.ZONE_ID, zoneId);
        return CaracalEnvironment.read(variables::get);
    }

    @ParameterizedTest(name = "CARACAL_STS_URL=''{0}'' -> ''{1}''")
    @CsvSource(delimiter = '|', value = {
        "http://127.0.0.1:8787|http://127.0.0.1:8787",
        "http://127.0.0.1:8787/|http://127.0.0.1:8787",
        "http://127.0.0.1:8787///|http://127.0.0.1:8787",
        "'  https://sts.example/zone/ '|https://sts.example/zone",
        "http://localhost:8787|http://localhost:8787"})
    void theIssuerLosesBlanksAndTrailingSlashesOnly(String variable, String issuer) {
        assertThat(env(variable, null).issuer()).contains(issuer);
    }

    @ParameterizedTest(name = "CARACAL_STS_URL=''{0}'' is unset")
    @CsvSource(delimiter = '|', value = {"''", "'   '", "/", "' // '"})
    void blankOrSlashOnlyIssuerCountsAsUnset(String variable) {
        assertThat(env(variable, null).issuer()).isEmpty();
        assertThat(env(null, null).issuer()).isEmpty();
    }

    @Test
    @DisplayName("the zone is trimmed; blank counts as unset")
    void zoneIsTrimmed() {
        assertThat(env(null, " zone_dev ").zoneId()).contains("zone_dev");
        assertThat(env(null, "  ").zoneId()).isEmpty();
        assertThat(env(null, null).zoneId()).isEmpty();
    }

    @Test
    @DisplayName("an explicit value wins, spelled like the variable; a blank one falls back to the variable")
    void explicitValuesWinWithTheSameSpelling() {
        CaracalEnvironment env = env("http://127.0.0.1:8787", "zone_env");

        assertThat(env.issuer("http://127.0.0.1:9999/")).contains("http://127.0.0.1:9999");
        assertThat(env.issuer(null)).contains("http://127.0.0.1:8787");
        assertThat(env.issuer(" ")).contains("http://127.0.0.1:8787");
        assertThat(env.zoneId(" zone_flag")).contains("zone_flag");
        assertThat(env.zoneId(null)).contains("zone_env");
    }

    @Test
    @DisplayName("the variables are read once")
    void readOnce() {
        Map<String, String> variables = new HashMap<>(Map.of(CaracalEnvironment.STS_URL, "https://one.example"));
        CaracalEnvironment env = CaracalEnvironment.read(variables::get);

        variables.put(CaracalEnvironment.STS_URL, "https://two.example");

        assertThat(env.issuer()).contains("https://one.example");
    }
}
