package dev.saturn.workflows.webhooks;

/** Attempt number {@code attempt} (from 1) of a delivery. */
public record DeliveryAttemptInput(String companyId, String deliveryId, int attempt) {}
