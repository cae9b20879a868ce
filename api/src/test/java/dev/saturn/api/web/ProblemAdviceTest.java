package dev.saturn.api.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.saturn.workflows.common.ErrorCode;
import io.temporal.failure.ApplicationFailure;
import jakarta.servlet.FilterChain;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Valid;
import jakarta.validation.Validator;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.io.IOException;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.server.ResponseStatusException;

@WebMvcTest
@ExtendWith(OutputCaptureExtension.class)
class ProblemAdviceTest {

  private static final Pattern UUID =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

  @Autowired MockMvc mvc;

  // --- ApiException and request id -------------------------------------------------------

  @Test
  void givenApiExceptionNotFound_whenRendered_itShouldBeAProblemWithEveryMember() throws Exception {
    MvcResult result =
        problem(get("/test/things/7"), ErrorCode.NOT_FOUND)
            .andExpect(jsonPath("$.type").value("urn:saturn:error:not_found"))
            .andExpect(jsonPath("$.title").value("Not found"))
            .andExpect(jsonPath("$.detail").value("Thing 7 not found"))
            .andExpect(jsonPath("$.instance").value("/test/things/7"))
            .andExpect(jsonPath("$.field_errors").doesNotExist())
            .andReturn();
    assertThat(result.getResponse().getHeader(RequestIds.HEADER)).matches(UUID);
  }

  @Test
  void givenValidIncomingRequestId_whenAnErrorIsReturned_itShouldBeEchoedInHeaderAndBody()
      throws Exception {
    String offered = "edge-01:abc.DEF_9";
    problem(get("/test/things/1").header(RequestIds.HEADER, offered), ErrorCode.NOT_FOUND)
        .andExpect(header().string(RequestIds.HEADER, offered))
        .andExpect(jsonPath("$.request_id").value(offered));
  }

  @Test
  void givenRequestIdOf128Chars_whenRequested_itShouldBeAccepted() throws Exception {
    String offered = "a".repeat(128);
    mvc.perform(get("/test/things/1").header(RequestIds.HEADER, offered))
        .andExpect(header().string(RequestIds.HEADER, offered));
  }

  @Test
  void givenInvalidIncomingRequestIds_whenRequested_itShouldReplaceThemWithAUuid()
      throws Exception {
    for (String bad : List.of("has space", "semi;colon", "a".repeat(129), "ünï", "x\r\ny")) {
      MvcResult result =
          problem(get("/test/things/1").header(RequestIds.HEADER, bad), ErrorCode.NOT_FOUND)
              .andReturn();
      assertThat(result.getResponse().getHeader(RequestIds.HEADER)).as(bad).matches(UUID);
    }
  }

