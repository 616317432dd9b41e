package dev.notejam.app.note;

import dev.notejam.app.pad.Pad;
import dev.notejam.app.pad.PadService;
import dev.notejam.app.user.CurrentUser;
import dev.notejam.app.web.NotFoundException;
import jakarta.validation.Valid;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import java.util.Optional;

@Controller
class NoteController {

    static final String CREATED = "Note is successfully created";
    static final String UPDATED = "Note is successfully updated";
    static final String DELETED = "Note is successfully deleted";
    static final String NOT_YOUR_PAD = "Choose one of your pads";

    private final NoteService notes;
    private final NoteListQuery lists;
    private final PadService pads;
    private final CurrentUser currentUser;

    NoteController(NoteService notes, NoteListQuery lists, PadService pads, CurrentUser currentUser) {
        this.notes = notes;
        this.lists = lists;
        this.pads = pads;
        this.currentUser = currentUser;
    }

    @GetMapping("/")
    String allNotes(@RequestParam(required = false) String order, @RequestParam(required = false) String page,
                    @RequestParam(required = false) String after, @RequestParam(required = false) String before, Model model) {
        model.addAttribute("notes", lists.page(currentUser.id(), null, NoteOrder.parse(order), page, after, before));
        return "note/list";
    }

    @GetMapping({"/notes/create/", "/notes/create"})
    String createForm(@RequestParam(name = "pad", required = false) String padParam, Model model) {
        String preselected = ownPad(padParam).map(p -> p.id().toString()).orElse("");
        model.addAttribute("form", new NoteForm("", "", preselected));
        return "note/create";
    }

    @PostMapping({"/notes/create/", "/notes/create"})
    String create(@Valid @ModelAttribute("form") NoteForm form, BindingResult errors, RedirectAttributes redirect) {
        Pad pad = resolvePad(form.pad(), errors);
        if (errors.hasErrors()) {
            return "note/create";
        }
        Note note = notes.create(currentUser.id(), pad, form.name(), form.text());
        redirect.addFlashAttribute("message", CREATED);
        return "redirect:/notes/" + note.id() + "/";
    }

    @GetMapping({"/notes/{id}/", "/notes/{id}"})
    String view(@PathVariable long id, Model model) {
        Note note = notes.get(currentUser.id(), id);
        model.addAttribute("note", note);
        model.addAttribute("pad", note.padId() == null ? null : pads.get(currentUser.id(), note.padId()));
        return "note/view";
    }

    @GetMapping({"/notes/{id}/edit/", "/notes/{id}/edit"})
    String editForm(@PathVariable long id, Model model) {
        Note note = notes.get(currentUser.id(), id);
        model.addAttribute("note", note);
        model.addAttribute("form", NoteForm.of(note));
        return "note/edit";
    }

    @PostMapping({"/notes/{id}/edit/", "/notes/{id}/edit"})
    String edit(@PathVariable long id, @Valid @ModelAttribute("form") NoteForm form, BindingResult errors,
                Model model, RedirectAttributes redirect) {
        Note note = notes.get(currentUser.id(), id);
        Pad pad = resolvePad(form.pad(), errors);
        if (errors.hasErrors()) {
            model.addAttribute("note", note);
            return "note/edit";
        }
        notes.edit(currentUser.id(), id, pad, form.name(), form.text());
        redirect.addFlashAttribute("message", UPDATED);
        return "redirect:/notes/" + id + "/";
    }

    @GetMapping({"/notes/{id}/delete/", "/notes/{id}/delete"})
    String confirmDelete(@PathVariable long id, Model model) {
        model.addAttribute("note", notes.get(currentUser.id(), id));
        return "note/delete";
    }

    @PostMapping({"/notes/{id}/delete/", "/notes/{id}/delete"})
    String delete(@PathVariable long id, RedirectAttributes redirect) {
        Note deleted = notes.delete(currentUser.id(), id);
        redirect.addFlashAttribute("message", DELETED);
        return deleted.padId() == null ? "redirect:/" : "redirect:/pads/" + deleted.padId() + "/";
    }

    /** Empty means "no pad"; anything else must be the id of one of the user's pads. */
    private Pad resolvePad(String padParam, BindingResult errors) {
        if (padParam == null || padParam.isBlank()) {
            return null;
        }
        Optional<Pad> pad = ownPad(padParam);
        if (pad.isEmpty()) {
            errors.rejectValue("pad", "notYourPad", NOT_YOUR_PAD);
        }
        return pad.orElse(null);
    }

    private Optional<Pad> ownPad(String padParam) {
        if (padParam == null || padParam.isEmpty() || padParam.length() > 18 || !padParam.chars().allMatch(Character::isDigit)) {
            return Optional.empty();
        }
        try {
            return Optional.of(pads.get(currentUser.id(), Long.parseLong(padParam)));
        } catch (NotFoundException notOwned) {
            return Optional.empty();
        }
    }
}
