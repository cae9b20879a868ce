package dev.saturn.common.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The guard's allowlist as the properties bind it: the outbound setting, its deprecated tools alias, or both. */
class OutboundConfigTest {

  private final ApplicationContextRunner context = new ApplicationContextRunner().withUserConfiguration(OutboundConfig.class);

  @Test
  void givenNothingConfigured_whenTheGuardChecksLoopback_itShouldRefuseIt() {
    context.run(ctx -> assertThatThrownBy(() -> ctx.getBean(SsrfGuard.class).check("127.0.0.1", 8089))
        .isInstanceOf(SsrfGuard.RefusedTarget.class));
  }

  @Test
  void givenTheOutboundSetting_whenTheGuardChecksAListedTarget_itShouldAllowIt() {
    context.withPropertyValues("saturn.outbound.allowed-hosts=127.0.0.1:8089").run(ctx -> {
      SsrfGuard guard = ctx.getBean(SsrfGuard.class);
      assertThat(guard.check("127.0.0.1", 8089)).isEqualTo(InetAddress.getByName("127.0.0.1"));
      assertThatThrownBy(() -> guard.check("127.0.0.1", 8090)).isInstanceOf(SsrfGuard.RefusedTarget.class);
      assertThat(ctx.getBean(OutboundProperties.class).allowedHosts()).isEqualTo("127.0.0.1:8089");
    });
  }

  @Test
  void givenOnlyTheDeprecatedToolsSetting_whenTheGuardChecksAListedTarget_itShouldStillAllowIt() {
    context.withPropertyValues("saturn.tools.allowed-hosts=127.0.0.1:8090").run(ctx -> {
      SsrfGuard guard = ctx.getBean(SsrfGuard.class);
      assertThat(guard.check("127.0.0.1", 8090)).isEqualTo(InetAddress.getByName("127.0.0.1"));
      assertThatThrownBy(() -> guard.check("127.0.0.1", 8089)).isInstanceOf(SsrfGuard.RefusedTarget.class);
    });
  }

  @Test
  void givenBothSettings_whenTheGuardChecks_itShouldAllowWhatEitherLists() {
    context.withPropertyValues(
            "saturn.outbound.allowed-hosts=127.0.0.1:8089", "saturn.tools.allowed-hosts=10.1.0.0/16")
        .run(ctx -> {
          SsrfGuard guard = ctx.getBean(SsrfGuard.class);
          assertThat(guard.check("127.0.0.1", 8089)).isEqualTo(InetAddress.getByName("127.0.0.1"));
          assertThat(guard.check("10.1.2.3", 80)).isEqualTo(InetAddress.getByName("10.1.2.3"));
          assertThatThrownBy(() -> guard.check("10.2.0.1", 80)).isInstanceOf(SsrfGuard.RefusedTarget.class);
        });
  }

  @Test
  void givenAMalformedEntryInEitherSetting_whenStarting_itShouldFailNamingThatSetting() {
    context.withPropertyValues("saturn.outbound.allowed-hosts=127.0.0.1:notaport").run(ctx ->
        assertThat(ctx).getFailure().rootCause().hasMessageContaining("saturn.outbound.allowed-hosts: bad port"));
    context.withPropertyValues("saturn.tools.allowed-hosts=10.0.0.0/99").run(ctx ->
        assertThat(ctx).getFailure().rootCause().hasMessageContaining("saturn.tools.allowed-hosts: bad CIDR"));
  }
}
