package dev.notejam.app.pad;

import dev.notejam.app.note.NoteListQuery;
import dev.notejam.app.note.NoteOrder;
import dev.notejam.app.user.CurrentUser;
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

@Controller
class PadController {

    static final String CREATED = "Pad is successfully created";
    static final String UPDATED = "Pad is successfully updated";
    static final String DELETED = "Pad is successfully deleted";

    private final PadService pads;
    private final NoteListQuery notes;
    private final CurrentUser currentUser;

    PadController(PadService pads, NoteListQuery notes, CurrentUser currentUser) {
        this.pads = pads;
        this.notes = notes;
        this.currentUser = currentUser;
    }

    @GetMapping({"/pads/create/", "/pads/create"})
    String createForm(Model model) {
        model.addAttribute("form", new PadForm(""));
        return "pad/create";
    }

    @PostMapping({"/pads/create/", "/pads/create"})
    String create(@Valid @ModelAttribute("form") PadForm form, BindingResult errors, RedirectAttributes redirect) {
        if (errors.hasErrors()) {
            return "pad/create";
        }
        Pad pad = pads.create(currentUser.id(), form.name());
        redirect.addFlashAttribute("message", CREATED);
        return "redirect:/pads/" + pad.id() + "/";
    }

    @GetMapping({"/pads/{id}/", "/pads/{id}"})
    String view(@PathVariable long id, @RequestParam(required = false) String order, @RequestParam(required = false) String page,
                @RequestParam(required = false) String after, @RequestParam(required = false) String before, Model model) {
        Pad pad = pads.get(currentUser.id(), id);
        model.addAttribute("pad", pad);
        model.addAttribute("notes", notes.page(currentUser.id(), pad.id(), NoteOrder.parse(order), page, after, before));
        return "pad/view";
    }

    @GetMapping({"/pads/{id}/edit/", "/pads/{id}/edit"})
    String editForm(@PathVariable long id, Model model) {
        Pad pad = pads.get(currentUser.id(), id);
        model.addAttribute("pad", pad);
        model.addAttribute("form", new PadForm(pad.name()));
        return "pad/edit";
    }

    @PostMapping({"/pads/{id}/edit/", "/pads/{id}/edit"})
    String edit(@PathVariable long id, @Valid @ModelAttribute("form") PadForm form, BindingResult errors,
                Model model, RedirectAttributes redirect) {
        Pad pad = pads.get(currentUser.id(), id);
        if (errors.hasErrors()) {
            model.addAttribute("pad", pad);
            return "pad/edit";
        }
        pads.rename(currentUser.id(), id, form.name());
        redirect.addFlashAttribute("message", UPDATED);
        return "redirect:/pads/" + id + "/";
    }

    @GetMapping({"/pads/{id}/delete/", "/pads/{id}/delete"})
    String confirmDelete(@PathVariable long id, Model model) {
        model.addAttribute("pad", pads.get(currentUser.id(), id));
        return "pad/delete";
    }

    @PostMapping({"/pads/{id}/delete/", "/pads/{id}/delete"})
    String delete(@PathVariable long id, RedirectAttributes redirect) {
        pads.delete(currentUser.id(), id);
        redirect.addFlashAttribute("message", DELETED);
        return "redirect:/";
    }
}
