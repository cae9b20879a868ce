package dev.saturn.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.web.bind.annotation.RestController;

/** A REST controller of the public API: present only when the process runs the {@code api} role. */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@RestController
@ConditionalOnExpression(ApiController.API_ROLE_ENABLED)
public @interface ApiController {

  /** saturn.roles lists the roles of this process (default: both api and worker). */
  String API_ROLE_ENABLED = "'${saturn.roles:api,worker}'.toLowerCase().contains('api')";
}
