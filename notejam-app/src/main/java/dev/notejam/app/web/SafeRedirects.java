package dev.notejam.app.web;

import java.net.URI;

/** Keeps "back to the wanted page" redirects on this site: only local absolute paths pass. */
public final class SafeRedirects {

    private SafeRedirects() {
    }

    public static String localPathOrRoot(String next) {
        if (next == null || next.isEmpty() || next.length() > 2048) {
            return "/";
        }
        // "//host" and "/\host" are protocol-relative in browsers; control characters could split headers.
        if (!next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\") || next.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            return "/";
        }
        try {
            URI uri = new URI(next);
            if (uri.getScheme() != null || uri.getRawAuthority() != null) {
                return "/";
            }
        } catch (Exception malformed) {
            return "/";
        }
        return next;
    }
}
