package dev.notejam.app.web;

import org.springframework.context.annotation.Configuration;
import org.springframework.http.CacheControl;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.resource.VersionResourceResolver;

import java.time.Duration;
import java.util.Map;

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

    /** URL pattern -> class-path folder. */
    private static final Map<String, String> LOCATIONS =
            Map.of("/css/**", "classpath:/static/css/", "/images/**", "classpath:/static/images/");
    private static final CacheControl ONE_WEEK = CacheControl.maxAge(Duration.ofDays(7)).cachePublic();

    @Override
    public void addResourceHandlers(ResourceHandlerRegistry registry) {
        LOCATIONS.forEach((pattern, location) -> registry.addResourceHandler(pattern)
                .addResourceLocations(location)
                .setCacheControl(ONE_WEEK)
                .resourceChain(true)
                .addResolver(new VersionResourceResolver().addContentVersionStrategy("/**")));
    }
}
