package dev.notejam.app.config;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.session.data.redis.RedisIndexedSessionRepository;
import org.springframework.session.web.http.SessionRepositoryFilter;

/** The web sessions in Redis (application.yml, spring.session): one read of the session per request, not two. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication // the migrate-only mode has no sessions
class SessionConfig {

    /**
     * Wraps Spring Boot's Redis session repository in {@link ReadAfterSaveSessions}. A class-based proxy keeps the
     * bean's type, so Spring Session's own configuration, which injects it by its class, is unchanged.
     */
    @Bean
    static BeanPostProcessor sessionRepositoryShortcuts() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                if (!(bean instanceof RedisIndexedSessionRepository)) {
                    return bean;
                }
                ProxyFactory proxy = new ProxyFactory(bean);
                proxy.setProxyTargetClass(true);
                proxy.addAdvice(new ReadAfterSaveSessions());
                return proxy.getProxy(bean.getClass().getClassLoader());
            }
        };
    }

    /** Wraps Spring Session's filter, so the saved session is forgotten once the request has ended. */
    @Bean
    FilterRegistrationBean<Filter> forgetSavedSessionFilter() {
        Filter forget = (request, response, chain) -> {
            try {
                chain.doFilter(request, response);
            } finally {
                ReadAfterSaveSessions.forget();
            }
        };
        FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>(forget);
        registration.setOrder(SessionRepositoryFilter.DEFAULT_ORDER - 1);
        registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ASYNC, DispatcherType.ERROR);
        return registration;
    }
}
