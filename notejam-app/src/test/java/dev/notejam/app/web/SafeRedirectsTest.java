package dev.notejam.app.web;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class SafeRedirectsTest {

    @ParameterizedTest(name = "[{0}] -> {1}")
    @CsvSource(value = {
            "/pads/1/|/pads/1/", "/?order=name|/?order=name", "https://evil.example|/", "//evil.example|/",
            "/\\evil.example|/", "javascript:alert(1)|/", "evil|/", "''|/", "/ok%0d%0aSet-Cookie:x|/ok%0d%0aSet-Cookie:x",
            "http:/evil|/"}, delimiter = '|')
    void onlyLocalPathsPass(String next, String expected) {
        assertThat(SafeRedirects.localPathOrRoot(next)).isEqualTo(expected);
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"/a\nb", "/a\rb", "/a\u0000b"})
    void controlCharactersAreRejected(String next) {
        assertThat(SafeRedirects.localPathOrRoot(next)).isEqualTo("/");
    }
}
