package dev.saturn.common.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.URI;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class SsrfGuardTest {

  @ParameterizedTest
  @ValueSource(strings = {
      "127.0.0.1", "127.1.2.3", "10.0.0.1", "172.16.5.4", "192.168.1.1", "169.254.169.254", "100.64.0.1",
      "0.0.0.0", "224.0.0.1", "255.255.255.255", "::1", "::", "fe80::1", "fc00::1", "fd00:ec2::254", "ff02::1",
      "::ffff:127.0.0.1", "::127.0.0.1", "64:ff9b::a00:1", "2002:7f00:1::1", "::ffff:169.254.169.254"})
  void givenNonPublicAddress_whenChecked_itShouldBeRefused(String address) {
    SsrfGuard guard = new SsrfGuard("");

    assertThatThrownBy(() -> guard.check(address.contains(":") ? "[" + address + "]" : address, 80))
        .isInstanceOf(SsrfGuard.RefusedTarget.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"93.184.216.34", "8.8.8.8", "2606:4700:4700::1111", "172.32.0.1", "100.128.0.1"})
  void givenPublicAddress_whenChecked_itShouldPassUnchanged(String address) throws Exception {
    assertThat(new SsrfGuard("").check(address, 443)).isEqualTo(InetAddress.getByName(address));
  }

  @Test
  void givenHostResolvingToLoopback_whenChecked_itShouldBeRefusedEvenIfOneAnswerIsPublic() {
    SsrfGuard guard = new SsrfGuard("", host -> new InetAddress[] {
        InetAddress.getByName("93.184.216.34"), InetAddress.getByName("127.0.0.1")});

    assertThatThrownBy(() -> guard.check("rebind.example", 80))
        .isInstanceOf(SsrfGuard.RefusedTarget.class)
        .hasMessageContaining("loopback");
  }

  @Test
  void givenAllowlist_whenChecked_itShouldOpenOnlyTheListedTargets() throws Exception {
    SsrfGuard guard = new SsrfGuard("127.0.0.1:8089, tools.internal, 10.1.0.0/16, [::1]:9000",
        host -> new InetAddress[] {InetAddress.getByName("10.9.9.9")});

    assertThat(guard.check("127.0.0.1", 8089)).isEqualTo(InetAddress.getByName("127.0.0.1"));
    assertThatThrownBy(() -> guard.check("127.0.0.1", 8090)).isInstanceOf(SsrfGuard.RefusedTarget.class);
    assertThat(guard.check("tools.internal", 1234)).isEqualTo(InetAddress.getByName("10.9.9.9"));
    assertThat(guard.check("10.1.2.3", 80)).isEqualTo(InetAddress.getByName("10.1.2.3"));
    assertThatThrownBy(() -> guard.check("10.2.0.1", 80)).isInstanceOf(SsrfGuard.RefusedTarget.class);
    assertThat(guard.check("[::1]", 9000)).isEqualTo(InetAddress.getByName("::1"));
    assertThatThrownBy(() -> guard.check("other.internal", 80)).isInstanceOf(SsrfGuard.RefusedTarget.class);
  }

  @Test
  void givenARefusedTarget_whenChecked_itShouldNameTheOutboundSetting() {
    assertThatThrownBy(() -> new SsrfGuard("").check("169.254.169.254", 80))
        .isInstanceOf(SsrfGuard.RefusedTarget.class)
        .hasMessageContaining("link-local")
        .hasMessageContaining("SATURN_OUTBOUND_ALLOWED_HOSTS");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "http://127.0.0.1/x", "https://10.1.2.3:8443/", "http://169.254.169.254/latest/meta-data/", "http://[::1]:9000/",
      "http://[::ffff:127.0.0.1]/", "http://0.0.0.0/", "http://127.000.000.001:8080/"})
  void givenAUrlWhoseAddressIsNotPublic_whenRegistered_itShouldBeRefusedWithoutALookup(String url) {
    SsrfGuard guard = new SsrfGuard("", host -> {
      throw new AssertionError("no lookup at registration: " + host);
    });

    assertThat(guard.refusalWithoutLookup(URI.create(url))).get().asString().contains("address");
  }

  @Test
  void givenUrlsWithNamesPublicAddressesOrAllowlistedTargets_whenRegistered_itShouldPassThemWithoutALookup() {
    SsrfGuard guard = new SsrfGuard("127.0.0.1:8089, 10.1.0.0/16, [::1], internal.test", host -> {
      throw new AssertionError("no lookup at registration: " + host);
    });

    for (String url : new String[] {
        "https://api.example.test/v1", "http://localhost:8080/", "https://93.184.216.34/", "http://127.0.0.1:8089/x",
        "http://10.1.200.3/", "http://[::1]:1234/", "https://internal.test/"}) {
      assertThat(guard.refusalWithoutLookup(URI.create(url))).as(url).isEmpty();
    }
    assertThat(guard.refusalWithoutLookup(URI.create("http://127.0.0.1:8090/"))).as("another port").isPresent();
    assertThat(guard.refusalWithoutLookup(URI.create("http://10.2.0.1/"))).as("outside the CIDR").isPresent();
  }

  @Test
  void givenTheDefaultPortOfTheScheme_whenRegistered_itShouldBeTheOneMatchedAgainstTheAllowlist() {
    SsrfGuard guard = new SsrfGuard("127.0.0.1:443");

    assertThat(guard.refusalWithoutLookup(URI.create("https://127.0.0.1/"))).isEmpty();
    assertThat(guard.refusalWithoutLookup(URI.create("http://127.0.0.1/"))).isPresent();
  }
}
