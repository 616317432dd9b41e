package dev.notejam.app.credentials;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientConfigurationBuilderCustomizer;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.mock.env.MockEnvironment;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The default mode's start-up must not pay for IAM authentication: the configuration runs in a class loader of its
 * own that records every AWS SDK class asked for. With both flags off, none is; with a flag on, the SDK is used
 * (the control that the recording works).
 */
class AwsSdkLoadedOnlyWhenAFlagIsOnTest {

    @Test
    void flagsOffLoadNoAwsSdkClassAndLeaveThePoolAndRedisAlone() throws Exception {
        RecordingLoader loader = new RecordingLoader();
        MockEnvironment environment = new MockEnvironment();
        HikariDataSource pool = pool();

        configure(loader, environment, pool);

        assertThat(pool.getCredentialsProvider()).isNull();
        assertThat(loader.awsClasses).isEmpty();
    }

    @Test
    void aFlagOnUsesTheAwsSdk() throws Exception {
        RecordingLoader loader = new RecordingLoader();
        MockEnvironment environment = new MockEnvironment()
                .withProperty("NOTEJAM_DATABASE_IAM_AUTH", "true").withProperty("AWS_REGION", "eu-west-1");
        HikariDataSource pool = pool();

        configure(loader, environment, pool);

        assertThat(pool.getCredentialsProvider()).isNotNull();
        assertThat(loader.awsClasses).anyMatch(name -> name.startsWith("software.amazon.awssdk.services.rds."));
    }

    @Test
    void misconfiguredFlagsStopTheStartWithTheVariableToFix() throws Exception {
        assertThatThrownBy(() -> configure(new RecordingLoader(), new MockEnvironment()
                .withProperty("NOTEJAM_DATABASE_IAM_AUTH", "yes"), pool()))
                .hasMessage("NOTEJAM_DATABASE_IAM_AUTH must be true or false, got 'yes'");
        assertThatThrownBy(() -> configure(new RecordingLoader(), new MockEnvironment()
                .withProperty("NOTEJAM_DATABASE_IAM_AUTH", "true"), pool()))
                .hasMessage("NOTEJAM_DATABASE_IAM_AUTH=true needs AWS_REGION (the region of the database and cache)");
        HikariDataSource withPassword = pool();
        withPassword.setPassword("static-secret");
        assertThatThrownBy(() -> configure(new RecordingLoader(), new MockEnvironment()
                .withProperty("NOTEJAM_DATABASE_IAM_AUTH", "true").withProperty("AWS_REGION", "eu-west-1"), withPassword))
                .hasMessageContaining("unset SPRING_DATASOURCE_PASSWORD");
        assertThatThrownBy(() -> configure(new RecordingLoader(), new MockEnvironment()
                .withProperty("NOTEJAM_REDIS_IAM_AUTH", "true").withProperty("AWS_REGION", "eu-west-1")
                .withProperty("NOTEJAM_REDIS_IAM_USER_ID", "notejam/app"), pool()))
                .hasMessageContaining("NOTEJAM_REDIS_IAM_USER_ID (a letter, then letters, digits and hyphens), got 'notejam/app'");
    }

    private static HikariDataSource pool() {
        HikariDataSource pool = new HikariDataSource();
        pool.setJdbcUrl("jdbc:postgresql://db.example.internal:5432/notejam");
        pool.setUsername("notejam_app");
        return pool;
    }

    /** What the app's context does with IamAuthConfig: post-process the pool, customize the Lettuce configuration. */
    private static void configure(ClassLoader loader, Environment environment, HikariDataSource pool) throws Exception {
        Class<?> config = loader.loadClass(IamAuthConfig.class.getName());
        assertThat(config.getClassLoader()).isSameAs(loader);
        BeanFactory beans = new DefaultListableBeanFactory();
        Method database = config.getDeclaredMethod("databaseIamAuthentication", Environment.class, BeanFactory.class);
        database.setAccessible(true);
        ((BeanPostProcessor) database.invoke(null, environment, beans)).postProcessAfterInitialization(pool, "dataSource");
        Constructor<?> constructor = config.getDeclaredConstructor();
        constructor.setAccessible(true);
        Method redis = config.getDeclaredMethod("redisIamAuthentication", Environment.class, BeanFactory.class);
        redis.setAccessible(true);
        ((LettuceClientConfigurationBuilderCustomizer) redis.invoke(constructor.newInstance(), environment, beans))
                .customize(LettuceClientConfiguration.builder());
    }

    /** Loads this package and the AWS SDK itself (everything else from the test's loader), recording SDK classes. */
    private static final class RecordingLoader extends URLClassLoader {
        final Set<String> awsClasses = ConcurrentHashMap.newKeySet();

        RecordingLoader() throws IOException {
            super(urls(), AwsSdkLoadedOnlyWhenAFlagIsOnTest.class.getClassLoader());
        }

        private static URL[] urls() throws IOException {
            List<URL> urls = new ArrayList<>();
            urls.add(IamAuthConfig.class.getProtectionDomain().getCodeSource().getLocation());
            for (URL manifest : Collections.list(ClassLoader.getSystemClassLoader().getResources("META-INF/MANIFEST.MF"))) {
                String jar = manifest.toString();
                if (jar.startsWith("jar:file:") && jar.contains("/software/amazon/awssdk/")) {
                    urls.add(new URL(jar.substring("jar:".length(), jar.indexOf("!/"))));
                }
            }
            return urls.toArray(URL[]::new);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            boolean aws = name.startsWith("software.amazon.awssdk.");
            if (aws) {
                awsClasses.add(name);
            }
            if (aws || name.startsWith(IamAuthConfig.class.getPackageName() + ".")) {
                synchronized (getClassLoadingLock(name)) {
                    Class<?> loaded = findLoadedClass(name);
                    return loaded != null ? loaded : findClass(name);
                }
            }
            return super.loadClass(name, resolve);
        }
    }
}
