package dev.notejam.app.note;

import dev.notejam.app.testsupport.Browser;
import dev.notejam.app.testsupport.WebTest;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class NoteTest extends WebTest {

    @Test
    void createNoteRedirectsToItsPageWithMessage() {
        Browser user = signedInUser();
        long padId = createPad(user, "Ideas");
        Browser.Response created = user.submit("/notes/create/", "/notes/create/",
                Map.of("name", "First", "text", "line one\nline two", "pad", String.valueOf(padId)));

        assertThat(created.status()).isEqualTo(302);
        long noteId = idFrom(created.location(), "/notes/");
        Browser.Response page = user.get(created.location());
        assertThat(page.flash()).isEqualTo("Note is successfully created");
        assertThat(page.html().selectFirst("h1").text()).isEqualTo("First");
        assertThat(page.html().selectFirst(".meta").text()).startsWith("Last edited Today at ");
        assertThat(page.html().selectFirst(".note-text").wholeText()).isEqualTo("line one\nline two");
        assertThat(page.html().select(".actions a").eachText()).containsExactly("Edit", "Delete it");
        assertThat(jdbc.sql("select pad_id from notes where id = ?").param(noteId).query(Long.class).single()).isEqualTo(padId);
    }

    @Test
    void anonymousCannotCreateNote() {
        long before = count("select count(*) from notes");
        Browser anonymous = browser();
        anonymous.get("/signin/");

        Browser.Response response = anonymous.post("/notes/create/", Map.of("name", "x", "text", "y", "pad", ""));

        assertThat(response.status()).isEqualTo(302);
        assertThat(response.location()).startsWith("/signin/");
        assertThat(count("select count(*) from notes")).isEqualTo(before);
    }

    @Test
    void createNoteWithMissingFieldsShowsErrors() {
        Browser user = signedInUser();
        long before = count("select count(*) from notes");
        Browser.Response response = user.submit("/notes/create/", "/notes/create/", Map.of("name", "", "text", "", "pad", ""));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.fieldErrors("name")).contains("Name is required");
        assertThat(response.fieldErrors("text")).contains("Text is required");
        assertThat(count("select count(*) from notes")).isEqualTo(before);
    }

    @Test
    void ownerEditsNote() {
        Browser user = signedInUser();
        long noteId = createNote(user, "Draft", "old", null);
        long padId = createPad(user, "Moved here");

        Browser.Response edited = user.submit("/notes/" + noteId + "/edit/", "/notes/" + noteId + "/edit/",
                Map.of("name", "Final", "text", "new", "pad", String.valueOf(padId)));

        assertThat(edited.status()).isEqualTo(302);
        assertThat(edited.location()).isEqualTo("/notes/" + noteId + "/");
        assertThat(user.get(edited.location()).flash()).isEqualTo("Note is successfully updated");
        var row = jdbc.sql("select name, text, pad_id from notes where id = ?").param(noteId).query().singleRow();
        assertThat(row).containsEntry("name", "Final").containsEntry("text", "new").containsEntry("pad_id", padId);
    }

    @Test
    void editNoteWithMissingFieldsShowsErrorsAndKeepsTheNote() {
        Browser user = signedInUser();
        long noteId = createNote(user, "Keep", "kept text", null);

        Browser.Response edited = user.submit("/notes/" + noteId + "/edit/", "/notes/" + noteId + "/edit/",
                Map.of("name", "", "text", "", "pad", ""));

        assertThat(edited.status()).isEqualTo(200);
        assertThat(edited.fieldErrors("name")).contains("Name is required");
        assertThat(edited.fieldErrors("text")).contains("Text is required");
        assertThat(jdbc.sql("select text from notes where id = ?").param(noteId).query(String.class).single()).isEqualTo("kept text");
    }

    @Test
    void nonOwnerCannotEditNote() {
        Browser owner = signedInUser();
        long noteId = createNote(owner, "Mine", "secret", null);
        Browser other = signedInUser();

        assertThat(other.get("/notes/" + noteId + "/edit/").status()).isEqualTo(404);
        assertThat(other.post("/notes/" + noteId + "/edit/", Map.of("name", "Hacked", "text", "x", "pad", "")).status()).isEqualTo(404);
        assertThat(jdbc.sql("select name from notes where id = ?").param(noteId).query(String.class).single()).isEqualTo("Mine");
    }

    @Test
    void noteCannotBeAddedToAnotherUsersPad() {
        Browser owner = signedInUser();
        long foreignPad = createPad(owner, "Not yours");
        Browser other = signedInUser();
        long before = count("select count(*) from notes");

        Browser.Response response = other.submit("/notes/create/", "/notes/create/",
                Map.of("name", "Sneaky", "text", "x", "pad", String.valueOf(foreignPad)));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.fieldErrors("pad")).contains("Choose one of your pads");
        assertThat(count("select count(*) from notes")).isEqualTo(before);
        assertThat(response.body()).doesNotContain("Not yours");
    }

    @Test
    void noteCannotBeMovedToAnotherUsersPadOnEdit() {
        Browser owner = signedInUser();
        long foreignPad = createPad(owner, "Theirs");
        Browser other = signedInUser();
        long noteId = createNote(other, "Mine", "x", null);

        Browser.Response response = other.submit("/notes/" + noteId + "/edit/", "/notes/" + noteId + "/edit/",
                Map.of("name", "Mine", "text", "x", "pad", String.valueOf(foreignPad)));

        assertThat(response.fieldErrors("pad")).contains("Choose one of your pads");
        assertThat(jdbc.sql("select pad_id from notes where id = ?").param(noteId).query(Long.class).optional()).isEmpty();
    }

    @Test
    void ownerViewsNote() {
        Browser user = signedInUser();
        long noteId = createNote(user, "Visible", "body", null);

        Browser.Response page = user.get("/notes/" + noteId + "/");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.title()).startsWith("Visible");
        assertThat(page.html().select(".sidebar h2").text()).isEqualTo("My pads");
    }

    @Test
    void nonOwnerCannotViewNote() {
        Browser owner = signedInUser();
        long noteId = createNote(owner, "Hidden", "very private text", null);

        Browser.Response response = signedInUser().get("/notes/" + noteId + "/");
        assertThat(response.status()).isEqualTo(404);
        assertThat(response.body()).doesNotContain("very private text");
    }

    @Test
    void ownerDeletesNoteAndReturnsToItsPad() {
        Browser user = signedInUser();
        long padId = createPad(user, "Home");
        long inPad = createNote(user, "In pad", "x", padId);
        long loose = createNote(user, "Loose", "y", null);

        assertThat(user.get("/notes/" + inPad + "/delete/").status()).isEqualTo(200);
        Browser.Response deleted = user.post("/notes/" + inPad + "/delete/", Map.of());
        assertThat(deleted.location()).isEqualTo("/pads/" + padId + "/");
        assertThat(user.get(deleted.location()).flash()).isEqualTo("Note is successfully deleted");
        assertThat(user.submit("/notes/" + loose + "/delete/", "/notes/" + loose + "/delete/", Map.of()).location()).isEqualTo("/");
        assertThat(count("select count(*) from notes where id in (?, ?)", inPad, loose)).isZero();
    }

    @Test
    void nonOwnerCannotDeleteNote() {
        Browser owner = signedInUser();
        long noteId = createNote(owner, "Stays", "x", null);
        Browser other = signedInUser();

        assertThat(other.get("/notes/" + noteId + "/delete/").status()).isEqualTo(404);
        assertThat(other.post("/notes/" + noteId + "/delete/", Map.of()).status()).isEqualTo(404);
        assertThat(count("select count(*) from notes where id = ?", noteId)).isEqualTo(1);
    }

    @Test
    void newNoteFromAPadPreselectsThatPad() {
        Browser user = signedInUser();
        long padId = createPad(user, "Preselected");

        Browser.Response form = user.get("/notes/create/?pad=" + padId);
        assertThat(form.html().select("select#pad option[selected]").attr("value")).isEqualTo(String.valueOf(padId));
    }

    @Test
    void trailingSlashIsOptional() {
        Browser user = signedInUser();
        long noteId = createNote(user, "Slashless", "x", null);
        assertThat(user.get("/notes/" + noteId).status()).isEqualTo(200);
        assertThat(user.get("/notes/create").status()).isEqualTo(200);
        assertThat(user.get("/signup").status()).isEqualTo(200);
    }
}
