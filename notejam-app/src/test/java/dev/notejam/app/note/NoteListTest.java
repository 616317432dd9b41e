package dev.notejam.app.note;

import dev.notejam.app.testsupport.Browser;
import dev.notejam.app.testsupport.WebTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class NoteListTest extends WebTest {

    /** Notes "banana" (oldest), "apple" (newest), "cherry" (middle); returns their browser. */
    private Browser userWithThreeNotes(Long padId, Browser user) {
        Instant now = Instant.now();
        String[][] notes = {{"banana", "3"}, {"apple", "1"}, {"cherry", "2"}};
        for (String[] note : notes) {
            long id = createNote(user, note[0], "text", padId);
            jdbc.sql("update notes set updated_at = ? where id = ?")
                    .param(Timestamp.from(now.minus(Long.parseLong(note[1]), ChronoUnit.HOURS))).param(id).update();
        }
        return user;
    }

    private static List<String> names(Browser.Response page) {
        return page.html().select("table.notes tbody td:first-child a").eachText();
    }

    @ParameterizedTest(name = "order={0}")
    @CsvSource({
            "name, apple|banana|cherry",
            "-name, cherry|banana|apple",
            "updated_at, banana|cherry|apple",
            "-updated_at, apple|cherry|banana",
            "bogus, apple|cherry|banana",
            "'name;drop table notes', apple|cherry|banana"})
    void allNotesAreSortedByTheOrderParameterWithFallbackToNewestFirst(String order, String expected) {
        Browser user = userWithThreeNotes(null, signedInUser());
        Browser.Response page = user.get("/?order=" + java.net.URLEncoder.encode(order, java.nio.charset.StandardCharsets.UTF_8));
        assertThat(page.status()).isEqualTo(200);
        assertThat(names(page)).containsExactly(expected.split("\\|"));
        assertThat(count("select count(*) from information_schema.tables where table_name = 'notes'")).isEqualTo(1);
    }

    @Test
    void defaultOrderIsNewestFirst() {
        Browser user = userWithThreeNotes(null, signedInUser());
        assertThat(names(user.get("/"))).containsExactly("apple", "cherry", "banana");
    }

    @ParameterizedTest(name = "pad page order={0}")
    @CsvSource({"name, apple|banana|cherry", "-updated_at, apple|cherry|banana", "updated_at, banana|cherry|apple", "-name, cherry|banana|apple"})
    void padPageIsSortedToo(String order, String expected) {
        Browser user = signedInUser();
        long padId = createPad(user, "Fruit");
        userWithThreeNotes(padId, user);
        createNote(user, "outside the pad", "x", null);

        Browser.Response page = user.get("/pads/" + padId + "/?order=" + order);
        assertThat(names(page)).containsExactly(expected.split("\\|"));
        assertThat(page.html().select("th a.sort").eachAttr("href")).contains("/pads/" + padId + "/?order=name");
    }

    @Test
    void allNotesShowsCountPadColumnAndSmartDates() {
        Browser user = signedInUser();
        long padId = createPad(user, "Pad A");
        createNote(user, "In pad", "x", padId);
        createNote(user, "No pad note", "y", null);

        Browser.Response page = user.get("/");
        assertThat(page.html().selectFirst("h1").text()).isEqualTo("All notes (2)");
        assertThat(page.html().select("table.notes tbody tr td:nth-child(2)").eachText()).containsExactlyInAnyOrder("Pad A", "No pad");
        assertThat(page.html().select("td.date").eachText()).allMatch(d -> d.startsWith("Today at "));
        assertThat(page.html().select(".actions a").text()).isEqualTo("New note");
    }

    @Test
    void emptyStateInvitesTheFirstNote() {
        Browser.Response page = signedInUser().get("/");
        assertThat(page.html().selectFirst("h1").text()).isEqualTo("All notes (0)");
        assertThat(page.html().select(".empty").text()).isEqualTo("Create your first note.");
        assertThat(page.html().select("table.notes")).isEmpty();
    }

    @Test
    void listsArePagedByTwentyAndKeepTheOrder() {
        String email = uniqueEmail();
        Browser user = signedInUser(email);
        long userId = jdbc.sql("select id from users where email = ?").param(email).query(Long.class).single();
        IntStream.rangeClosed(1, 45).forEach(i -> jdbc.sql("insert into notes (owner_id, name, text) values (?, ?, 'bulk')")
                .param(userId).param("note %02d".formatted(i)).update());

        Browser.Response first = user.get("/?order=name");
        assertThat(first.html().selectFirst("h1").text()).isEqualTo("All notes (45)");
        assertThat(names(first)).hasSize(20).first().isEqualTo("note 01");
        assertThat(first.html().select(".pager").text()).contains("Page 1 of 3");
        assertThat(first.html().select(".pager a").attr("href")).startsWith("/?order=name&page=2&after=");

        Browser.Response third = user.get("/?order=name&page=3");
        assertThat(names(third)).containsExactly("note 41", "note 42", "note 43", "note 44", "note 45");
        assertThat(names(user.get("/?order=name&page=999"))).as("past the end shows the last page").hasSize(5);
        for (String digits : new String[]{"999999999", "9999999999", "000000000000000000003", "99999999999999999999999999"}) {
            assertThat(names(user.get("/?order=name&page=" + digits))).as("page=%s", digits).containsExactly(names(third).toArray(String[]::new));
        }
        assertThat(names(user.get("/?order=name&page=-1%3B%20select%201"))).as("garbage means page 1").first().isEqualTo("note 01");
    }

    @Test
    void nameOrderIgnoresCaseAndDoesNotDependOnTheDatabaseCollation() {
        Browser user = signedInUser();
        long pad = createPad(user, "fruit");
        for (String name : new String[]{"Cherry", "apple", "Banana", "banana split", "Äpfel", "zucchini"}) {
            createNote(user, name, "text", pad);
        }
        List<String> ascending = List.of("apple", "Banana", "banana split", "Cherry", "zucchini", "Äpfel");
        assertThat(names(user.get("/?order=name"))).containsExactlyElementsOf(ascending);
        assertThat(names(user.get("/pads/" + pad + "/?order=name"))).containsExactlyElementsOf(ascending);
        List<String> descending = new java.util.ArrayList<>(ascending);
        java.util.Collections.reverse(descending);
        assertThat(names(user.get("/?order=-name"))).containsExactlyElementsOf(descending);
    }
}
