package dev.notejam.app.testsupport;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.test.context.TestComponent;

import javax.sql.DataSource;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.util.concurrent.atomic.AtomicLong;

/** Counts the SQL statements the app prepares, to catch N+1 queries. Wraps the app's DataSource in tests only. */
@TestComponent
public class StatementCounter implements BeanPostProcessor {

    private final AtomicLong statements = new AtomicLong();

    public long count() {
        return statements.get();
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof DataSource dataSource && !(Proxy.isProxyClass(bean.getClass()))) {
            return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{DataSource.class},
                    forward(dataSource, (target, method, args) -> {
                        Object result = method.invoke(target, args);
                        return result instanceof Connection connection ? countingConnection(connection) : result;
                    }));
        }
        return bean;
    }

    private Connection countingConnection(Connection connection) {
        return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{Connection.class},
                forward(connection, (target, method, args) -> {
                    String name = method.getName();
                    if (name.equals("prepareStatement") || name.equals("prepareCall")
                            || (name.equals("createStatement"))) {
                        statements.incrementAndGet();
                    }
                    return method.invoke(target, args);
                }));
    }

    private interface Call {
        Object apply(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable;
    }

    private static InvocationHandler forward(Object target, Call call) {
        return (proxy, method, args) -> {
            try {
                if (method.getName().equals("unwrap") || method.getName().equals("isWrapperFor")) {
                    return method.invoke(target, args);
                }
                return call.apply(target, method, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
    }
}
