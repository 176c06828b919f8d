package ai.caracal.testkit.attacks;

import ai.caracal.verify.ClaimNames;
import ai.caracal.verify.ErrorCode;
import java.util.List;
import java.util.Map;

/**
 * {@link AttackCategory#SCOPE}: scope strings near {@code read}, sent to the {@link AttackRoute#SCOPED}
 * rule, which requires exactly {@code read}. Scopes split on Unicode whitespace (Java's plus U+00A0,
 * U+2007, U+202F and U+FEFF) and match exactly.
 */
final class ScopeAttacks {

    private ScopeAttacks() {
    }

    /** A valid mandate with {@code scope} set to {@code value} (any JSON value), aimed at the scoped rule. */
    private static AttackCase.Builder scope(String id, String description, Object value) {
        return AttackCase.builder(AttackCategory.SCOPE, id, description).route(AttackRoute.SCOPED)
                .token(a -> a.mint().claim(ClaimNames.SCOPE, value).sign());
    }

    private static AttackCase.Builder lacking(String id, String description, Object value) {
        return scope(id, description, value).rejected(ErrorCode.INSUFFICIENT_SCOPE);
    }

    static List<AttackCase> cases() {
        return List.of(
                lacking("SCOPE-01", "READ (upper case)", "READ").build(),
                lacking("SCOPE-02", "Read (capitalised)", "Read").build(),
                lacking("SCOPE-03", "read:all (a longer scope)", "read:all").build(),
                lacking("SCOPE-04", "readonly (a prefix match)", "readonly").build(),
                lacking("SCOPE-05", "read with a Cyrillic \u0435", "r\u0435ad").build(),
                lacking("SCOPE-06", "read followed by a zero-width space (not whitespace)", "read\u200B").build(),
                lacking("SCOPE-07", "read followed by U+0085 NEL (not Java whitespace)", "read\u0085").build(),
                lacking("SCOPE-08", "fullwidth \uFF52\uFF45\uFF41\uFF44", "\uFF52\uFF45\uFF41\uFF44").build(),
                lacking("SCOPE-09", "wildcard *", "*").build(),
                lacking("SCOPE-10", "read split by a space (rea d)", "rea d").build(),
                lacking("SCOPE-11", "percent-encoded %72ead", "%72ead").build(),
                lacking("SCOPE-12", "empty scope", "").build(),
                lacking("SCOPE-13", "scope null (absent)", null).build(),
                lacking("SCOPE-14", "read with a combining accent", "read\u0301").build(),
                AttackCase.builder(AttackCategory.SCOPE, "SCOPE-15", "scope absent, read granted in scp instead").route(AttackRoute.SCOPED)
                        .token(a -> a.mint().removeClaim(ClaimNames.SCOPE).claim("scp", List.of("read")).sign())
                        .rejected(ErrorCode.INSUFFICIENT_SCOPE).build(),
                scope("SCOPE-16", "scope as an array [read]", List.of("read")).invalid().build(),
                scope("SCOPE-17", "scope as an object {read: true}", Map.of("read", true)).invalid().build(),
                scope("SCOPE-18", "valid: read followed by a no-break space (U+00A0 separates)", "read\u00A0").accepted().build(),
                scope("SCOPE-19", "valid: ideographic space (U+3000) before read", "\u3000read").accepted().build(),
                scope("SCOPE-20", "valid: figure space (U+2007) between write and read", "write\u2007read").accepted().build(),
                scope("SCOPE-21", "valid: narrow no-break space (U+202F) between write and read", "write\u202Fread").accepted().build(),
                scope("SCOPE-22", "valid: byte order mark (U+FEFF) before read", "\uFEFFread").accepted().build(),
                scope("SCOPE-23", "valid: line separator (U+2028) between read and admin", "read\u2028admin").accepted().build(),
                scope("SCOPE-24", "valid: tab and newline separators", "write\tread\nadmin").accepted().build(),
                AttackCase.builder(AttackCategory.SCOPE, "SCOPE-25", "valid: read spelled with a JSON escape").route(AttackRoute.SCOPED)
                        .token(a -> Forge.editPayload(a.mint().removeClaim(ClaimNames.SCOPE),
                                json -> Forge.withMembers(json, "\"scope\":\"\\u0072ead\"")).sign())
                        .accepted().build());
    }
}
