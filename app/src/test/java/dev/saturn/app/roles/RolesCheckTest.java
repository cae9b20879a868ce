package dev.saturn.app.roles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RolesCheckTest {

  @Test
  void givenKnownRoles_whenParsed_itShouldNormalise() {
    assertThat(RolesCheck.parse(" API , worker,api")).containsExactly("api", "worker");
    assertThat(RolesCheck.parse("worker")).containsExactly("worker");
  }

  @Test
  void givenTypoOrNothing_whenParsed_itShouldRefuseToStart() {
    assertThatThrownBy(() -> RolesCheck.parse("api,wroker")).hasMessageContaining("SATURN_ROLES");
    assertThatThrownBy(() -> RolesCheck.parse(" , ")).hasMessageContaining("SATURN_ROLES");
  }
}