  @Test
  void givenSuccessfulRequest_whenAnswered_itShouldCarryTheRequestIdAndSnakeCaseJson()
      throws Exception {
    mvc.perform(
            post("/test/things")
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"display_name\":\"x\",\"max_calls\":2}"))
        .andExpect(status().isCreated())
        .andExpect(header().string(RequestIds.HEADER, matchesUuid()))
        .andExpect(jsonPath("$.display_name").value("x"))
        .andExpect(jsonPath("$.max_calls").value(2));
  }

  @Test
  void givenUnauthenticatedApiException_whenRendered_itShouldAskForABearerToken() throws Exception {
    problem(get("/test/unauthenticated"), ErrorCode.AUTH_INVALID)
        .andExpect(header().string("WWW-Authenticate", "Bearer"))
        .andExpect(jsonPath("$.detail").value("Token expired"));
  }

  // --- routing ---------------------------------------------------------------------------

  @Test
  void givenUnknownRoute_whenRequested_itShouldBeNotFound() throws Exception {
    problem(get("/no/such/route"), ErrorCode.NOT_FOUND)
        .andExpect(jsonPath("$.instance").value("/no/such/route"));
    problem(
        post("/no/such/route").contentType(MediaType.APPLICATION_JSON).content("{}"),
        ErrorCode.NOT_FOUND);
  }

  @Test
  void givenWrongMethod_whenRequested_itShouldBeMethodNotAllowedWithAllow() throws Exception {
    problem(delete("/test/things"), ErrorCode.METHOD_NOT_ALLOWED)
        .andExpect(header().string("Allow", containsString("POST")))
        .andExpect(jsonPath("$.detail").value(containsString("DELETE")));
  }

  @Test
  void givenUnsupportedContentType_whenPosted_itShouldBeUnsupportedMediaType() throws Exception {
    problem(
            post("/test/things").contentType(MediaType.TEXT_PLAIN).content("hi"),
            ErrorCode.UNSUPPORTED_MEDIA_TYPE)
        .andExpect(header().string("Accept", containsString("application/json")));
  }

  @Test
  void givenUnacceptableAccept_whenRequested_itShouldBeNotAcceptableAndStillProblemJson()
      throws Exception {
    problem(get("/test/json").accept(MediaType.valueOf("text/csv")), ErrorCode.NOT_ACCEPTABLE);
  }

  // --- request bodies --------------------------------------------------------------------

  @Test
  void givenMalformedJson_whenPosted_itShouldBeValidationFailed() throws Exception {
    problem(json("{\"display_name\": \"x\",,}"), ErrorCode.VALIDATION_FAILED)
        .andExpect(jsonPath("$.detail").value(startsWith("Request body is not valid JSON")));
  }

  @Test
  void givenMissingBody_whenPosted_itShouldBeValidationFailed() throws Exception {
    problem(json(""), ErrorCode.VALIDATION_FAILED)
        .andExpect(jsonPath("$.detail").value("Request body is required"));
  }

  @Test
  void givenWrongJsonType_whenPosted_itShouldNameTheField() throws Exception {
    problem(json("{\"display_name\":\"x\",\"max_calls\":\"many\"}"), ErrorCode.VALIDATION_FAILED)
        .andExpect(jsonPath("$.field_errors[0].field").value("max_calls"))
        .andExpect(jsonPath("$.field_errors[0].message").value("must be an integer"));
    problem(
            json("{\"display_name\":\"x\",\"max_calls\":1,\"tags\":{}}"),
            ErrorCode.VALIDATION_FAILED)
        .andExpect(jsonPath("$.field_errors[0].field").value("tags"))
        .andExpect(jsonPath("$.field_errors[0].message").value("must be an array"));
  }

  @Test
  void givenUnknownField_whenPosted_itShouldBeRejectedNamingTheField() throws Exception {
    // camelCase is the likeliest mistake against a snake_case API: it must not pass silently.
    problem(json("{\"display_name\":\"x\",\"maxCalls\":3}"), ErrorCode.VALIDATION_FAILED)
        .andExpect(jsonPath("$.field_errors[0].field").value("maxCalls"))
        .andExpect(jsonPath("$.field_errors[0].message").value("is not a known field"));
    problem(
            json("{\"display_name\":\"x\",\"tags\":[{\"label_text\":\"a\",\"bogus\":1}]}"),
            ErrorCode.VALIDATION_FAILED)
        .andExpect(jsonPath("$.field_errors[0].field").value("tags[0].bogus"));
  }

  @Test
  void givenMissingAndInvalidFields_whenPosted_itShouldListEveryFieldInSnakeCase()
      throws Exception {
    problem(
            json("{\"max_calls\":0,\"tags\":[{\"label_text\":\" \"}],\"colour\":\"magenta\"}"),
            ErrorCode.VALIDATION_FAILED)
        .andExpect(jsonPath("$.detail").value("4 fields are invalid"))
        .andExpect(jsonPath("$.field_errors[*].field", hasItem("display_name")))
        .andExpect(jsonPath("$.field_errors[*].field", hasItem("max_calls")))
        .andExpect(jsonPath("$.field_errors[*].field", hasItem("tags[0].label_text")))
        // @JsonProperty wins over the naming strategy.
        .andExpect(jsonPath("$.field_errors[*].field", hasItem("colour")))
        .andExpect(
            jsonPath("$.field_errors[?(@.field == 'display_name')].message")
                .value(hasItem("must not be blank")));
  }

  @Test
  void givenOnlyTheRequiredFieldMissing_whenPosted_itShouldSaySoInTheDetail() throws Exception {
    problem(json("{\"max_calls\":1}"), ErrorCode.VALIDATION_FAILED)
        .andExpect(jsonPath("$.detail").value("Field 'display_name' must not be blank"))
        .andExpect(jsonPath("$.field_errors.length()").value(1));
  }

  // --- parameters and headers ------------------------------------------------------------

  @Test
  void givenMissingQueryParameter_whenRequested_itShouldNameIt() throws Exception {
    problem(get("/test/search"), ErrorCode.VALIDATION_FAILED)
        .andExpect(jsonPath("$.field_errors[0].field").value("limit"))
        .andExpect(jsonPath("$.field_errors[0].message").value("is required"));
  }

  @Test
  void givenQueryParameterOfWrongType_whenRequested_itShouldNameIt() throws Exception {
    problem(get("/test/search").param("limit", "ten"), ErrorCode.VALIDATION_FAILED)
        .andExpect(jsonPath("$.field_errors[0].field").value("limit"))
        .andExpect(jsonPath("$.field_errors[0].message").value("must be an integer"));
  }

  @Test
  void givenQueryParameterBreakingAConstraint_whenRequested_itShouldNameIt() throws Exception {
    problem(get("/test/search").param("limit", "0"), ErrorCode.VALIDATION_FAILED)
        .andExpect(jsonPath("$.field_errors[0].field").value("limit"))
        .andExpect(jsonPath("$.field_errors[0].message").value(containsString("greater than")));
  }

  @Test
  void givenMissingHeader_whenRequested_itShouldNameIt() throws Exception {
    problem(get("/test/tenant"), ErrorCode.VALIDATION_FAILED)
        .andExpect(jsonPath("$.field_errors[0].field").value("X-Tenant"));
  }

  @Test
  void givenConstraintViolationsFromAServiceValidator_whenRendered_itShouldUseJsonNames()
      throws Exception {
    problem(get("/test/violations"), ErrorCode.VALIDATION_FAILED)
        .andExpect(jsonPath("$.field_errors[*].field", hasItem("display_name")))
        .andExpect(jsonPath("$.field_errors[*].field", hasItem("max_calls")))
        .andExpect(jsonPath("$.field_errors[*].field", hasItem("tags[0].label_text")))
        .andExpect(jsonPath("$.field_errors[*].field", hasItem("colour")));
  }

  // --- sizes -----------------------------------------------------------------------------

  @Test
  void givenUploadOverTheLimit_whenPosted_itShouldBePayloadTooLarge() throws Exception {
    problem(post("/test/upload"), ErrorCode.PAYLOAD_TOO_LARGE)
        .andExpect(jsonPath("$.detail").value(containsString("1024")));
  }

  @Test
  void givenBodyCapTrippedInsideAWrapper_whenRendered_itShouldBePayloadTooLarge() throws Exception {
    problem(post("/test/capped"), ErrorCode.PAYLOAD_TOO_LARGE)
        .andExpect(jsonPath("$.detail").value(containsString("10 bytes")));
  }

  // --- everything else -------------------------------------------------------------------

  @Test
  void givenUnexpectedException_whenRendered_itShouldBeInternalErrorWithoutLeakingTheMessage(
      CapturedOutput output) throws Exception {
    MvcResult result =
        problem(get("/test/boom"), ErrorCode.INTERNAL_ERROR)
            .andExpect(jsonPath("$.detail").value(ProblemAdvice.GENERIC_DETAIL))
            .andReturn();
    assertThat(result.getResponse().getContentAsString()).doesNotContain("hunter2", "Illegal");
    assertThat(output.getOut() + output.getErr())
        .contains("ERROR")
        .contains("java.lang.IllegalStateException: password=hunter2")
        .contains("at dev.saturn.api.web.ProblemAdviceTest$TestController.boom");
  }

  @Test
  void givenWorkflowFailureTypedWithARegistryCode_whenRendered_itShouldKeepTheCode()
      throws Exception {
    problem(get("/test/workflow"), ErrorCode.TOOL_NOT_ALLOWED)
        .andExpect(jsonPath("$.detail").value("Tool 'shell' is not attached to this agent"));
  }

  @Test
  void givenWorkflowFailureOfAnUnknownType_whenRendered_itShouldBeInternalError() throws Exception {
    problem(get("/test/workflow-bug"), ErrorCode.INTERNAL_ERROR)
        .andExpect(jsonPath("$.detail").value(ProblemAdvice.GENERIC_DETAIL));
  }

  @Test
  void givenResponseStatusException_whenRendered_itShouldMapTheStatusToACode() throws Exception {
    problem(get("/test/status"), ErrorCode.CONFLICT)
        .andExpect(jsonPath("$.detail").value("Already running"));
  }

  // --- outside MVC -----------------------------------------------------------------------

  @Test
  void givenFilterRejectingViaProblemWriter_whenRequested_itShouldRenderTheSameBody()
      throws Exception {
    problem(
            get("/test/things/1").header("X-Test-Deny", "1").header(RequestIds.HEADER, "f-1"),
            ErrorCode.AUTH_INVALID)
        .andExpect(header().string("WWW-Authenticate", "Bearer"))
        .andExpect(header().string(RequestIds.HEADER, "f-1"))
        .andExpect(jsonPath("$.request_id").value("f-1"))
        .andExpect(jsonPath("$.type").value("urn:saturn:error:auth_invalid"))
        .andExpect(jsonPath("$.instance").value("/test/things/1"))
        .andExpect(jsonPath("$.detail").value("Missing bearer token"));
  }

  // --- the error path (MockMvc does not forward; ContainerErrorsTest does it for real) ---

  @Test
  void givenContainerBadRequest_whenForwardedToErrorPath_itShouldBeProblemJson() throws Exception {
    problem(
            get("/error")
                .requestAttr(RequestDispatcher.ERROR_STATUS_CODE, 400)
                .requestAttr(RequestDispatcher.ERROR_REQUEST_URI, "/bad%zz"),
            ErrorCode.VALIDATION_FAILED)
        .andExpect(jsonPath("$.instance").value("/bad%zz"));
  }

  @Test
  void givenApiExceptionThrownByAFilter_whenForwardedToErrorPath_itShouldKeepItsCode()
      throws Exception {
    problem(
            get("/error")
                .requestAttr(RequestDispatcher.ERROR_STATUS_CODE, 500)
                .requestAttr(
                    RequestDispatcher.ERROR_EXCEPTION,
                    new ServletException(ApiException.forbidden("Scope agents:write needed"))),
            ErrorCode.AUTH_FORBIDDEN)
        .andExpect(jsonPath("$.detail").value("Scope agents:write needed"));
  }

  @Test
  void givenUnexpectedContainerError_whenForwardedToErrorPath_itShouldNotLeak() throws Exception {
    MvcResult result =
        problem(
                get("/error")
                    .requestAttr(RequestDispatcher.ERROR_STATUS_CODE, 500)
                    .requestAttr(
                        RequestDispatcher.ERROR_EXCEPTION,
                        new IllegalStateException("password=hunter2")),
                ErrorCode.INTERNAL_ERROR)
            .andReturn();
    assertThat(result.getResponse().getContentAsString()).doesNotContain("hunter2");
  }

  @Test
  void givenNoErrorAttributes_whenErrorPathIsCalledDirectly_itShouldBeNotFound() throws Exception {
    problem(get("/error"), ErrorCode.NOT_FOUND);
  }

  // --- helpers ---------------------------------------------------------------------------

  /** Asserts what every problem shares, so each test only states what is particular to it. */
  private ResultActions problem(MockHttpServletRequestBuilder request, ErrorCode code)
      throws Exception {
    ResultActions actions =
        mvc.perform(request)
            .andExpect(status().is(code.httpStatus()))
            .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
            .andExpect(jsonPath("$.code").value(code.name()))
            .andExpect(jsonPath("$.status").value(code.httpStatus()))
            .andExpect(jsonPath("$.title").value(code.title()))
            .andExpect(jsonPath("$.type").value(Problem.type(code).toString()));
    String id = actions.andReturn().getResponse().getHeader(RequestIds.HEADER);
    assertThat(id).isNotBlank();
    return actions.andExpect(jsonPath("$.request_id").value(id));
  }

  private static MockHttpServletRequestBuilder json(String body) {
    return post("/test/things").contentType(MediaType.APPLICATION_JSON).content(body);
  }

  private static org.hamcrest.Matcher<String> matchesUuid() {
    return org.hamcrest.Matchers.matchesPattern(UUID);
  }

  // --- fixtures --------------------------------------------------------------------------

  @Configuration(proxyBeanMethods = false)
  @Import({
    ProblemAdvice.class,
    ProblemWriter.class,
    ErrorDialects.class,
    ProblemErrorController.class,
    RequestIdFilter.class,
    JsonConventions.class,
    TestController.class,
    DenyingFilter.class
  })
  static class TestApp {}

  record CreateThing(
      @NotBlank String displayName,
      @NotNull @Min(1) Integer maxCalls,
      @Valid List<Tag> tags,
      @JsonProperty("colour") @Size(max = 3) String paint) {}

  record Tag(@NotBlank String labelText) {}

  @RestController
  @RequestMapping("/test")
  static class TestController {

    private final Validator validator;

    TestController(Validator validator) {
      this.validator = validator;
    }

    @PostMapping("/things")
    @ResponseStatus(HttpStatus.CREATED)
    CreateThing create(@Valid @RequestBody CreateThing thing) {
      return thing;
    }

    @GetMapping("/things/{id}")
    CreateThing find(@PathVariable String id) {
      throw ApiException.notFound("Thing " + id);
    }

    @GetMapping("/search")
    List<String> search(@RequestParam @Min(1) int limit) {
      return List.of();
    }

    @GetMapping("/tenant")
    String tenant(@RequestHeader("X-Tenant") String tenant) {
      return tenant;
    }

    @GetMapping(path = "/json", produces = MediaType.APPLICATION_JSON_VALUE)
    CreateThing json() {
      return new CreateThing("x", 1, List.of(), null);
    }

    @GetMapping("/violations")
    void violations() {
      throw new ConstraintViolationException(
          validator.validate(new CreateThing(" ", 0, List.of(new Tag("")), "magenta")));
    }

    @PostMapping("/upload")
    void upload() {
      throw new MaxUploadSizeExceededException(1024);
    }

    @PostMapping("/capped")
    void capped() {
      throw new IllegalStateException("read failed", new PayloadTooLargeException(10));
    }

    @GetMapping("/unauthenticated")
    void unauthenticated() {
      throw ApiException.unauthenticated("Token expired");
    }

    @GetMapping("/boom")
    void boom() {
      throw new IllegalStateException("password=hunter2");
    }

    @GetMapping("/workflow")
    void workflow() {
      throw new RuntimeException(
          "workflow failed",
          ApplicationFailure.newNonRetryableFailure(
              "Tool 'shell' is not attached to this agent", ErrorCode.TOOL_NOT_ALLOWED.name()));
    }

    @GetMapping("/workflow-bug")
    void workflowBug() {
      throw new RuntimeException(
          "workflow failed",
          ApplicationFailure.newFailure("boom at row 3", "java.lang.NullPointerException"));
    }

    @GetMapping("/status")
    void status() {
      throw new ResponseStatusException(HttpStatus.CONFLICT, "Already running");
    }
  }

  /** Stands in for the authentication filter: rejects before MVC, through ProblemWriter. */
  static class DenyingFilter extends OncePerRequestFilter {

    private final ProblemWriter problems;

    DenyingFilter(ProblemWriter problems) {
      this.problems = problems;
    }

    @Override
    protected void doFilterInternal(
        HttpServletRequest request, HttpServletResponse response, FilterChain chain)
        throws ServletException, IOException {
      if (request.getHeader("X-Test-Deny") != null) {
        problems.write(request, response, ErrorCode.AUTH_INVALID, "Missing bearer token");
        return;
      }
      chain.doFilter(request, response);
    }
  }
}
