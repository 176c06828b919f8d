package ai.caracal.bench.ops;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The part of PromQL that Caracal's dashboard uses, evaluated over recorded scrapes, so the picture in
 * {@code docs/OPERATIONS.md} is drawn from the dashboard's own queries: selectors with {@code =},
 * {@code !=}, {@code =~}, {@code !~} matchers; {@code rate} and {@code increase} over a range;
 * {@code sum}, {@code max}, {@code min}, {@code avg} with {@code by (...)}; {@code histogram_quantile};
 * {@code *}, {@code /},
 * {@code +}, {@code -} between vectors with equal label sets, or with a number. Anything else is refused
 * with the position. Immutable once parsed; thread-safe.
 */
final class PromQuery {

    /** One scrape: when, and every sample by metric name and label set. */
    record Scrape(long timeMillis, List<Sample> samples) {
    }

    /** One exposition line. */
    record Sample(String name, Map<String, String> labels, double value) {
    }

    /** Label set to value; {@code scalar} holds a plain number instead. */
    record Vector(Map<Map<String, String>, Double> values, Double scalar) {
        static Vector of(Map<Map<String, String>, Double> values) {
            return new Vector(values, null);
        }
    }

    private interface Node {
        Vector eval(List<Scrape> scrapes, int at);
    }

    private final String text;
    private final Node root;
    private final List<String> metricNames = new ArrayList<>();
    private int pos;

    private PromQuery(String text) {
        this.text = text;
        this.root = expr();
        skipSpace();
        if (pos != text.length()) {
            throw error("unexpected text");
        }
    }

    /**
     * @param text a PromQL expression of the supported subset
     * @return the parsed query
     * @throws IllegalArgumentException naming the position of what is not supported
     */
    static PromQuery parse(String text) {
        return new PromQuery(text);
    }

    /** @return the metric names the query selects, in order */
    List<String> metricNames() {
        return List.copyOf(metricNames);
    }

    /**
     * @param scrapes the recording, in time order
     * @param at      the index of the scrape to evaluate at
     * @return the result at that time
     */
    Vector eval(List<Scrape> scrapes, int at) {
        return root.eval(scrapes, at);
    }

    // ---- parser ------------------------------------------------------------------------------------

    private Node expr() {
        Node left = product();
        while (true) {
            skipSpace();
            char op = peek();
            if (op != '+' && op != '-') {
                return left;
            }
            pos++;
            left = binary(left, product(), op);
        }
    }

    private Node product() {
        Node left = term();
        while (true) {
            skipSpace();
            char op = peek();
            if (op != '*' && op != '/') {
                return left;
            }
            pos++;
            left = binary(left, term(), op);
        }
    }

    private Node term() {
        skipSpace();
        char c = peek();
        if (c == '(') {
            pos++;
            Node inner = expr();
            expect(')');
            return inner;
        }
        if (Character.isDigit(c)) {
            int start = pos;
            while (pos < text.length() && (Character.isDigit(peek()) || peek() == '.')) {
                pos++;
            }
            double number = Double.parseDouble(text.substring(start, pos));
            return (scrapes, at) -> new Vector(Map.of(), number);
        }
        String name = identifier();
        switch (name) {
            case "sum", "max", "min", "avg" -> {
                return aggregation(name);
            }
            case "histogram_quantile" -> {
                expect('(');
                Node phi = expr();
                expect(',');
                Node buckets = expr();
                expect(')');
                return (scrapes, at) -> {
                    Double quantile = phi.eval(scrapes, at).scalar();
                    if (quantile == null) {
                        throw error("histogram_quantile needs a number as its first argument");
                    }
                    return histogramQuantile(quantile, buckets.eval(scrapes, at));
                };
            }
            case "rate", "increase" -> {
                expect('(');
                Selector selector = selector(identifier());
                expect('[');
                long rangeMillis = duration();
                expect(']');
                expect(')');
                boolean perSecond = name.equals("rate");
                return (scrapes, at) -> range(selector, rangeMillis, perSecond, scrapes, at);
            }
            default -> {
                Selector selector = selector(name);
                return (scrapes, at) -> Vector.of(selector.select(scrapes.get(at)));
            }
        }
    }

    private Node aggregation(String op) {
        skipSpace();
        List<String> by = List.of();
        if (text.startsWith("by", pos)) {
            pos += 2;
            by = labelList();
        }
        expect('(');
        Node inner = expr();
        expect(')');
        List<String> grouping = by;
        return (scrapes, at) -> {
            Vector input = inner.eval(scrapes, at);
            Map<Map<String, String>, List<Double>> groups = new HashMap<>();
            input.values().forEach((labels, value) -> {
                Map<String, String> key = new TreeMap<>();
                for (String label : grouping) {
                    key.put(label, labels.getOrDefault(label, ""));
                }
                groups.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
            });
            Map<Map<String, String>, Double> out = new HashMap<>();
            groups.forEach((key, values) -> out.put(key, switch (op) {
                case "sum" -> values.stream().mapToDouble(Double::doubleValue).sum();
                case "max" -> values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
                case "min" -> values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
                default -> values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
            }));
            return Vector.of(out);
        };
    }

