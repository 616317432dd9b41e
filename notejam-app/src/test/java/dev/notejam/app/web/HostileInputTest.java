package dev.notejam.app.web;

import dev.notejam.app.testsupport.Browser;
import dev.notejam.app.testsupport.WebTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A corpus of malformed and malicious requests. For each: the expected status (or a form error), never a 500 or a
 * stack trace, and the victim's data and the row counts unchanged.
 */
class HostileInputTest extends WebTest {

    private static final Set<Integer> REFUSED = Set.of(400, 403, 404, 405, 413, 414, 431);
    private static final Set<Integer> PAGE = Set.of(200);
    private static final Set<Integer> FORM_ERROR = Set.of(200);

    private Browser attacker;
    private long victimNote;
    private long victimPad;
    private long attackerPad;

    /** One hostile request: what it sends, which statuses are right, and whether stored data may change. */
    record Attack(String name, Function<Browser, Browser.Response> send, Set<Integer> expected, boolean mayStore) {
    }

    @BeforeEach
    void victimAndAttacker() {
        Browser victim = signedInUser();
        victimPad = createPad(victim, "victim pad");
        victimNote = createNote(victim, "victim note", "victim text", victimPad);
        attacker = signedInUser();
        attackerPad = createPad(attacker, "attacker pad");
        attacker.get("/notes/create/");
    }

    private String snapshot() {
        return jdbc.sql("""
                        select (select count(*) from users) || '/' || (select count(*) from pads) || '/' || (select count(*) from notes)
                            || '/' || (select md5(string_agg(id || name || text || coalesce(pad_id, 0) || updated_at, ',' order by id)) from notes)
                            || '/' || (select md5(string_agg(id || name || updated_at, ',' order by id)) from pads)""")
                .query(String.class).single();
    }

    private String victimSnapshot() {
        return jdbc.sql("select n.name || n.text || p.name from notes n join pads p on p.id = n.pad_id where n.id = ?")
                .param(victimNote).query(String.class).single();
    }

    private static Attack get(String name, String path, Set<Integer> expected) {
        return new Attack(name, b -> b.get(path), expected, false);
    }

    private static Attack post(String name, String path, Map<String, String> form, Set<Integer> expected) {
        return new Attack(name, b -> b.post(path, form), expected, false);
    }

    private static Map<String, String> note(String name, String text, String pad) {
        return Map.of("name", name, "text", text, "pad", pad);
    }

