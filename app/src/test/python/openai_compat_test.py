"""SATURN's OpenAI-compatible API through the official `openai` Python client.

Run by OpenAiClientIT against the packaged jar, which passes:
  SATURN_BASE_URL        http://127.0.0.1:<port> (the client's base_url is this + /v1)
  SATURN_API_KEY         a company API key (Authorization: Bearer)
  SATURN_AGENT_ID        an agent whose model (a stand-in) answers "stand-in reply #N to: <question>"
  SATURN_AGENT_NAME      that agent's unique name
  SATURN_APPROVAL_AGENT  an agent whose model asks for the tool "guarded", which needs a person's approval
"""
import json
import os
import time
import urllib.request

import pytest
from openai import BadRequestError, NotFoundError, OpenAI

BASE = os.environ["SATURN_BASE_URL"]
KEY = os.environ["SATURN_API_KEY"]
AGENT = os.environ["SATURN_AGENT_ID"]
AGENT_NAME = os.environ["SATURN_AGENT_NAME"]
APPROVAL_AGENT = os.environ["SATURN_APPROVAL_AGENT"]

client = OpenAI(base_url=BASE + "/v1", api_key=KEY, max_retries=0, timeout=120)


def native(path):
    """A GET on SATURN's own API, to compare with what the OpenAI shapes say."""
    request = urllib.request.Request(BASE + path, headers={"Authorization": "Bearer " + KEY})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)


def saturn(model):
    """The `saturn` extension member the client keeps as an extra field."""
    return model.to_dict()["saturn"]


def test_models_list_the_companys_agents_and_retrieve_one_by_name():
    models = client.models.list()

    assert AGENT in [model.id for model in models.data]
    assert all(model.object == "model" for model in models.data)
    assert client.models.retrieve(AGENT_NAME).id == AGENT


def test_chat_completion_answers_with_the_stored_answer_and_exact_usage():
    completion = client.chat.completions.create(
        model=AGENT,
        messages=[{"role": "system", "content": "Be kind."}, {"role": "user", "content": "hello from python"}],
        temperature=0.2,
        max_tokens=64,
    )

    assert completion.object == "chat.completion"
    choice = completion.choices[0]
    assert choice.finish_reason == "stop"
    assert choice.message.role == "assistant"
    assert "hello from python" in choice.message.content
    stored = native("/v1/turns/" + saturn(completion)["turn_id"])
    assert choice.message.content == stored["message"]["content"]
    assert completion.usage.prompt_tokens == stored["usage"]["input_tokens"]
    assert completion.usage.completion_tokens == stored["usage"]["output_tokens"]
    assert completion.usage.total_tokens == stored["usage"]["input_tokens"] + stored["usage"]["output_tokens"]


def test_chat_completion_takes_the_agents_name_as_model_and_continues_a_named_session():
    first = client.chat.completions.create(model=AGENT_NAME, messages=[{"role": "user", "content": "remember 42"}])
    session = saturn(first)["session_id"]

    second = client.chat.completions.create(
        model=AGENT, user=session, messages=[{"role": "user", "content": "what did I say?"}]
    )

    assert saturn(second)["session_id"] == session
    history = native("/v1/sessions/" + session + "/messages")["items"]
    assert [m["content"] for m in history if m["role"] == "user"] == ["remember 42", "what did I say?"]


def test_streamed_completion_joins_to_the_stored_answer_and_ends_with_usage():
    stream = client.chat.completions.create(
        model=AGENT,
        messages=[{"role": "user", "content": "stream from python"}],
        stream=True,
        stream_options={"include_usage": True},
    )
    chunks = list(stream)

    assert all(chunk.object == "chat.completion.chunk" for chunk in chunks)
    text = "".join(chunk.choices[0].delta.content or "" for chunk in chunks if chunk.choices)
    finish = [chunk.choices[0].finish_reason for chunk in chunks if chunk.choices and chunk.choices[0].finish_reason]
    assert finish == ["stop"]
    last = chunks[-1]
    assert last.choices == []
    stored = native("/v1/turns/" + chunks[0].id[len("chatcmpl-"):])
    assert text == stored["message"]["content"]
    assert "stream from python" in text
    assert last.usage.prompt_tokens == stored["usage"]["input_tokens"]
    assert last.usage.completion_tokens == stored["usage"]["output_tokens"]


def test_responses_create_retrieve_and_continue():
    response = client.responses.create(model=AGENT, input="hello responses", instructions="Answer briefly.")

    assert response.status == "completed"
    assert response.id.startswith("resp_")
    stored = native("/v1/turns/" + response.id[len("resp_"):])
    assert response.output_text == stored["message"]["content"]
    assert response.instructions == "Answer briefly."
    assert response.usage.total_tokens == stored["usage"]["input_tokens"] + stored["usage"]["output_tokens"]
    retrieved = client.responses.retrieve(response.id)
    assert retrieved.status == "completed"
    assert retrieved.output_text == response.output_text
    following = client.responses.create(model=AGENT, input="and then?", previous_response_id=response.id)
    assert saturn(following)["session_id"] == saturn(response)["session_id"]


def test_streamed_response_emits_events_ending_completed():
    events = list(client.responses.create(model=AGENT, input="stream a response", stream=True))

    types = [event.type for event in events]
    assert types[0] == "response.created"
    assert types[-1] == "response.completed"
    deltas = "".join(event.delta for event in events if event.type == "response.output_text.delta")
    assert deltas == events[-1].response.output_text
    assert "stream a response" in deltas


def test_background_response_waits_for_an_approval_in_progress_then_is_cancelled():
    response = client.responses.create(model=APPROVAL_AGENT, input="please pay", background=True)
    assert response.status == "in_progress"

    deadline = time.time() + 60
    while not response.output and time.time() < deadline:
        time.sleep(0.2)
        response = client.responses.retrieve(response.id)
    assert response.status == "in_progress"
    call = response.output[0]
    assert call.type == "function_call"
    assert call.name == "guarded"
    assert call.to_dict()["saturn"]["awaiting_approval"] is True

    cancelled = client.responses.cancel(response.id)

    assert cancelled.status == "cancelled"
    assert client.responses.retrieve(response.id).status == "cancelled"
    assert native("/v1/turns/" + response.id[len("resp_"):])["error"]["code"] == "TURN_CANCELLED"


def test_an_unknown_model_is_404_in_openais_error_shape():
    with pytest.raises(NotFoundError) as raised:
        client.chat.completions.create(model="no-such-agent", messages=[{"role": "user", "content": "hi"}])

    assert raised.value.status_code == 404
    assert raised.value.code == "not_found"
    assert raised.value.param == "model"
    assert raised.value.type == "invalid_request_error"


def test_client_side_tools_are_refused_with_400():
    with pytest.raises(BadRequestError) as raised:
        client.chat.completions.create(
            model=AGENT,
            messages=[{"role": "user", "content": "hi"}],
            tools=[{"type": "function", "function": {"name": "f", "parameters": {"type": "object"}}}],
        )

    assert raised.value.status_code == 400
    assert raised.value.code == "validation_failed"
    assert raised.value.param == "tools"
    assert "agents call their own tools" in raised.value.message
