// The Chat page: sends with stream=1 (the server redirects at once instead of waiting for the turn) and
// follows the turn's events (/console/turns/{id}/events, the same Server-Sent Events as the API's):
// the answer grows with message.delta, restarts on message.reset, ends with turn.completed; a tool call
// that waits for approval shows inline, with Approve / Deny for people allowed to decide.
(function () {
  'use strict';

  var form = document.getElementById('chat-form');
  if (form && window.EventSource) {
    form.elements.stream.value = '1';
    form.addEventListener('submit', function () {
      // One form, one key: a second click would only attach to the same turn, so do not send it.
      form.querySelector('button[type=submit]').disabled = true;
    });
  }
  var agent = document.getElementById('chat-agent');
  if (agent) {
    agent.addEventListener('change', function () { agent.form.submit(); });
  }

  var live = document.getElementById('live');
  if (!live || !window.EventSource) {
    return;
  }
  var answer = live.querySelector('[data-answer]');
  var citations = live.querySelector('[data-citations]');
  var approvals = live.querySelector('[data-approvals]');
  var status = live.querySelector('[data-status]');
  var canDecide = live.dataset.canDecide === 'true';
  var csrf = form ? form.querySelector('input[name=_csrf]') : null;
  var cards = {};
  var step = 0;
  var text = '';

  // The stream replays the turn from its first event, so whatever the server rendered is rebuilt.
  approvals.replaceChildren();
  answer.textContent = '';
  status.textContent = 'Writing the answer…';
  live.setAttribute('aria-busy', 'true');

  var source = new EventSource(live.dataset.events);

  function on(type, handle) {
    source.addEventListener(type, function (event) { handle(JSON.parse(event.data)); });
  }

  function show(value) {
    text = value;
    answer.textContent = text;
  }

  function finish(message) {
    source.close();
    live.removeAttribute('aria-busy');
    status.textContent = message;
    if (form) {
      form.querySelector('button[type=submit]').disabled = false;
    }
  }

  on('step.started', function (data) { step = data.step; show(''); });
  on('message.delta', function (data) {
    if (data.step !== step) {
      step = data.step;
      text = '';
    }
    show(text + data.text);
  });
  on('message.reset', function (data) {
    if (data.step === step) {
      show('');
    }
  });
  on('tool.called', function (data) { status.textContent = 'Calling ' + data.tool + '…'; });
  on('approval.requested', function (data) {
    approvals.appendChild(card(data));
    status.textContent = canDecide ? data.tool + ' waits for your approval.' : data.tool + ' waits for approval.';
  });
  on('approval.approved', function (data) { decided(data, 'Approved'); });
  on('approval.denied', function (data) { decided(data, 'Denied'); });
  on('approval.timed_out', function (data) { decided(data, 'Timed out'); });
  on('tool.result', function () { status.textContent = 'Writing the answer…'; });
  on('turn.completed', function (data) {
    var message = data.message || {};
    show(message.content || text);
    (message.citations || []).forEach(function (citation) {
      var item = document.createElement('li');
      var link = document.createElement('a');
      link.href = live.dataset.knowledgeBase + '#document-' + encodeURIComponent(citation.document_id);
      link.textContent = citation.title || citation.document_id;
      item.appendChild(link);
      citations.appendChild(item);
    });
    citations.hidden = citations.children.length === 0;
    finish('Done.');
  });
  on('turn.failed', function (data) { finish('The turn failed: ' + (data.detail || data.title || 'unknown error')); });
  source.onerror = function () {
    if (source.readyState === EventSource.CLOSED) {
      finish('The stream was interrupted: reload the page to see the answer.');
    }
  };

  function card(data) {
    var box = document.createElement('div');
    box.className = 'approval';
    var line = document.createElement('p');
    var name = document.createElement('strong');
    name.textContent = data.tool;
    line.appendChild(name);
    line.appendChild(document.createTextNode(' waits for approval.'));
    box.appendChild(line);
    var args = document.createElement('pre');
    args.className = 'arguments';
    var value = data.arguments;
    if (typeof value === 'string') {
      try {
        value = JSON.parse(value);
      } catch (notJson) {
        // shown as the text it is
      }
    }
    args.textContent = typeof value === 'string' ? value : JSON.stringify(value, null, 2);
    box.appendChild(args);
    if (canDecide && csrf) {
      box.appendChild(decision(data.call_id));
    } else {
      var hint = document.createElement('p');
      hint.className = 'hint';
      hint.textContent = 'Someone allowed to decide approvals must approve or deny it.';
      box.appendChild(hint);
    }
    cards[data.call_id] = box;
    return box;
  }

  function decision(callId) {
    var decide = document.createElement('form');
    decide.method = 'post';
    decide.className = 'decision';
    decide.action = live.dataset.decide + encodeURIComponent(callId);
    [['_csrf', csrf.value], ['back', 'chat']].forEach(function (pair) {
      var input = document.createElement('input');
      input.type = 'hidden';
      input.name = pair[0];
      input.value = pair[1];
      decide.appendChild(input);
    });
    [['approve', 'Approve', 'primary'], ['deny', 'Deny', '']].forEach(function (choice) {
      var button = document.createElement('button');
      button.type = 'submit';
      button.name = 'decision';
      button.value = choice[0];
      button.textContent = choice[1];
      button.className = choice[2];
      decide.appendChild(button);
    });
    decide.addEventListener('submit', function (event) {
      // Sent in the background: the page keeps following the turn, whose events tell the outcome.
      event.preventDefault();
      var body = new URLSearchParams(new FormData(decide));
      body.set('decision', event.submitter ? event.submitter.value : 'approve');
      decide.querySelectorAll('button').forEach(function (button) { button.disabled = true; });
      fetch(decide.action, {method: 'POST', body: body, credentials: 'same-origin'}).then(function (response) {
        if (!response.ok) {
          status.textContent = 'The decision was not taken (' + response.status + '); reload the page.';
        }
      });
    });
    return decide;
  }

  function decided(data, outcome) {
    var box = cards[data.call_id];
    if (!box) {
      return;
    }
    var form = box.querySelector('form, .hint');
    var line = document.createElement('p');
    line.className = 'decided';
    line.textContent = outcome + (data.decided_by ? ' by ' + data.decided_by : '') + '.';
    if (form) {
      box.replaceChild(line, form);
    } else {
      box.appendChild(line);
    }
    status.textContent = 'Writing the answer…';
  }
}());
