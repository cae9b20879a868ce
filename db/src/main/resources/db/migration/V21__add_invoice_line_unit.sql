-- What one unit of an invoice line's quantity is, so unit_price_minor can be read:
-- 'month' (base fee), '1k_tokens' (token lines, price per 1000 tokens), 'call' (tool calls).
ALTER TABLE invoice_lines ADD COLUMN unit VARCHAR(16) NOT NULL DEFAULT '';
