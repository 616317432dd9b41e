package dev.notejam.app.config;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.serializer.GenericJacksonJsonRedisSerializer;
import org.springframework.data.redis.serializer.RedisSerializer;
import org.springframework.security.jackson.SecurityJacksonModules;
import tools.jackson.databind.JacksonModule;
import tools.jackson.databind.jsontype.BasicPolymorphicTypeValidator;
import tools.jackson.databind.jsontype.PolymorphicTypeValidator;

import java.util.LinkedHashMap;
import java.util.List;

/**
 * Session attributes are stored in Redis as JSON, not Java serialization: a session written by one build stays
 * readable by the next, so rolling deploys keep users signed in. Only allow-listed types are read back: a JSON type
 * name can make Jackson build any class it is allowed to, so the list names classes, not packages.
 */
@Configuration(proxyBeanMethods = false)
class SessionSerializationConfig {

    /** Signed-in users whose authentication is kept after a read (about 1 KB each). */
    static final int SECURITY_CONTEXTS_KEPT = 2_000;

    @Bean("springSessionDefaultRedisSerializer")
    RedisSerializer<Object> springSessionDefaultRedisSerializer() {
        ClassLoader loader = getClass().getClassLoader();
        // Spring Security's modules add their own types and the JDK collections those use; the app adds only the map
        // that holds a flash message's values (JsonSafeFlashMapManager) and the numbers Spring Session stores as Long
        // (creation and access times) or the app does (a flash message's expiry); strings carry no type.
        BasicPolymorphicTypeValidator.Builder allowed = BasicPolymorphicTypeValidator.builder()
                .allowIfSubType((context, type) -> type == LinkedHashMap.class || type == Long.class || type == Integer.class);
        List<JacksonModule> securityModules = SecurityJacksonModules.getModules(loader, allowed);
        PolymorphicTypeValidator validator = allowed.build();
        RedisSerializer<Object> json = GenericJacksonJsonRedisSerializer.builder()
                .enableDefaultTyping(validator)
                .customize(mapper -> mapper.addModules(securityModules))
                .build();
        return new SecurityContextReadCache(json, SECURITY_CONTEXTS_KEPT);
    }
}
