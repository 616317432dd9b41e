package dev.notejam.app.user;

import org.springframework.data.jdbc.repository.query.Query;
import org.springframework.data.repository.CrudRepository;

import java.util.Optional;

public interface UserRepository extends CrudRepository<User, Long> {

    @Query("select * from users where lower(email) = lower(:email)")
    Optional<User> findByEmailIgnoreCase(String email);

    @Query("select exists (select 1 from users where lower(email) = lower(:email))")
    boolean existsByEmailIgnoreCase(String email);
}
