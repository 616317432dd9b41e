package dev.notejam.app.web;

import dev.notejam.app.pad.Pad;
import dev.notejam.app.pad.PadService;
import dev.notejam.app.user.CurrentUser;
import dev.notejam.app.user.User;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

import java.util.List;
import java.util.Optional;

/** What every page's header, sidebar and footer need. */
@ControllerAdvice
class LayoutAdvice {

    private final CurrentUser currentUser;
    private final PadService pads;
    private final String version;

    LayoutAdvice(CurrentUser currentUser, PadService pads, ObjectProvider<BuildProperties> build) {
        this.currentUser = currentUser;
        this.pads = pads;
        BuildProperties info = build.getIfAvailable();
        this.version = info == null ? "dev" : info.getVersion();
    }

    @ModelAttribute("appVersion")
    String appVersion() {
        return version;
    }

    @ModelAttribute("signedInEmail")
    String signedInEmail() {
        return currentUser.find().map(User::email).orElse(null);
    }

    @ModelAttribute("myPads")
    List<Pad> myPads() {
        Optional<User> user = currentUser.find();
        return user.map(u -> pads.listFor(u.id())).orElse(List.of());
    }
}