    private List<String> labelList() {
        expect('(');
        List<String> labels = new ArrayList<>();
        while (true) {
            labels.add(identifier());
            skipSpace();
            if (peek() == ',') {
                pos++;
                continue;
            }
            expect(')');
            return labels;
        }
    }

    private record Matcher(String label, String op, String value, Pattern pattern) {
        boolean matches(Map<String, String> labels) {
            String actual = labels.getOrDefault(label, "");
            return switch (op) {
                case "=" -> actual.equals(value);
                case "!=" -> !actual.equals(value);
                case "=~" -> pattern.matcher(actual).matches();
                default -> !pattern.matcher(actual).matches();
            };
        }
    }

    private record Selector(String name, List<Matcher> matchers) {
        Map<Map<String, String>, Double> select(Scrape scrape) {
            Map<Map<String, String>, Double> out = new HashMap<>();
            for (Sample sample : scrape.samples()) {
                if (sample.name().equals(name) && matchers.stream().allMatch(m -> m.matches(sample.labels()))) {
                    out.put(sample.labels(), sample.value());
                }
            }
            return out;
        }
    }

    private Selector selector(String name) {
        metricNames.add(name);
        List<Matcher> matchers = new ArrayList<>();
        skipSpace();
        if (peek() == '{') {
            pos++;
            while (true) {
                skipSpace();
                if (peek() == '}') {
                    pos++;
                    break;
                }
                String label = identifier();
                skipSpace();
                String op;
                if (text.startsWith("=~", pos) || text.startsWith("!~", pos) || text.startsWith("!=", pos)) {
                    op = text.substring(pos, pos + 2);
                    pos += 2;
                } else {
                    expect('=');
                    op = "=";
                }
                String value = string();
                matchers.add(new Matcher(label, op, value, op.contains("~") ? Pattern.compile(value) : null));
                skipSpace();
                if (peek() == ',') {
                    pos++;
                }
            }
        }
        return new Selector(name, matchers);
    }

    private static Vector range(Selector selector, long rangeMillis, boolean perSecond, List<Scrape> scrapes, int at) {
        long end = scrapes.get(at).timeMillis();
        Map<Map<String, String>, double[]> firstLast = new HashMap<>();
        Map<Map<String, String>, long[]> times = new HashMap<>();
        Map<Map<String, String>, Double> increase = new HashMap<>();
        for (int i = 0; i <= at; i++) {
            Scrape scrape = scrapes.get(i);
            if (scrape.timeMillis() <= end - rangeMillis) {
                continue;
            }
            selector.select(scrape).forEach((labels, value) -> {
                double[] seen = firstLast.get(labels);
                if (seen == null) {
                    firstLast.put(labels, new double[] {value, value});
                    times.put(labels, new long[] {scrape.timeMillis(), scrape.timeMillis()});
                    increase.put(labels, 0.0);
                } else {
                    // A counter reset (a restart) counts from zero, as Prometheus does.
                    increase.merge(labels, value >= seen[1] ? value - seen[1] : value, Double::sum);
                    seen[1] = value;
                    times.get(labels)[1] = scrape.timeMillis();
                }
            });
        }
        Map<Map<String, String>, Double> out = new HashMap<>();
        increase.forEach((labels, total) -> {
            long[] span = times.get(labels);
            if (span[1] > span[0]) {
                out.put(labels, perSecond ? total / ((span[1] - span[0]) / 1000.0) : total);
            }
        });
        return Vector.of(out);
    }

    /**
     * Prometheus's {@code histogram_quantile}: the series are grouped by their labels other than
     * {@code le}; in each group the buckets are sorted by bound, the rank {@code φ × count(+Inf)} is found
     * in the first bucket that reaches it and interpolated linearly inside it (from 0, or from the bound
     * below); a rank in the {@code +Inf} bucket gives the highest finite bound. A group without a
     * {@code +Inf} bucket or with no observations has no result.
     */
    static Vector histogramQuantile(double phi, Vector buckets) {
        Map<Map<String, String>, TreeMap<Double, Double>> groups = new HashMap<>();
        buckets.values().forEach((labels, count) -> {
            String le = labels.get("le");
            if (le == null) {
                return;
            }
            Map<String, String> key = new TreeMap<>(labels);
            key.remove("le");
            double bound = le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
            groups.computeIfAbsent(Map.copyOf(key), k -> new TreeMap<>()).merge(bound, count, Double::sum);
        });
        Map<Map<String, String>, Double> out = new HashMap<>();
        groups.forEach((labels, counts) -> {
            Double total = counts.get(Double.POSITIVE_INFINITY);
            if (total == null || total <= 0 || Double.isNaN(phi)) {
                return;
            }
            if (phi < 0 || phi > 1) {
                out.put(labels, phi < 0 ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY);
                return;
            }
            double rank = phi * total;
            double lowerBound = 0;
            double lowerCount = 0;
            double highestFinite = 0;
            for (Map.Entry<Double, Double> bucket : counts.entrySet()) {
                double bound = bucket.getKey();
                double count = bucket.getValue();
                if (count >= rank) {
                    if (Double.isInfinite(bound)) {
                        out.put(labels, highestFinite);
                    } else if (count == lowerCount) {
                        out.put(labels, bound);
                    } else {
                        out.put(labels, lowerBound + (bound - lowerBound) * (rank - lowerCount) / (count - lowerCount));
                    }
                    return;
                }
                lowerBound = bound;
                lowerCount = count;
                if (!Double.isInfinite(bound)) {
                    highestFinite = bound;
                }
            }
        });
        return Vector.of(out);
    }

