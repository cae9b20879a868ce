package dev.saturn.api.chat;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param resultWait how long {@code POST /chat} waits for the turn before answering 202
 * @param maxMessageChars the longest user message accepted
 */
@ConfigurationProperties("saturn.chat")
public record ChatProperties(@DefaultValue("30s") Duration resultWait, @DefaultValue("32000") int maxMessageChars) {}
