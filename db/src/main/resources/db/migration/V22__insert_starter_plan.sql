-- An example paid plan (prices in minor units of USD, token prices per 1000 tokens; "*" prices
-- every model the plan does not name). Operators add their own plans the same way.
INSERT INTO plans (id, name, currency, base_fee_minor, included_tokens, monthly_token_quota,
                   tool_call_price_minor, model_prices, rate_limits, created_at)
VALUES ('starter', 'Starter', 'USD', 2900, 1000000, 20000000, 1,
        '{"*": {"input_per_1k_minor": 1, "output_per_1k_minor": 3}, "gpt-4o": {"input_per_1k_minor": 3, "output_per_1k_minor": 10}}',
        '{"requests_per_minute": 1200, "chat_turns_per_minute": 120}', '2026-01-01 00:00:00');
