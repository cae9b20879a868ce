package dev.saturn.api.web;

import jakarta.validation.ConstraintViolationException;
import java.math.BigInteger;
import java.time.temporal.Temporal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.context.MessageSourceResolvable;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.BindingResult;
import org.springframework.validation.method.ParameterErrors;
import org.springframework.validation.method.ParameterValidationResult;
import org.springframework.web.bind.annotation.CookieValue;
import org.springframework.web.bind.annotation.MatrixVariable;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.core.exc.JacksonIOException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.InvalidNullException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.PropertyBindingException;

/**
 * Translates the many shapes of "the request is invalid" that Spring, Jackson and bean validation
 * produce into one VALIDATION_FAILED {@link ApiException}, with fields named as the client wrote
 * them. Messages are composed here rather than passed through, because framework messages name Java
 * types and methods.
 */
final class ValidationProblems {

  private static final Set<Class<?>> INTEGERS =
      Set.of(
          int.class,
          long.class,
          short.class,
          byte.class,
          Integer.class,
          Long.class,
          Short.class,
          Byte.class,
          BigInteger.class);

  private final JsonNames names;

  ValidationProblems(JsonNames names) {
    this.names = names;
  }

  /** {@code jsonBody}: the target was read from JSON, so Java names must become JSON names. */
  ApiException fromBinding(BindingResult result, Class<?> targetType, boolean jsonBody) {
    List<FieldError> fields = new ArrayList<>();
    addBindingErrors(fields, result.getFieldErrors(), "", targetType, jsonBody);
    return failure(fields, messages(result.getGlobalErrors()));
  }

  ApiException fromMethodValidation(HandlerMethodValidationException ex) {
    List<FieldError> fields = new ArrayList<>();
    List<String> global = new ArrayList<>(messages(ex.getCrossParameterValidationResults()));
    ex.visitResults(
        new HandlerMethodValidationException.Visitor() {
          @Override
          public void requestParam(RequestParam a, ParameterValidationResult r) {
            named(a == null ? "" : first(a.name(), a.value()), r);
          }

          @Override
          public void pathVariable(PathVariable a, ParameterValidationResult r) {
            named(first(a.name(), a.value()), r);
          }

          @Override
          public void requestHeader(RequestHeader a, ParameterValidationResult r) {
            named(first(a.name(), a.value()), r);
          }

          @Override
          public void cookieValue(CookieValue a, ParameterValidationResult r) {
            named(first(a.name(), a.value()), r);
          }

          @Override
          public void matrixVariable(MatrixVariable a, ParameterValidationResult r) {
            named(first(a.name(), a.value()), r);
          }

          @Override
          public void modelAttribute(ModelAttribute a, ParameterErrors errors) {
            bound(errors, false);
          }

          @Override
          public void requestBody(RequestBody a, ParameterErrors errors) {
            bound(errors, true);
          }

          @Override
          public void requestBodyValidationResult(RequestBody a, ParameterValidationResult r) {
            global.addAll(messages(r.getResolvableErrors()));
          }

          @Override
          public void requestPart(RequestPart a, ParameterErrors errors) {
            bound(errors, true);
          }

          @Override
          public void other(ParameterValidationResult r) {
            named("", r);
          }

          private void named(String name, ParameterValidationResult r) {
            String field = name.isEmpty() ? r.getMethodParameter().getParameterName() : name;
            for (String message : messages(r.getResolvableErrors())) {
              fields.add(new FieldError(field + containerSuffix(r), message));
            }
          }

          private void bound(ParameterErrors errors, boolean jsonBody) {
            Object argument = errors.getArgument();
            Class<?> root =
                argument != null
                    ? argument.getClass()
                    : errors.getMethodParameter().getParameterType();
            addBindingErrors(
                fields, errors.getFieldErrors(), containerSuffix(errors), root, jsonBody);
            global.addAll(messages(errors.getGlobalErrors()));
          }
        });
    return failure(fields, global);
  }

  ApiException fromConstraintViolations(ConstraintViolationException ex) {
    List<FieldError> fields =
        ex.getConstraintViolations().stream()
            .map(v -> new FieldError(names.path(v), v.getMessage()))
            .toList();
    return failure(fields, List.of());
  }

