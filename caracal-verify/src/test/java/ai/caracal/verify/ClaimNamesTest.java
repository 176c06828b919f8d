package ai.caracal.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * §4: {@link ClaimNames} holds exactly the wire names of the spec's claim table, spelled as the spec
 * spells them. The verifier, the test kit and the tools all read claim names from it, so a misspelled
 * constant would pass every test that mints with the same constant; this test compares it with the
 * spec's text instead.
 */
class ClaimNamesTest {

    private static final Path VERIFICATION_SPEC = Path.of("..", "docs", "spec", "verification.md");
    private static final Pattern CLAIM_ROW = Pattern.compile("^\\| `([a-z_]+)` \\|");

    @Test
    @DisplayName("the constants are the claim names of verification.md §4 plus the chain element's application_id")
    void constantsAreTheSpecClaimTable() throws IOException, IllegalAccessException {
        List<String> expected = new ArrayList<>(claimTableNames());
        expected.add("application_id");

        assertThat(constantValues()).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    @DisplayName("each constant is named after its value (zone_id is ZONE_ID)")
    void constantNamesFollowTheirValues() throws IllegalAccessException {
        for (Field field : constants()) {
            assertThat(field.getName()).isEqualTo(((String) field.get(null)).toUpperCase(Locale.ROOT));
        }
    }

    @Test
    @DisplayName("ClaimNames is a final class that cannot be instantiated")
    void notInstantiable() {
        assertThat(Modifier.isFinal(ClaimNames.class.getModifiers())).isTrue();
        assertThat(ClaimNames.class.getDeclaredConstructors())
                .allSatisfy(constructor -> assertThat(Modifier.isPrivate(constructor.getModifiers())).isTrue());
    }

    /** The first-column names of the §4 table, in order, without the "any other claim" row. */
    private static List<String> claimTableNames() throws IOException {
        List<String> names = new ArrayList<>();
        boolean inSection = false;
        for (String line : Files.readAllLines(VERIFICATION_SPEC, StandardCharsets.UTF_8)) {
            if (line.startsWith("## ")) {
                inSection = line.startsWith("## 4. Claims");
                continue;
            }
            Matcher row = CLAIM_ROW.matcher(line);
            if (inSection && row.find()) {
                names.add(row.group(1));
            }
        }
        assertThat(names).as("claim rows found in %s §4", VERIFICATION_SPEC).hasSizeGreaterThan(20);
        return names;
    }

    private static List<String> constantValues() throws IllegalAccessException {
        List<String> values = new ArrayList<>();
        for (Field field : constants()) {
            values.add((String) field.get(null));
        }
        return values;
    }

    private static List<Field> constants() {
        List<Field> fields = new ArrayList<>();
        for (Field field : ClaimNames.class.getDeclaredFields()) {
            if (field.isSynthetic()) {
                continue;   // coverage agents add their own
            }
            int modifiers = field.getModifiers();
            assertThat(Modifier.isPublic(modifiers) && Modifier.isStatic(modifiers) && Modifier.isFinal(modifiers)
                    && field.getType() == String.class).as("%s is a public static final String", field.getName()).isTrue();
            fields.add(field);
        }
        return fields;
    }
}
