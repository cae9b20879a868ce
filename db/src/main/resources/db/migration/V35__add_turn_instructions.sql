-- Instructions a channel gave for one turn (the Responses API's `instructions`, system messages of
-- an OpenAI-style chat request): the model call appends them to the agent's system prompt. Null for
-- turns that have none. Kept on the turn, not in the workflow input, so payloads stay ids.
ALTER TABLE turns ADD COLUMN instructions MEDIUMTEXT NULL;
