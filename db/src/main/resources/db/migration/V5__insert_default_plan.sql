-- The built-in plan every new company gets until billing (issue 6) manages plans.
INSERT INTO plans (id, name, currency, base_fee_minor, included_tokens, monthly_token_quota,
                   tool_call_price_minor, model_prices, rate_limits, created_at)
VALUES ('default', 'Default', 'USD', 0, 1000000, NULL, 0, '{}',
        '{"requests_per_minute": 600, "chat_turns_per_minute": 60}', '2026-01-01 00:00:00');