  /** Jackson failures carry the JSON path; anything else about the body stays unspecific. */
  ApiException fromUnreadableBody(HttpMessageNotReadableException ex) {
    JacksonException jackson = Causes.find(ex, JacksonException.class);
    if (jackson == null) {
      return ApiException.validation(
          ex.getCause() == null
                  && String.valueOf(ex.getMessage()).startsWith("Required request body")
              ? "Request body is required"
              : "Request body could not be read");
    }
    if (jackson instanceof JacksonIOException) {
      return ApiException.validation("Request body could not be read");
    }
    String path = JsonNames.path(jackson.getPath());
    if (jackson instanceof PropertyBindingException unknown) {
      String field = path.isEmpty() ? unknown.getPropertyName() : path;
      return failure(List.of(new FieldError(field, "is not a known field")), List.of());
    }
    if (jackson instanceof InvalidNullException && !path.isEmpty()) {
      return failure(List.of(new FieldError(path, "must not be null")), List.of());
    }
    if (jackson instanceof InputCoercionException coercion) {
      String outOfRange = "is out of range for " + describe(coercion.getTargetType());
      return path.isEmpty()
          ? ApiException.validation("Request body has a number that " + outOfRange)
          : failure(List.of(new FieldError(path, outOfRange)), List.of());
    }
    if (jackson instanceof StreamReadException) {
      return ApiException.validation("Request body is not valid JSON" + location(jackson));
    }
    if (jackson instanceof MismatchedInputException mismatch) {
      String expected = "must be " + describe(mismatch.getTargetType());
      return path.isEmpty()
          ? ApiException.validation("Request body " + expected)
          : failure(List.of(new FieldError(path, expected)), List.of());
    }
    return path.isEmpty()
        ? ApiException.validation("Request body has an invalid value")
        : failure(List.of(new FieldError(path, "has an invalid value")), List.of());
  }

  /** For query, path and header values that could not be converted. */
  static String expected(Class<?> type) {
    return "must be " + describe(type);
  }

  private void addBindingErrors(
      List<FieldError> into,
      List<org.springframework.validation.FieldError> errors,
      String prefix,
      Class<?> root,
      boolean jsonBody) {
    for (org.springframework.validation.FieldError error : errors) {
      String field = jsonBody ? names.path(root, error.getField()) : error.getField();
      // A binding failure's default message is a conversion stack in prose; say what was wanted.
      String message =
          error.isBindingFailure()
              ? "has an invalid value"
              : error.getDefaultMessage() == null ? "is invalid" : error.getDefaultMessage();
      into.add(
          new FieldError(
              prefix + (prefix.isEmpty() || field.startsWith("[") ? "" : ".") + field, message));
    }
  }

  private static ApiException failure(List<FieldError> unordered, List<String> global) {
    // Validators report in hash order; clients and tests deserve the same answer every time.
    List<FieldError> fields =
        unordered.stream()
            .sorted(Comparator.comparing(FieldError::field).thenComparing(FieldError::message))
            .toList();
    String detail;
    if (!global.isEmpty()) {
      detail = String.join("; ", global);
    } else if (fields.size() == 1) {
      detail = "Field '" + fields.get(0).field() + "' " + fields.get(0).message();
    } else if (fields.isEmpty()) {
      detail = "Request is invalid";
    } else {
      detail = fields.size() + " fields are invalid";
    }
    return ApiException.validation(detail, fields);
  }

  private static List<String> messages(List<? extends MessageSourceResolvable> errors) {
    return errors.stream()
        .map(e -> e.getDefaultMessage() == null ? "is invalid" : e.getDefaultMessage())
        .toList();
  }

  private static String containerSuffix(ParameterValidationResult r) {
    if (r.getContainerIndex() != null) {
      return "[" + r.getContainerIndex() + "]";
    }
    return r.getContainerKey() != null ? "[" + r.getContainerKey() + "]" : "";
  }

  private static String first(String name, String value) {
    return name != null && !name.isEmpty() ? name : value == null ? "" : value;
  }

  private static String location(JacksonException ex) {
    return ex.getLocation() == null || ex.getLocation().getLineNr() < 0
        ? ""
        : " (line "
            + ex.getLocation().getLineNr()
            + ", column "
            + ex.getLocation().getColumnNr()
            + ")";
  }

  private static String describe(Class<?> type) {
    if (type == null) {
      return "a valid value";
    }
    if (type == String.class || type == char.class || type == Character.class) {
      return "a string";
    }
    if (type == boolean.class || type == Boolean.class) {
      return "a boolean";
    }
    if (INTEGERS.contains(type)) {
      return "an integer";
    }
    if (type.isPrimitive() || Number.class.isAssignableFrom(type)) {
      return "a number";
    }
    if (type.isEnum()) {
      return "one of " + Arrays.toString(type.getEnumConstants());
    }
    if (type.isArray() || Collection.class.isAssignableFrom(type)) {
      return "an array";
    }
    if (type == UUID.class) {
      return "a UUID";
    }
    if (Temporal.class.isAssignableFrom(type)) {
      return "an ISO-8601 date or time";
    }
    return Map.class.isAssignableFrom(type) || !type.getName().startsWith("java.")
        ? "an object"
        : "a valid value";
  }
}