    private static Node binary(Node left, Node right, char op) {
        return (scrapes, at) -> {
            Vector a = left.eval(scrapes, at);
            Vector b = right.eval(scrapes, at);
            if (a.scalar() != null && b.scalar() != null) {
                return new Vector(Map.of(), apply(a.scalar(), b.scalar(), op));
            }
            Map<Map<String, String>, Double> out = new HashMap<>();
            if (a.scalar() != null || b.scalar() != null) {
                Vector vector = a.scalar() != null ? b : a;
                vector.values().forEach((labels, value) -> out.put(labels,
                        a.scalar() != null ? apply(a.scalar(), value, op) : apply(value, b.scalar(), op)));
            } else {
                a.values().forEach((labels, value) -> {
                    Double other = b.values().get(labels);
                    if (other != null) {
                        out.put(labels, apply(value, other, op));
                    }
                });
            }
            out.values().removeIf(value -> value.isNaN() || value.isInfinite());
            return Vector.of(out);
        };
    }

    private static double apply(double a, double b, char op) {
        return switch (op) {
            case '+' -> a + b;
            case '-' -> a - b;
            case '*' -> a * b;
            default -> a / b;
        };
    }

    // ---- tokens ------------------------------------------------------------------------------------

    private String identifier() {
        skipSpace();
        int start = pos;
        while (pos < text.length() && (Character.isLetterOrDigit(peek()) || peek() == '_' || peek() == ':')) {
            pos++;
        }
        if (start == pos) {
            throw error("a name expected");
        }
        return text.substring(start, pos);
    }

    private String string() {
        skipSpace();
        expect('"');
        StringBuilder value = new StringBuilder();
        while (pos < text.length() && peek() != '"') {
            char c = text.charAt(pos++);
            if (c == '\\' && pos < text.length()) {
                c = text.charAt(pos++);
            }
            value.append(c);
        }
        expect('"');
        return value.toString();
    }

    private long duration() {
        skipSpace();
        int start = pos;
        while (pos < text.length() && Character.isDigit(peek())) {
            pos++;
        }
        long amount = Long.parseLong(text.substring(start, pos));
        char unit = text.charAt(pos++);
        return switch (unit) {
            case 's' -> amount * 1_000;
            case 'm' -> amount * 60_000;
            case 'h' -> amount * 3_600_000;
            default -> throw error("unsupported duration unit " + unit);
        };
    }

    private void expect(char c) {
        skipSpace();
        if (peek() != c) {
            throw error("'" + c + "' expected");
        }
        pos++;
    }

    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private void skipSpace() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    private IllegalArgumentException error(String what) {
        return new IllegalArgumentException(what + " at " + pos + " in: " + text);
    }

    /**
     * Reads a file of scrapes: {@code # SCRAPE <epoch ms>} lines, each followed by Prometheus exposition
     * text.
     *
     * @param lines the file's lines
     * @return the scrapes in file order
     */
    static List<Scrape> readScrapes(List<String> lines) {
        List<Scrape> scrapes = new ArrayList<>();
        long time = -1;
        List<Sample> samples = null;
        for (String line : lines) {
            if (line.startsWith("# SCRAPE ")) {
                if (samples != null) {
                    scrapes.add(new Scrape(time, samples));
                }
                time = Long.parseLong(line.substring(9).trim());
                samples = new ArrayList<>();
            } else if (samples != null && !line.isBlank() && !line.startsWith("#")) {
                samples.add(sample(line));
            }
        }
        if (samples != null) {
            scrapes.add(new Scrape(time, samples));
        }
        return scrapes;
    }

    /** @return one exposition line, {@code name{a="b",...} value}, read */
    static Sample sample(String line) {
        int brace = line.indexOf('{');
        int space = line.lastIndexOf(' ');
        Map<String, String> labels = new TreeMap<>();
        String name;
        if (brace >= 0 && brace < space) {
            name = line.substring(0, brace);
            String body = line.substring(brace + 1, line.lastIndexOf('}'));
            java.util.regex.Matcher pair = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(body);
            while (pair.find()) {
                labels.put(pair.group(1), pair.group(2).replace("\\\"", "\"").replace("\\\\", "\\"));
            }
        } else {
            name = line.substring(0, space);
        }
        return new Sample(name, Map.copyOf(labels), Double.parseDouble(line.substring(space + 1).trim()));
    }
}
