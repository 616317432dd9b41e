package dev.notejam.app.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.FlashMap;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.servlet.support.AbstractFlashMapManager;

import java.util.ArrayList;
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
 */
@Component(DispatcherServlet.FLASH_MAP_MANAGER_BEAN_NAME)
class JsonSafeFlashMapManager extends AbstractFlashMapManager {

    static final String ATTRIBUTE = "notejam.flash";
    static final int KEPT = 5;

    @Override
    protected List<FlashMap> retrieveFlashMaps(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        if (session == null || !(session.getAttribute(ATTRIBUTE) instanceof List<?> stored)) {
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
        if (flashMaps.isEmpty()) {
            HttpSession session = request.getSession(false);
            if (session != null) {
                session.removeAttribute(ATTRIBUTE);
            }
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
        request.getSession().setAttribute(ATTRIBUTE, stored);
    }

    @Override
    protected Object getFlashMapsMutex(HttpServletRequest request) {
        return null;
    }
}
