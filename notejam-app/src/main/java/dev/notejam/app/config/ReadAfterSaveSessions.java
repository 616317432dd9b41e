package dev.notejam.app.config;

import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.springframework.session.Session;

/**
 * Answers the one session read that Spring Session's filter makes right after saving, from the session it saved.
 * <p>
 * At the end of every request {@code SessionRepositoryFilter} saves the session, then reads it back from Redis only
 * to decide whether to send the cookie again (spring-session issue 1731, open). That second read, with the JSON of
 * every attribute parsed again, repeated the first read's work on every page. Wrapped around the Redis session
 * repository ({@link SessionConfig}), this gives a {@code findById} that immediately follows a {@code save} of the
 * same session, on the same thread, the saved session; every other read goes to Redis. {@link #forget()} runs when
 * each request ends, so a session saved in one request never answers a read in another, where it may have been
 * signed out or invalidated on another replica in between.
 */
final class ReadAfterSaveSessions implements MethodInterceptor {

    private static final ThreadLocal<Session> JUST_SAVED = new ThreadLocal<>();

    @Override
    public Object invoke(MethodInvocation invocation) throws Throwable {
        Object[] args = invocation.getArguments();
        switch (invocation.getMethod().getName()) {
            case "save" -> {
                Object result = invocation.proceed();
                JUST_SAVED.set((Session) args[0]);
                return result;
            }
            case "findById" -> {
                Session saved = JUST_SAVED.get();
                JUST_SAVED.remove();
                if (saved != null && saved.getId().equals(args[0]) && !saved.isExpired()) {
                    return saved;
                }
                return invocation.proceed();
            }
            case "deleteById" -> {
                JUST_SAVED.remove();
                return invocation.proceed();
            }
            default -> {
                return invocation.proceed();
            }
        }
    }

    /** Drops what the current thread saved; called when a request ends. */
    static void forget() {
        JUST_SAVED.remove();
    }
}
