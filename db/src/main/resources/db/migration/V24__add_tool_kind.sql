-- Which executor runs a tool's calls: 'http' (the URL template, method and headers of this row)
-- for every tool so far; other kinds (MCP) come with their own executor. The worker looks the
-- executor up by this value.
ALTER TABLE tools ADD COLUMN kind VARCHAR(16) NOT NULL DEFAULT 'http';
