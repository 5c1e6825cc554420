package dev.rawzone.core.pull;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The forms in which a credential sent to an API may come back in what it answers (an error page that echoes the
 * request headers): as is, URL-encoded (upper- or lower-case escapes, space as {@code +} or {@code %20}), and
 * base64, standard and URL-safe, with and without padding. Each secret is given as sent: the token, and the full
 * header value such as {@code Bearer <token>}.
 */
final class Credentials {
    static final String MARKER = "***";
    private static final int MIN_LENGTH = 4;
    private static final Pattern ESCAPE = Pattern.compile("%[0-9A-F]{2}");

    private final List<String> forms;

    private Credentials(List<String> forms) {
        this.forms = forms;
    }

    static Credentials of(Collection<String> secrets) {
        Set<String> forms = new LinkedHashSet<>();
        for (String secret : secrets) {
            if (secret != null && secret.length() >= MIN_LENGTH) {
                forms.addAll(forms(secret));
            }
        }
        return new Credentials(forms.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList());
    }

    private static List<String> forms(String secret) {
        byte[] utf8 = secret.getBytes(StandardCharsets.UTF_8);
        String url = URLEncoder.encode(secret, StandardCharsets.UTF_8);
        String url20 = url.replace("+", "%20");
        return List.of(secret, url, url20, lowerEscapes(url), lowerEscapes(url20),
                Base64.getEncoder().encodeToString(utf8),
                Base64.getEncoder().withoutPadding().encodeToString(utf8),
                Base64.getUrlEncoder().encodeToString(utf8),
                Base64.getUrlEncoder().withoutPadding().encodeToString(utf8));
    }

    private static String lowerEscapes(String url) {
        Matcher escape = ESCAPE.matcher(url);
        return escape.replaceAll(found -> found.group().toLowerCase(Locale.ROOT));
    }

    boolean foundIn(String text) {
        return forms.stream().anyMatch(text::contains);
    }

    /** {@code text} with every occurrence of every form replaced by {@link #MARKER}. */
    String scrub(String text) {
        String clean = text;
        for (String form : forms) {
            clean = clean.replace(form, MARKER);
        }
        return clean;
    }

    /**
     * The same for bytes in any ASCII-compatible charset, leaving every other byte as it was: the bytes are read
     * one char per byte (ISO-8859-1) and the forms as their UTF-8 bytes.
     */
    byte[] scrub(byte[] bytes) {
        String view = new String(bytes, StandardCharsets.ISO_8859_1);
        String clean = view;
        for (String form : forms) {
            clean = clean.replace(new String(form.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1), MARKER);
        }
        return clean.equals(view) ? bytes : clean.getBytes(StandardCharsets.ISO_8859_1);
    }
}
