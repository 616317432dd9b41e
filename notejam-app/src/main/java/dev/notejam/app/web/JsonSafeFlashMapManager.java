package dev.notejam.app.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.FlashMap;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.servlet.support.AbstractFlashMapManager;

import jakarta.servlet.http.Cookie;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseCookie;
import org.springframework.web.util.WebUtils;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps flash messages in the session as plain maps of strings, so the JSON session serializer stores them
 * without type information for Spring's FlashMap (whose path and expiry a generic map would lose).
 * <p>
 * At most {@link #KEPT} are kept. A client that posts forms without following the redirects (a script, or many
 * tabs) would otherwise pile up one per post for their 180 s lifetime, and every request of that session would read
 * and parse them all: in the mixed-load benchmark the session grew to hundreds of entries and a post allocated
 * 2-5 MB (BENCHMARKS.md).
 * <p>
 * A visitor who is not signed in has no session (sign-up, reset), so their message goes in a short-lived HttpOnly
 * cookie instead: only the newest message's text and the page it is for. Its content comes back from the browser,
 * so it is only ever shown as escaped text, on that page, to that browser.
 */
@Component(DispatcherServlet.FLASH_MAP_MANAGER_BEAN_NAME)
class JsonSafeFlashMapManager extends AbstractFlashMapManager {

    static final String ATTRIBUTE = "notejam.flash";
    static final int KEPT = 5;
    static final String COOKIE = "NOTEJAM_FLASH";
    private static final String MESSAGE = "message";
    /** Spring's default flash lifetime. */
    private static final int FLASH_SECONDS = 180;

    @Override
    protected List<FlashMap> retrieveFlashMaps(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        if (session == null) {
            return fromCookie(request);
        }
        if (!(session.getAttribute(ATTRIBUTE) instanceof List<?> stored)) {
            return null;
        }
        List<FlashMap> maps = new ArrayList<>();
        for (Object item : stored) {
            if (item instanceof Map<?, ?> entry) {
                FlashMap map = new FlashMap();
                map.setTargetRequestPath((String) entry.get("path"));
                if (entry.get("expires") instanceof Number expires) {
                    map.setExpirationTime(expires.longValue());
                }
                if (entry.get("values") instanceof Map<?, ?> values) {
                    values.forEach((k, v) -> map.put(String.valueOf(k), v));
                }
                maps.add(map);
            }
        }
        return maps;
    }

    @Override
    protected void updateFlashMaps(List<FlashMap> flashMaps, HttpServletRequest request, HttpServletResponse response) {
        HttpSession session = request.getSession(false);
        if (session == null) {
            toCookie(flashMaps, request, response);
            return;
        }
        if (flashMaps.isEmpty()) {
            session.removeAttribute(ATTRIBUTE);
            return;
        }
        ArrayList<Object> stored = new ArrayList<>();
        // The newest are last (Spring appends the one being saved).
        for (FlashMap map : flashMaps.subList(Math.max(0, flashMaps.size() - KEPT), flashMaps.size())) {
            LinkedHashMap<String, Object> values = new LinkedHashMap<>();
            map.forEach((k, v) -> values.put(k, v instanceof String || v instanceof Number || v instanceof Boolean ? v : String.valueOf(v)));
            HashMap<String, Object> entry = new HashMap<>();
            entry.put("path", map.getTargetRequestPath());
            entry.put("expires", map.getExpirationTime());
            entry.put("values", values);
            stored.add(entry);
        }
        session.setAttribute(ATTRIBUTE, stored);
    }

    private static List<FlashMap> fromCookie(HttpServletRequest request) {
        Cookie cookie = WebUtils.getCookie(request, COOKIE);
        if (cookie == null) {
            return null;
        }
        try {
            String[] pathAndMessage = new String(Base64.getUrlDecoder().decode(cookie.getValue()), StandardCharsets.UTF_8).split("\n", 2);
            if (pathAndMessage.length < 2) {
                return null;
            }
            FlashMap map = new FlashMap();
            map.setTargetRequestPath(pathAndMessage[0]);
            map.startExpirationPeriod(FLASH_SECONDS);
            map.put(MESSAGE, pathAndMessage[1]);
            return new ArrayList<>(List.of(map));
        } catch (IllegalArgumentException notOurs) {
            return null;
        }
    }

    private static void toCookie(List<FlashMap> flashMaps, HttpServletRequest request, HttpServletResponse response) {
        FlashMap newest = flashMaps.isEmpty() ? null : flashMaps.get(flashMaps.size() - 1);
        String value = "";
        if (newest != null && newest.get(MESSAGE) instanceof String message) {
            String path = newest.getTargetRequestPath() == null ? "" : newest.getTargetRequestPath();
            value = Base64.getUrlEncoder().withoutPadding().encodeToString((path + "\n" + message).getBytes(StandardCharsets.UTF_8));
        }
        if (value.isEmpty() && WebUtils.getCookie(request, COOKIE) == null) {
            return;
        }
        response.addHeader(HttpHeaders.SET_COOKIE, ResponseCookie.from(COOKIE, value).path("/").httpOnly(true).sameSite("Lax")
                .secure(request.isSecure()).maxAge(value.isEmpty() ? 0 : FLASH_SECONDS).build().toString());
    }

    @Override
    protected Object getFlashMapsMutex(HttpServletRequest request) {
        return null;
    }
}
