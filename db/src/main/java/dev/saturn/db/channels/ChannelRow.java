package dev.saturn.db.channels;

import java.time.Instant;

/** A channel; its reply URL and signing secrets are those of its endpoint ({@code endpointId}). */
public record ChannelRow(
    String id, String companyId, String agentId, String name, String endpointId, Instant createdAt, Instant updatedAt) {}
