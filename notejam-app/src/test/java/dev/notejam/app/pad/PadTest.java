package dev.notejam.app.pad;

import dev.notejam.app.testsupport.Browser;
import dev.notejam.app.testsupport.WebTest;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PadTest extends WebTest {

    @Test
    void createPadRedirectsToItsPageWithMessage() {
        Browser user = signedInUser();
        Browser.Response created = user.submit("/pads/create/", "/pads/create/", Map.of("name", "Groceries"));

        assertThat(created.status()).isEqualTo(302);
        long padId = idFrom(created.location(), "/pads/");
        Browser.Response page = user.get(created.location());
        assertThat(page.flash()).isEqualTo("Pad is successfully created");
        assertThat(page.html().selectFirst("h1").text()).isEqualTo("Groceries (0)");
        assertThat(page.html().select(".sidebar .pads a").eachText()).containsExactly("Groceries");
        assertThat(jdbc.sql("select name from pads where id = ?").param(padId).query(String.class).single()).isEqualTo("Groceries");
    }

    @Test
    void createPadWithMissingNameIsAFieldError() {
        Browser user = signedInUser();
        long before = count("select count(*) from pads");
        Browser.Response response = user.submit("/pads/create/", "/pads/create/", Map.of("name", "  "));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.fieldErrors("name")).contains("Name is required");
        assertThat(count("select count(*) from pads")).isEqualTo(before);
    }

    @Test
    void ownerEditsPad() {
        Browser user = signedInUser();
        long padId = createPad(user, "Old name");

        Browser.Response edited = user.submit("/pads/" + padId + "/edit/", "/pads/" + padId + "/edit/", Map.of("name", "New name"));

        assertThat(edited.status()).isEqualTo(302);
        assertThat(edited.location()).isEqualTo("/pads/" + padId + "/");
        assertThat(user.get(edited.location()).flash()).isEqualTo("Pad is successfully updated");
        assertThat(jdbc.sql("select name from pads where id = ?").param(padId).query(String.class).single()).isEqualTo("New name");
    }

    @Test
    void editPadWithMissingNameIsAFieldErrorAndKeepsTheName() {
        Browser user = signedInUser();
        long padId = createPad(user, "Keep me");

        Browser.Response edited = user.submit("/pads/" + padId + "/edit/", "/pads/" + padId + "/edit/", Map.of("name", ""));

        assertThat(edited.status()).isEqualTo(200);
        assertThat(edited.fieldErrors("name")).contains("Name is required");
        assertThat(jdbc.sql("select name from pads where id = ?").param(padId).query(String.class).single()).isEqualTo("Keep me");
    }

    @Test
    void nonOwnerCannotEditPad() {
        Browser owner = signedInUser();
        long padId = createPad(owner, "Mine");
        Browser other = signedInUser();

        assertThat(other.get("/pads/" + padId + "/edit/").status()).isEqualTo(404);
        assertThat(other.post("/pads/" + padId + "/edit/", Map.of("name", "Stolen")).status()).isEqualTo(404);
        assertThat(jdbc.sql("select name from pads where id = ?").param(padId).query(String.class).single()).isEqualTo("Mine");
    }

    @Test
    void ownerViewsPadWithItsNotesAndActions() {
        Browser user = signedInUser();
        long padId = createPad(user, "Work");
        createNote(user, "Standup", "notes", padId);
        createNote(user, "Elsewhere", "not in the pad", null);

        Browser.Response page = user.get("/pads/" + padId + "/");

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.html().selectFirst("h1").text()).isEqualTo("Work (1)");
        assertThat(page.html().select("table.notes tbody td:first-child a").eachText()).containsExactly("Standup");
        assertThat(page.html().select(".actions a").eachAttr("href"))
                .contains("/notes/create/?pad=" + padId, "/pads/" + padId + "/edit/");
        assertThat(page.html().select(".actions a").eachText()).contains("New note", "Pad settings");
    }

    @Test
    void nonOwnerCannotViewPad() {
        Browser owner = signedInUser();
        long padId = createPad(owner, "Private");

        Browser.Response response = signedInUser().get("/pads/" + padId + "/");
        assertThat(response.status()).isEqualTo(404);
        assertThat(response.body()).doesNotContain("Private");
    }

    @Test
    void ownerDeletesPadAndItsNotes() {
        Browser user = signedInUser();
        long padId = createPad(user, "Temporary");
        long noteId = createNote(user, "Inside", "text", padId);

        Browser.Response confirm = user.get("/pads/" + padId + "/delete/");
        assertThat(confirm.status()).isEqualTo(200);
        assertThat(confirm.body()).contains("All notes in this pad are deleted too");

        Browser.Response deleted = user.post("/pads/" + padId + "/delete/", Map.of());
        assertThat(deleted.status()).isEqualTo(302);
        assertThat(deleted.location()).isEqualTo("/");
        assertThat(user.get("/").flash()).isEqualTo("Pad is successfully deleted");
        assertThat(count("select count(*) from pads where id = ?", padId)).isZero();
        assertThat(count("select count(*) from notes where id = ?", noteId)).isZero();
    }

    @Test
    void nonOwnerCannotDeletePad() {
        Browser owner = signedInUser();
        long padId = createPad(owner, "Survivor");
        Browser other = signedInUser();

        assertThat(other.get("/pads/" + padId + "/delete/").status()).isEqualTo(404);
        assertThat(other.post("/pads/" + padId + "/delete/", Map.of()).status()).isEqualTo(404);
        assertThat(count("select count(*) from pads where id = ?", padId)).isEqualTo(1);
    }

    @Test
    void sidebarSaysNoPadsWhenThereAreNone() {
        Browser.Response page = signedInUser().get("/");
        assertThat(page.html().select(".sidebar").text()).contains("My pads", "No pads", "New pad");
    }
}
