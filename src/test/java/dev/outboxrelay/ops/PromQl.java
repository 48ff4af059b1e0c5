package dev.outboxrelay.ops;

import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The metric names a PromQL expression selects, for checking dashboards and alert rules against what the relay
 * exports. A tokenizer, not a parser: it drops strings, label matchers ({...}), ranges ([...]), numbers and
 * durations, Grafana variables ($name, ${name}), function calls, keywords and aggregation operators, and the label
 * lists of by/without/on/ignoring/group_left/group_right; every other identifier is a metric name. A selector without
 * a name ({__name__="x"}) is not seen.
 */
final class PromQl {

    /** Words that are never a metric name where they stand without a "(" after them. */
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "inf", "nan",
            "group_left", "group_right", "sum", "min", "max", "avg", "group", "stddev", "stdvar", "count",
            "count_values", "bottomk", "topk", "quantile", "limitk", "limit_ratio");
    /** Keywords followed by a list of label names in parentheses. */
    private static final Set<String> LABEL_LISTS = Set.of("by", "without", "on", "ignoring", "group_left",
            "group_right");

    private PromQl() {
    }

    static Set<String> metricNames(String text) {
        Set<String> names = new TreeSet<>();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '"' || c == '\'' || c == '`') {
                i = afterString(text, i);
            } else if (c == '{') {
                i = afterGroup(text, i, '{', '}');
            } else if (c == '[') {
                i = afterGroup(text, i, '[', ']');
            } else if (c == '#') {
                int end = text.indexOf('\n', i);
                i = end < 0 ? text.length() : end;
            } else if (c == '$') {
                i = i + 1 < text.length() && text.charAt(i + 1) == '{'
                        ? afterGroup(text, i + 1, '{', '}') : afterWord(text, i + 1);
            } else if (Character.isDigit(c)) {
                i = afterWord(text, i);
            } else if (startsName(c)) {
                int end = afterWord(text, i);
                String word = text.substring(i, end);
                String keyword = word.toLowerCase(Locale.ROOT);
                int next = skipSpaces(text, end);
                boolean parenthesis = next < text.length() && text.charAt(next) == '(';
                if (LABEL_LISTS.contains(keyword) && parenthesis) {
                    end = afterGroup(text, next, '(', ')');
                } else if (!parenthesis && !KEYWORDS.contains(keyword) && !LABEL_LISTS.contains(keyword)) {
                    names.add(word);
                }
                i = end;
            } else {
                i++;
            }
        }
        return names;
    }

    private static boolean startsName(char c) {
        return Character.isLetter(c) || c == '_' || c == ':';
    }

    /** Past a run of name characters; also ends a number or duration (1e3, 0x1f, 5m, 1h30m). */
    private static int afterWord(String text, int from) {
        int i = from;
        while (i < text.length() && (Character.isLetterOrDigit(text.charAt(i)) || "_:.".indexOf(text.charAt(i)) >= 0)) {
            i++;
        }
        return i;
    }

    private static int afterString(String text, int from) {
        char quote = text.charAt(from);
        int i = from + 1;
        while (i < text.length() && text.charAt(i) != quote) {
            i += text.charAt(i) == '\\' && quote != '`' ? 2 : 1;
        }
        return i + 1;
    }

    private static int afterGroup(String text, int from, char open, char close) {
        int depth = 0;
        int i = from;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '"' || c == '\'' || c == '`') {
                i = afterString(text, i);
                continue;
            }
            if (c == open) {
                depth++;
            } else if (c == close && --depth == 0) {
                return i + 1;
            }
            i++;
        }
        throw new IllegalArgumentException("no closing " + close + " in: " + text);
    }

    private static int skipSpaces(String text, int from) {
        int i = from;
        while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
            i++;
        }
        return i;
    }
}
