package dev.notejam.app.web;

import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.bind.MissingPathVariableException;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

import java.io.IOException;

@ControllerAdvice
class ErrorAdvice {

    /** {@code /notes/abc/} is a page that does not exist, not a bad request. */
    @ExceptionHandler({MethodArgumentTypeMismatchException.class, MissingPathVariableException.class})
    void malformedId(HttpServletResponse response) throws IOException {
        response.sendError(HttpServletResponse.SC_NOT_FOUND);
    }
}
