package dev.notejam.app.config;

import org.springframework.data.redis.serializer.RedisSerializer;
import org.springframework.data.redis.serializer.SerializationException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextImpl;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Session serializer that remembers the last security contexts it read.
 * <p>
 * Every request reads the session from Redis. Spring Security's Jackson deserializers for the authentication are
 * not cachable, so Jackson introspects and builds them again on every read: about a fifth of the CPU of a list
 * page (BENCHMARKS.md). The JSON of a signed-in user's context does not change between requests, so the
 * authentication read from the same bytes is reused. Each read still gets its own {@link SecurityContextImpl},
 * because sign-out clears the context it is given; the authentication tokens themselves are not changed after
 * sign-in. Everything else goes straight to the JSON serializer.
 */
final class SecurityContextReadCache implements RedisSerializer<Object> {

    private static final byte[] SECURITY_CONTEXT_JSON =
            "{\"@class\":\"org.springframework.security.core.context.SecurityContextImpl\"".getBytes(StandardCharsets.UTF_8);

    private final RedisSerializer<Object> json;
    private final Map<String, Authentication> recent;

    SecurityContextReadCache(RedisSerializer<Object> json, int capacity) {
        this.json = json;
        this.recent = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Authentication> eldest) {
                return size() > capacity;
            }
        };
    }

    @Override
    public byte[] serialize(Object value) throws SerializationException {
        return json.serialize(value);
    }

    @Override
    public Object deserialize(byte[] bytes) throws SerializationException {
        if (bytes == null || !startsWith(bytes, SECURITY_CONTEXT_JSON)) {
            return json.deserialize(bytes);
        }
        String key = new String(bytes, StandardCharsets.ISO_8859_1); // byte-exact key, no decoding cost
        Authentication known;
        synchronized (recent) {
            known = recent.get(key);
        }
        if (known != null) {
            return new SecurityContextImpl(known);
        }
        Object read = json.deserialize(bytes);
        if (read instanceof SecurityContext context && context.getAuthentication() != null) {
            synchronized (recent) {
                recent.put(key, context.getAuthentication());
            }
        }
        return read;
    }

    int size() {
        synchronized (recent) {
            return recent.size();
        }
    }

    private static boolean startsWith(byte[] bytes, byte[] prefix) {
        return bytes.length >= prefix.length && Arrays.equals(bytes, 0, prefix.length, prefix, 0, prefix.length);
    }
}
