package dev.saturn.api.console;

import jakarta.servlet.SessionCookieConfig;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.ServletContextInitializer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.resource.LiteWebJarsResourceResolver;

/**
 * The console's static assets (its stylesheet, and htmx from its WebJar: nothing from a CDN) under
 * {@code /console/assets/}, and its session cookie: HttpOnly, Secure, SameSite=Lax, path /console.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ConsoleProperties.class)
class ConsoleWebConfiguration implements WebMvcConfigurer {

  static final String ASSETS = ConsoleController.ROOT + "/assets/";

  @Override
  public void addResourceHandlers(ResourceHandlerRegistry registry) {
    registry.addResourceHandler(ASSETS + "webjars/**")
        .addResourceLocations("classpath:/META-INF/resources/webjars/")
        .resourceChain(true)
        .addResolver(new LiteWebJarsResourceResolver());
    registry.addResourceHandler(ASSETS + "**").addResourceLocations("classpath:/console/assets/");
  }

  @Bean
  ServletContextInitializer consoleSessionCookie(ConsoleProperties console) {
    return context -> {
      SessionCookieConfig cookie = context.getSessionCookieConfig();
      cookie.setName(ConsoleProperties.COOKIE);
      cookie.setPath(ConsoleController.ROOT);
      cookie.setHttpOnly(true);
      cookie.setSecure(console.cookieSecure());
      cookie.setAttribute("SameSite", "Lax");
      context.setSessionTimeout((int) Math.max(1, console.sessionTimeout().toMinutes()));
    };
  }
}