    private List<Attack> corpus() {
        String v = String.valueOf(victimNote);
        String vp = String.valueOf(victimPad);
        List<Attack> attacks = new ArrayList<>(List.of(
                // SQL fragments in order and page
                get("order with DROP", "/?order=name%3Bdrop%20table%20notes--", PAGE),
                get("order with subquery", "/?order=(select%20password_hash%20from%20users)", PAGE),
                get("order with quote", "/?order=%27", PAGE),
                get("order with desc clause", "/?order=name%20desc", PAGE),
                get("order on pad page", "/pads/" + attackerPad + "/?order=1%3Bdelete%20from%20pads", PAGE),
                get("page with DELETE", "/?page=1%3Bdelete%20from%20notes", PAGE),
                get("negative page", "/?page=-5", PAGE),
                get("huge page number", "/?page=99999999999999999999", PAGE),
                get("page of ten digits", "/?page=9999999999", PAGE),
                get("page with leading zeros", "/?page=000000000000000000002", PAGE),
                get("victim's note as the pager's position", "/?page=2&after=" + v, PAGE),
                get("pager position with SQL", "/?page=2&before=1%20or%201%3D1", PAGE),
                get("page in exponent form", "/?page=1e9", PAGE),
                get("page with NUL", "/?page=%00", REFUSED),
                // ids
                get("id with OR", "/notes/1%20or%201=1/", REFUSED),
                get("id with quote", "/notes/%27/", REFUSED),
                get("id in hex", "/pads/0x10/", REFUSED),
                get("id overflow", "/notes/92233720368547758070/", REFUSED),
                get("negative id", "/notes/-" + v + "/", REFUSED),
                get("victim's note", "/notes/" + v + "/", REFUSED),
                get("victim's note edit form", "/notes/" + v + "/edit/", REFUSED),
                get("victim's pad", "/pads/" + vp + "/", REFUSED),
                get("victim's pad by path parameter", "/pads/" + vp + ";jsessionid=x/", REFUSED),
                post("edit victim's note", "/notes/" + v + "/edit/", note("owned", "owned", ""), REFUSED),
                post("delete victim's note", "/notes/" + v + "/delete/", Map.of(), REFUSED),
                post("rename victim's pad", "/pads/" + vp + "/edit/", Map.of("name", "owned"), REFUSED),
                post("delete victim's pad", "/pads/" + vp + "/delete/", Map.of(), REFUSED),
                post("note into victim's pad", "/notes/create/", note("x", "y", vp), FORM_ERROR),
                post("pad field with SQL", "/notes/create/", note("x", "y", "1 or 1=1"), FORM_ERROR),
                post("pad field negative", "/notes/create/", note("x", "y", "-1"), FORM_ERROR),
                post("pad field overflow", "/notes/create/", note("x", "y", "999999999999999999999999"), FORM_ERROR),
                // path tricks
                get("dot-dot to etc", "/css/../../etc/passwd", REFUSED),
                get("encoded dot-dot", "/%2e%2e/%2e%2e/etc/passwd", REFUSED),
                get("double-encoded dot-dot", "/notes/%252e%252e/", REFUSED),
                get("encoded slash", "/notes/%2F/", REFUSED),
                get("WEB-INF", "/WEB-INF/web.xml", REFUSED),
                get("semicolon traversal", "/..;/notes/", REFUSED),
                get("actuator on the app port", "/actuator/env", REFUSED),
                get("fullwidth letters", "/%EF%BD%8Eotes/1/", REFUSED),
                get("10 KB path", "/" + "a".repeat(10_000), REFUSED),
                // form fields
                post("1 MB note text", "/notes/create/", note("big", "x".repeat(1_000_000), ""), Set.of(413)),
                post("10 KB note name", "/notes/create/", note("n".repeat(10_000), "text", ""), FORM_ERROR),
                post("10 KB pad name", "/pads/create/", Map.of("name", "p".repeat(10_000)), FORM_ERROR),
                post("note text over 10000", "/notes/create/", note("n", "t".repeat(10_001), ""), FORM_ERROR),
                post("NUL in note name", "/notes/create/", note("a\0b", "text", ""), REFUSED),
                post("NUL in note text", "/notes/create/", note("name", "te\0xt", ""), REFUSED),
                post("NUL in pad name", "/pads/create/", Map.of("name", "\0"), REFUSED),
                post("blank name", "/notes/create/", note("   ", "text", ""), FORM_ERROR),
                post("SQL in sign-in email", "/signin/", Map.of("email", "' or '1'='1", "password", "' or '1'='1"), FORM_ERROR),
                post("SQL in sign-up email", "/signup/", Map.of("email", "x'--@example.com;drop table users", "password", "p", "repeatPassword", "p"), FORM_ERROR),
                post("73-byte password at sign-up", "/signup/", Map.of("email", "long-" + System.nanoTime() + "@example.com",
                        "password", "p".repeat(73), "repeatPassword", "p".repeat(73)), FORM_ERROR),
                post("25 CJK characters as password", "/signup/", Map.of("email", "cjk-" + System.nanoTime() + "@example.com",
                        "password", "密".repeat(25), "repeatPassword", "密".repeat(25)), FORM_ERROR),
                post("1000-character sign-in password", "/signin/", Map.of("email", "nobody@example.com", "password", "x".repeat(1_000)), FORM_ERROR),
                post("73-byte new password in settings", "/settings/", Map.of("currentPassword", PASSWORD,
                        "newPassword", "p".repeat(73), "repeatPassword", "p".repeat(73)), FORM_ERROR),
                post("1000-character current password in settings", "/settings/", Map.of("currentPassword", "x".repeat(1_000),
                        "newPassword", "new password 1", "repeatPassword", "new password 1"), FORM_ERROR),
                post("unknown form field", "/pads/create/", Map.of("name", "", "owner_id", "1", "id", v), FORM_ERROR),
                // CSRF
                new Attack("missing CSRF token", b -> b.postRaw("/pads/create/", "name=no-token"), Set.of(403), false),
                new Attack("wrong CSRF token", b -> b.postRaw("/pads/create/", "_csrf=forged&name=forged"), Set.of(403), false),
                new Attack("CSRF token of another session", b -> b.postRaw("/pads/create/", "_csrf=" + otherSessionToken() + "&name=stolen"), Set.of(403), false),
                new Attack("forged CSRF cookie with the same value as the token", b -> b.send(HttpRequest.newBuilder(b.uri("/pads/create/"))
                        .header("Content-Type", "application/x-www-form-urlencoded").header("Cookie", "XSRF-TOKEN=forged")
                        .POST(HttpRequest.BodyPublishers.ofString("_csrf=forged&name=forged"))), Set.of(403), false),
                new Attack("JSON body instead of form", b -> b.send(HttpRequest.newBuilder(b.uri("/pads/create/"))
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"json\"}"))), Set.of(403, 415), false),
                // methods
                new Attack("PUT on a note", b -> b.send(HttpRequest.newBuilder(b.uri("/notes/" + v + "/")).PUT(HttpRequest.BodyPublishers.noBody())), REFUSED, false),
                new Attack("DELETE on a pad", b -> b.send(HttpRequest.newBuilder(b.uri("/pads/" + vp + "/")).DELETE()), REFUSED, false),
                new Attack("PATCH on all notes", b -> b.send(HttpRequest.newBuilder(b.uri("/")).method("PATCH", HttpRequest.BodyPublishers.noBody())), REFUSED, false),
                get("GET on sign-out", "/signout/", REFUSED),
                // headers
                new Attack("20 KB header", b -> rawRequest("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + "h".repeat(20_000) + "\r\nConnection: close\r\n\r\n"), REFUSED, false),
                new Attack("20 KB cookie", b -> rawRequest("GET /signin/ HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: SESSION=" + "c".repeat(20_000) + "\r\nConnection: close\r\n\r\n"), REFUSED, false),
                new Attack("chunked form body", b -> rawRequest("POST /pads/create/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                        + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n5\r\nname=\r\n0\r\n\r\n"), Set.of(403, 413), false),
                // unicode: accepted, stored intact, escaped on output
                new Attack("emoji and right-to-left text", b -> b.post("/notes/create/", note("📝 ملاحظة \u202Eevil", "שלום 👋 עולם", "")), Set.of(302), true),
                get("redirect to another site after sign-in", "/signin/?next=https%3A%2F%2Fevil.example", PAGE),
                get("header injection in next", "/signin/?next=/%0d%0aSet-Cookie:%20x=1", PAGE)));
        return attacks;
    }

