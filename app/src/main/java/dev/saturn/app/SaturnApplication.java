package dev.saturn.app;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The one process of SATURN: roles {@code api} and {@code worker}, plus the embedded defaults. */
@SpringBootApplication(scanBasePackages = "dev.saturn")
@ConfigurationPropertiesScan(basePackages = "dev.saturn")
public class SaturnApplication {

  public static void main(String[] args) {
    SpringApplication.run(SaturnApplication.class, args);
  }
}
