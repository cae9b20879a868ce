/**
 * The HTTP edge shared by every feature: how errors leave the API and how a request is identified.
 *
 * <p>Every error is RFC 7807 {@code application/problem+json} carrying an {@link
 * dev.saturn.workflows.common.ErrorCode} name and the request id, whether it was raised in a
 * controller ({@link dev.saturn.api.web.ApiException} → {@link dev.saturn.api.web.ProblemAdvice}),
 * in a servlet filter ({@link dev.saturn.api.web.ProblemWriter}), by the container on the error
 * path ({@link dev.saturn.api.web.ProblemErrorController}) or by Tomcat before the application is
 * reached ({@link dev.saturn.api.web.ProblemErrorReportValve}). All of them build the body with
 * {@link dev.saturn.api.web.Problem#of}, so the shape cannot diverge. Feature code throws {@code
 * ApiException} and never builds responses for errors itself.
 *
 * <p>{@link dev.saturn.api.web.RequestIdFilter} gives each request an id and logging context
 * ({@link dev.saturn.api.web.RequestIds}, {@link dev.saturn.api.web.RequestContext}); {@link
 * dev.saturn.api.web.JsonConventions} fixes the JSON dialect (snake_case, unknown fields rejected)
 * for the whole application.
 */
package dev.saturn.api.web;
