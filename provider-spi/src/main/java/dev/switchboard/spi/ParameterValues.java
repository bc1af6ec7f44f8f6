package dev.switchboard.spi;

import java.util.ArrayList;
import java.util.List;

/** Converts loosely typed parameter values (from config, annotations or JSON) to typed request fields. */
final class ParameterValues {
    private ParameterValues() {
    }

    static void apply(ChatRequest.Builder b, String name, Object value) {
        switch (name) {
            case "temperature": b.temperature(toDouble(name, value)); break;
            case "top_p": b.topP(toDouble(name, value)); break;
            case "max_tokens": case "max_completion_tokens": case "max_output_tokens": b.maxTokens(toInt(name, value)); break;
            case "stop": b.stop(toStringList(name, value)); break;
            case "seed": b.seed(toLong(name, value)); break;
            case "n": b.n(toInt(name, value)); break;
            default: b.extra(name, value);
        }
    }

    private static Double toDouble(String name, Object v) {
        if (v == null) {
            return null;
        }
        if (v instanceof Number num) {
            double d = num.doubleValue();
            if (!Double.isFinite(d)) {
                throw new IllegalArgumentException(name + " must be a finite number, was " + v);
            }
            return d;
        }
        if (v instanceof String s) {
            try {
                return toDouble(name, Double.parseDouble(s.trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + " must be a number, was '" + s + "'");
            }
        }
        throw new IllegalArgumentException(name + " must be a number, was " + typeName(v));
    }

    private static Long toLong(String name, Object v) {
        if (v == null) {
            return null;
        }
        if (v instanceof Number num) {
            double d = num.doubleValue();
            if (d != Math.rint(d) || !Double.isFinite(d)) {
                throw new IllegalArgumentException(name + " must be a whole number, was " + v);
            }
            // longValue() of a BigInteger keeps the low 64 bits and that of a double saturates: refuse, never wrap.
            boolean fits = v instanceof java.math.BigInteger bi ? bi.bitLength() <= 63
                    : v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte
                    || Math.abs(d) < 0x1p63;
            if (!fits) {
                throw new IllegalArgumentException(name + " is out of range: " + v);
            }
            return num.longValue();
        }
        if (v instanceof String s) {
            try {
                return Long.parseLong(s.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + " must be a whole number, was '" + s + "'");
            }
        }
        throw new IllegalArgumentException(name + " must be a whole number, was " + typeName(v));
    }

    private static Integer toInt(String name, Object v) {
        Long l = toLong(name, v);
        if (l == null) {
            return null;
        }
        if (l > Integer.MAX_VALUE || l < Integer.MIN_VALUE) {
            throw new IllegalArgumentException(name + " is out of range: " + l);
        }
        return l.intValue();
    }

    private static List<String> toStringList(String name, Object v) {
        if (v == null) {
            return null;
        }
        if (v instanceof String s) {
            return List.of(s);
        }
        if (v instanceof List<?> list) {
            List<String> out = new ArrayList<>(list.size());
            for (Object o : list) {
                if (!(o instanceof String s)) {
                    throw new IllegalArgumentException(name + " must be a string or a list of strings, found " + typeName(o));
                }
                out.add(s);
            }
            return out;
        }
        throw new IllegalArgumentException(name + " must be a string or a list of strings, was " + typeName(v));
    }

    private static String typeName(Object v) {
        return v == null ? "null" : v instanceof Boolean ? "a boolean" : v instanceof List ? "a list"
                : v instanceof java.util.Map ? "an object" : v.getClass().getSimpleName();
    }
}
