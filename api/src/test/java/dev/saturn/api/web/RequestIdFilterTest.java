package dev.saturn.api.web;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.ServletException;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

class RequestIdFilterTest {

  private final RequestIdFilter filter = new RequestIdFilter();

  @AfterEach
  void clearMdc() {
    MDC.clear();
  }

  @Test
  void givenARequest_whileItIsServed_itShouldExposeTheIdToMdcAndAccessors() throws Exception {
    MockHttpServletRequest request = new MockHttpServletRequest("GET", "/agents");
    request.addHeader(RequestIds.HEADER, "abc-1");
    Map<String, String> seen = new HashMap<>();

    run(
        request,
        new MockHttpServletResponse(),
        () -> {
          seen.put("mdc", MDC.get("request_id"));
          seen.put("current", RequestIds.current());
          seen.put("of", RequestIds.of(request));
        });

    assertThat(seen)
        .containsEntry("mdc", "abc-1")
        .containsEntry("current", "abc-1")
        .containsEntry("of", "abc-1");
  }

  @Test
  void givenTenantAndAgentSetDuringTheRequest_whenItEnds_itShouldClearEveryMdcKey()
      throws Exception {
    Map<String, String> seen = new HashMap<>();

    run(
        new MockHttpServletRequest("GET", "/agents"),
        new MockHttpServletResponse(),
        () -> {
          RequestContext.setCompany("c-1");
          RequestContext.setAgent("a-1");
          seen.put("company", MDC.get("company_id"));
          seen.put("agent", MDC.get("agent_id"));
        });

    assertThat(seen).containsEntry("company", "c-1").containsEntry("agent", "a-1");
    assertThat(MDC.get("request_id")).isNull();
    assertThat(MDC.get("company_id")).isNull();
    assertThat(MDC.get("agent_id")).isNull();
  }

  @Test
  void givenTheChainThrows_whenTheRequestEnds_itShouldStillClearTheMdc() {
    MockHttpServletRequest request = new MockHttpServletRequest("GET", "/agents");
    try {
      run(
          request,
          new MockHttpServletResponse(),
          () -> {
            RequestContext.setCompany("c-1");
            throw new IllegalStateException("boom");
          });
    } catch (Exception expected) {
      // what matters is the state afterwards
    }
    assertThat(MDC.getCopyOfContextMap()).isNullOrEmpty();
  }

  @Test
  void givenAnErrorDispatchOfTheSameRequest_whenFiltered_itShouldKeepTheFirstId() throws Exception {
    MockHttpServletRequest request = new MockHttpServletRequest("GET", "/agents");
    MockHttpServletResponse first = new MockHttpServletResponse();
    run(request, first, () -> {});
    String id = first.getHeader(RequestIds.HEADER);

    request.setDispatcherType(DispatcherType.ERROR);
    MockHttpServletResponse second = new MockHttpServletResponse();
    Map<String, String> seen = new HashMap<>();
    run(request, second, () -> seen.put("mdc", MDC.get("request_id")));

    assertThat(id).isNotBlank();
    assertThat(second.getHeader(RequestIds.HEADER)).isEqualTo(id);
    assertThat(seen).containsEntry("mdc", id);
  }

  @Test
  void givenCandidateIds_whenChecked_itShouldAcceptOnlyTheSafeAlphabetUpTo128() {
    assertThat(RequestIds.isAcceptable("A-z_0.9:x")).isTrue();
    assertThat(RequestIds.isAcceptable("a".repeat(128))).isTrue();
    assertThat(RequestIds.isAcceptable("a".repeat(129))).isFalse();
    assertThat(RequestIds.isAcceptable("")).isFalse();
    assertThat(RequestIds.isAcceptable(null)).isFalse();
    assertThat(RequestIds.isAcceptable("a b")).isFalse();
    assertThat(RequestIds.isAcceptable("a\nb")).isFalse();
    assertThat(RequestIds.isAcceptable("a/b")).isFalse();
  }

  @Test
  void givenNoRequest_whenAskedForTheCurrentId_itShouldBeNull() {
    assertThat(RequestIds.current()).isNull();
  }

  private void run(MockHttpServletRequest request, MockHttpServletResponse response, Body body)
      throws ServletException, IOException {
    filter.doFilter(
        request,
        response,
        new MockFilterChain(
            new jakarta.servlet.http.HttpServlet() {
              @Override
              protected void service(
                  jakarta.servlet.http.HttpServletRequest req,
                  jakarta.servlet.http.HttpServletResponse res) {
                body.run();
              }
            }));
  }

  @FunctionalInterface
  interface Body {
    void run();
  }
}
