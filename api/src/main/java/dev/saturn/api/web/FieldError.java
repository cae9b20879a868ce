package dev.saturn.api.web;

/**
 * One invalid input in a {@code VALIDATION_FAILED} problem. {@code field} is named as the client
 * wrote it: the snake_case JSON path for bodies ({@code tools[0].max_calls}), the parameter or
 * header name otherwise.
 */
public record FieldError(String field, String message) {}
