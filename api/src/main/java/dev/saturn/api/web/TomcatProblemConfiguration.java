package dev.saturn.api.web;

import org.apache.catalina.Host;
import org.apache.catalina.Valve;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import tools.jackson.databind.json.JsonMapper;

/** Installs {@link ProblemErrorReportValve} in place of Tomcat's (and Boot's) HTML error report. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(name = "org.apache.catalina.valves.ErrorReportValve")
public class TomcatProblemConfiguration {

  @Bean
  WebServerFactoryCustomizer<TomcatServletWebServerFactory> problemErrorReports(JsonMapper mapper) {
    return new ProblemErrorReports(mapper);
  }

  /**
   * Ordered last so that the valve Boot adds for its own error settings already exists and can be
   * removed: with two report valves, whichever sits nearer the context would answer first.
   */
  private record ProblemErrorReports(JsonMapper mapper)
      implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>, Ordered {

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
      factory.addContextCustomizers(
          context -> {
            Host host = (Host) context.getParent();
            for (Valve valve : host.getPipeline().getValves()) {
              if (valve instanceof ErrorReportValve) {
                host.getPipeline().removeValve(valve);
              }
            }
            host.getPipeline().addValve(new ProblemErrorReportValve(mapper));
            // Tomcat adds its default report valve at start unless one of this class is present.
            if (host instanceof StandardHost standard) {
              standard.setErrorReportValveClass(ProblemErrorReportValve.class.getName());
            }
          });
    }

    @Override
    public int getOrder() {
      return Ordered.LOWEST_PRECEDENCE;
    }
  }
}
