/**
 * Temporal worker wiring: task queues, workflow and activity registration, interceptors. Active
 * only when the process runs the {@code worker} role.
 */
package dev.saturn.worker;
