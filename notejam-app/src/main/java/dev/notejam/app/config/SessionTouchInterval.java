package dev.notejam.app.config;

import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.session.data.redis.RedisIndexedSessionRepository;
import org.springframework.session.data.redis.RedisIndexedSessionRepository.RedisSession;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * Writes a session's access time to Redis at most once per interval, instead of on every request.
 * <p>
 * Spring Session's filter sets the access time of the session on every request, and the indexed Redis repository
 * saves that with six writes (the hash, its expiry, the shadow key and its expiry, the expiry bucket and its expiry):
 * six of a page's seven Redis commands. Wrapped around the repository ({@link SessionConfig}), this skips a
 * {@code save} whose only change is an access time less than {@code interval} after the stored one. Any other change
 * (an attribute, a new or rotated id, a new timeout) is saved as before, with the access time. A session idle for its
 * whole timeout therefore expires up to one interval early, never late.
 * <p>
 * The repository's session type keeps what changed in private fields with no accessor; they are read here, and if a
 * Spring Session upgrade renames them, every save goes through again (logged at start-up) and
 * {@code SessionTouchIntervalTest} fails.
 */
final class SessionTouchInterval implements MethodInterceptor {

    private static final Logger log = LoggerFactory.getLogger(SessionTouchInterval.class);

    /** RedisSessionMapper.LAST_ACCESSED_TIME_KEY, package-private in Spring Session. */
    private static final String LAST_ACCESSED_TIME_KEY = "lastAccessedTime";

    private static final Fields FIELDS = Fields.find();

    private final Duration interval;

    SessionTouchInterval(Duration interval) {
        this.interval = interval;
    }

    @Override
    public Object invoke(MethodInvocation invocation) throws Throwable {
        if ("save".equals(invocation.getMethod().getName())
                && invocation.getArguments()[0] instanceof RedisSession session
                && onlyTouchedWithinInterval(session)) {
            return null;
        }
        return invocation.proceed();
    }

    private boolean onlyTouchedWithinInterval(RedisSession session) {
        if (FIELDS == null || interval.isZero()) {
            return false;
        }
        Map<?, ?> delta = (Map<?, ?>) FIELDS.delta.get(session);
        Instant stored = (Instant) FIELDS.originalLastAccessTime.get(session);
        return delta.size() == 1 && delta.containsKey(LAST_ACCESSED_TIME_KEY)
                && session.getId().equals(FIELDS.originalSessionId.get(session))
                && stored != null
                && Duration.between(stored, session.getLastAccessedTime()).compareTo(interval) < 0;
    }

    /** Whether this Spring Session version exposes the fields the interval needs (false: every save is written). */
    static boolean supported() {
        return FIELDS != null;
    }

    private record Fields(VarHandle delta, VarHandle originalLastAccessTime, VarHandle originalSessionId) {

        static Fields find() {
            try {
                MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(RedisSession.class, MethodHandles.lookup());
                return new Fields(lookup.findVarHandle(RedisSession.class, "delta", Map.class),
                        lookup.findVarHandle(RedisSession.class, "originalLastAccessTime", Instant.class),
                        lookup.findVarHandle(RedisSession.class, "originalSessionId", String.class));
            } catch (ReflectiveOperationException | RuntimeException e) {
                log.warn("{} has changed ({}): every session access is written to Redis",
                        RedisIndexedSessionRepository.class.getSimpleName(), e.toString());
                return null;
            }
        }
    }
}