    private String otherSessionToken() {
        Browser other = browser();
        other.get("/signin/");
        return other.get("/signin/").html().selectFirst("input[name=_csrf]").attr("value");
    }

    /** Sends bytes the HTTP client would refuse to build, and reads the status line. */
    private Browser.Response rawRequest(String request) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            String response = new String(in.readNBytes(16_384), StandardCharsets.ISO_8859_1);
            Matcher status = Pattern.compile("^HTTP/1\\.1 (\\d{3})").matcher(response);
            assertThat(status.find()).as("status line in %s", response).isTrue();
            return new Browser.Response(Integer.parseInt(status.group(1)), HttpRequest.newBuilder(attacker.uri("/")).build().headers(),
                    response.substring(Math.min(response.length(), response.indexOf("\r\n\r\n") + 4)));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @TestFactory
    List<DynamicTest> hostileRequestsAreRefusedCleanlyAndChangeNothing() {
        List<Attack> corpus = corpus();
        assertThat(corpus).hasSizeGreaterThanOrEqualTo(50);
        return corpus.stream().map(attack -> DynamicTest.dynamicTest(attack.name(), () -> {
            String before = snapshot();
            String victimBefore = victimSnapshot();
            attacker.get("/notes/create/"); // a fresh CSRF token, as the attacker's own browser would have

            Browser.Response response = attack.send().apply(attacker);

            assertThat(response.status()).as("%s: status", attack.name()).isIn(attack.expected()).isNotEqualTo(500);
            assertThat(response.body()).as("%s: no stack trace", attack.name())
                    .doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("at dev.notejam").doesNotContain("at org.springframework");
            if (attack.expected() == FORM_ERROR && attack.expected().contains(response.status())) {
                assertThat(response.html().select(".field-errors, .form-error")).as("%s: a form error is shown", attack.name()).isNotEmpty();
            }
            assertThat(victimSnapshot()).as("%s: victim's data", attack.name()).isEqualTo(victimBefore);
            if (!attack.mayStore()) {
                assertThat(snapshot()).as("%s: stored data", attack.name()).isEqualTo(before);
            }
        })).toList();
    }
}
