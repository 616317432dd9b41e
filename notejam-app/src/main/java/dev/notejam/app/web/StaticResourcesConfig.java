package dev.notejam.app.web;

import org.springframework.context.annotation.Configuration;
import org.springframework.http.CacheControl;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.resource.VersionResourceResolver;

import java.time.Duration;

/**
 * Serves the stylesheet and images under content-hashed URLs ({@code /css/notejam-<md5>.css}), cached for a week.
 * <p>
 * Registered here instead of through Spring Boot's default {@code /**} mapping
 * ({@code spring.web.resources.add-mappings: false}): with {@code /**}, every link a page renders
 * ({@code /notes/42}, {@code /?page=3}, ...) went through the resource chain and was looked up on the class path
 * in four locations, a miss that is not cached. That cost about 50 ms of CPU per all-notes page (see BENCHMARKS.md).
 * With two narrow patterns only links to real static files are resolved.
 */
@Configuration(proxyBeanMethods = false)
class StaticResourcesConfig implements WebMvcConfigurer {

    static final String[] PATTERNS = {"/css/**", "/images/**"};
    private static final CacheControl ONE_WEEK = CacheControl.maxAge(Duration.ofDays(7)).cachePublic();

    @Override
    public void addResourceHandlers(ResourceHandlerRegistry registry) {
        registry.addResourceHandler(PATTERNS[0]).addResourceLocations("classpath:/static/css/")
                .setCacheControl(ONE_WEEK)
                .resourceChain(true)
                .addResolver(new VersionResourceResolver().addContentVersionStrategy("/**"));
        registry.addResourceHandler(PATTERNS[1]).addResourceLocations("classpath:/static/images/")
                .setCacheControl(ONE_WEEK)
                .resourceChain(true)
                .addResolver(new VersionResourceResolver().addContentVersionStrategy("/**"));
    }
}
