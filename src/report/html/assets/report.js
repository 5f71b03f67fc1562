(function () {
  'use strict';
  var source = document.getElementById('ev-data');
  var tbody = document.getElementById('spec-rows');
  if (!source || !tbody) return;
  var specs = JSON.parse(source.textContent || '{"specs":[]}').specs || [];
  var ORDER = { invalid: 0, error: 1, failing: 2, blocked: 3, skipped: 4, verified: 5 };
  var COLUMNS = 7;
  var state = { key: 'verdict', dir: 1, text: '', hidden: {}, open: {} };
  var rows = [];
  var details = [];

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null && text !== '') e.textContent = String(text);
    return e;
  }
  function add(parent, child) { parent.appendChild(child); return child; }

  function table(head, data, rowClass) {
    var t = el('table', 'grid');
    var tr = add(add(t, el('thead')), el('tr'));
    head.forEach(function (h) { add(tr, el('th', '', h)).scope = 'col'; });
    var body = add(t, el('tbody'));
    data.forEach(function (cells, i) {
      var r = add(body, el('tr', rowClass ? rowClass(cells, i) : ''));
      cells.slice(0, head.length).forEach(function (c) { add(r, el('td', '', c)); });
    });
    return t;
  }

  function sortValue(s, key) {
    if (key === 'verdict') return ORDER[s.verdict];
    if (key === 'duration') return s.durationMs;
    // Never verified is the stalest of all.
    if (key === 'age') return s.ageMs < 0 ? Infinity : s.ageMs;
    return String(s[key] || '').toLowerCase();
  }

  function compare(a, b) {
    var x = sortValue(specs[a], state.key), y = sortValue(specs[b], state.key);
    if (x < y) return -state.dir;
    if (x > y) return state.dir;
    return a - b;
  }

  function matches(s) {
    if (state.hidden[s.verdict]) return false;
    if (!state.text) return true;
    var hay = [s.endpoint, s.file, s.domain, s.api, s.gateway, s.tokenType, s.reason].join('\n').toLowerCase();
    return hay.indexOf(state.text) !== -1;
  }

  function specRow(i) {
    var s = specs[i];
    var tr = el('tr', 'spec-row');
    tr.setAttribute('data-index', String(i));
    tr.setAttribute('data-verdict', s.verdict);
    var first = add(tr, el('td', 'verdict'));
    var toggle = add(first, el('button', 'toggle', '\u25B8'));
    toggle.type = 'button';
    toggle.setAttribute('aria-expanded', 'false');
    toggle.setAttribute('aria-label', 'show steps');
    add(first, el('span', 'badge v-' + s.verdict, s.verdict));
    add(tr, el('td', 'endpoint', s.endpoint));
    add(tr, el('td', 'file mono', s.file));
    var gw = add(tr, el('td', 'gateway'));
    add(gw, el('span', s.fallback ? 'fallback' : '', s.gateway));
    add(tr, el('td', 'token', s.tokenType || '\u2013'));
    add(tr, el('td', 'duration n', s.duration)).setAttribute('data-ms', String(s.durationMs));
    var age = add(tr, el('td', 'age', s.age));
    if (s.verifiedAt) age.title = s.verifiedAt;
    tr.addEventListener('click', function () { toggleOpen(i); });
    return tr;
  }

  function waterfall(steps) {
    var total = steps.reduce(function (n, st) { return n + st.durationMs; }, 0);
    var box = el('div', 'waterfall');
    var offset = 0;
    steps.forEach(function (st) {
      add(box, el('div', 'wf-label', st.phase + ' \u00B7 ' + st.id)).title = st.method + ' ' + st.url;
      var track = add(box, el('div', 'wf-track'));
      var bar = add(track, el('div', 'wf-bar ph-' + st.phase + ' o-' + st.outcome));
      // Bars start where the previous step ended: the chain runs one step at a time.
      bar.style.left = (total > 0 ? (offset / total) * 100 : 0) + '%';
      bar.style.width = (total > 0 ? (st.durationMs / total) * 100 : 0) + '%';
      bar.title = st.id + ': ' + st.duration + ' (' + st.outcome + ')';
      add(box, el('div', 'wf-time', st.duration));
      offset += st.durationMs;
    });
    return box;
  }

  function stepBlock(st) {
    var box = el('section', 'step o-' + st.outcome);
    var h = add(box, el('h5'));
    add(h, el('span', 'phase ph-' + st.phase, st.phase));
    add(h, el('span', 'step-id', st.id));
    add(h, el('span', 'step-outcome', ' \u2014 ' + st.outcome));
    if (st.description) add(box, el('div', 'meta', st.description));
    var req = add(box, el('div', 'request mono'));
    add(req, el('strong', '', st.method));
    add(req, document.createTextNode(' ' + st.url));
    var meta = ['status ' + (st.status || '\u2013'), st.duration];
    if (st.meta) meta.push(st.meta);
    add(box, el('div', 'meta', meta.join(' \u00B7 ')));
    if (st.skipReason) add(box, el('div', 'meta', 'skipped: ' + st.skipReason));
    if (st.error) add(box, el('div', 'error', st.error));
    if (st.assertions.length) {
      add(box, el('div', 'sub', 'Assertions'));
      var at = add(box, table(['Kind', 'Target', 'Op', 'Expected', 'Actual', 'Result'], st.assertions, function (c) { return c[5] === 'fail' ? 'fail' : 'pass'; }));
      var cells = at.querySelectorAll('tbody tr');
      for (var r = 0; r < cells.length; r++) {
        var tds = cells[r].children;
        tds[3].className = 'a-expected mono';
        tds[4].className = 'a-actual mono';
        tds[5].className = 'result-' + st.assertions[r][5];
        if (st.assertions[r][6]) tds[5].title = st.assertions[r][6];
      }
    }
    if (st.pointers.length) add(box, el('pre', 'snippet pointer', st.pointers.join('\n\n')));
    if (st.extracted.length) { add(box, el('div', 'sub', 'Extracted variables')); add(box, table(['Name', 'Value'], st.extracted)); }
    if (st.headers.length) { add(box, el('div', 'sub', 'Request headers')); add(box, table(['Header', 'Value'], st.headers)); }
    if (st.requestBody) { add(box, el('div', 'sub', 'Request body')); add(box, el('pre', 'snippet', st.requestBody)); }
    if (st.snippet) { add(box, el('div', 'sub', 'Response')); add(box, el('pre', 'snippet', st.snippet)); }
    if (st.findings.length) {
      add(box, el('div', 'sub', 'OpenAPI findings'));
      add(box, table(['Aspect', 'Documented', 'Actual', 'Pointer', 'Evidence', 'Severity'], st.findings));
    }
    return box;
  }

  function detailRow(i) {
    var s = specs[i];
    var tr = el('tr', 'detail');
    var td = add(tr, el('td'));
    td.colSpan = COLUMNS;
    if (s.verdict !== 'verified' && s.reason) add(td, el('p', 'reason', s.reason));
    if (s.diagnostics.length) { add(td, el('div', 'sub', 'Diagnostics')); add(td, el('pre', 'snippet', s.diagnostics.join('\n'))); }
    var facts = [s.file];
    if (s.domain) facts.push('domain ' + s.domain);
    facts.push('API ' + s.api);
    if (s.writeBack) facts.push('write-back ' + s.writeBack);
    add(td, el('div', 'meta', facts.join(' \u00B7 ')));
    if (s.gatewayAttempts.length) { add(td, el('div', 'sub', 'Gateway attempts')); add(td, table(['Gateway', 'Verdict', 'Reason'], s.gatewayAttempts)); }
    if (s.tokenMatrix.length) { add(td, el('div', 'sub', 'Token types')); add(td, table(['Token', 'Verdict', 'Reason'], s.tokenMatrix)); }
    if (s.steps.length) {
      add(td, el('h4', '', 'Steps'));
      add(td, waterfall(s.steps));
      s.steps.forEach(function (st) { add(td, stepBlock(st)); });
    } else {
      add(td, el('div', 'meta', 'No steps ran.'));
    }
    if (s.findings.length) {
      add(td, el('div', 'sub', 'OpenAPI findings'));
      add(td, table(['Step', 'Aspect', 'Documented', 'Actual', 'Pointer', 'Evidence', 'Severity'], s.findings));
    }
    return tr;
  }

  function toggleOpen(i) {
    state.open[i] = !state.open[i];
    var row = rows[i];
    row.classList.toggle('open', state.open[i]);
    var button = row.querySelector('.toggle');
    button.setAttribute('aria-expanded', String(state.open[i]));
    button.textContent = state.open[i] ? '\u25BE' : '\u25B8';
    if (state.open[i]) {
      if (!details[i]) details[i] = detailRow(i);
      row.parentNode.insertBefore(details[i], row.nextSibling);
    } else if (details[i] && details[i].parentNode) {
      details[i].parentNode.removeChild(details[i]);
    }
  }

  function render() {
    var order = specs.map(function (_, i) { return i; }).filter(function (i) { return matches(specs[i]); }).sort(compare);
    var frag = document.createDocumentFragment();
    order.forEach(function (i) {
      if (!rows[i]) rows[i] = specRow(i);
      frag.appendChild(rows[i]);
      if (state.open[i] && details[i]) frag.appendChild(details[i]);
    });
    if (!order.length) {
      var empty = add(frag, el('tr'));
      add(empty, el('td', 'empty', specs.length ? 'No specs match the filter.' : 'No specs ran.')).colSpan = COLUMNS;
    }
    while (tbody.firstChild) tbody.removeChild(tbody.firstChild);
    tbody.appendChild(frag);
    var count = document.getElementById('spec-count');
    if (count) count.textContent = order.length + ' of ' + specs.length + ' specs';
    var heads = document.querySelectorAll('#specs th[data-sort]');
    for (var h = 0; h < heads.length; h++) {
      var k = heads[h].getAttribute('data-sort');
      heads[h].setAttribute('aria-sort', k === state.key ? (state.dir > 0 ? 'ascending' : 'descending') : 'none');
    }
  }

  var heads = document.querySelectorAll('#specs th[data-sort] button');
  for (var h = 0; h < heads.length; h++) {
    heads[h].addEventListener('click', function (ev) {
      var key = ev.currentTarget.parentNode.getAttribute('data-sort');
      state.dir = state.key === key ? -state.dir : 1;
      state.key = key;
      render();
    });
  }
  var filter = document.getElementById('filter-text');
  if (filter) filter.addEventListener('input', function () { state.text = filter.value.trim().toLowerCase(); render(); });
  var buttons = document.querySelectorAll('button.verdict-filter');
  for (var b = 0; b < buttons.length; b++) {
    buttons[b].addEventListener('click', function (ev) {
      var button = ev.currentTarget;
      var v = button.getAttribute('data-verdict');
      state.hidden[v] = !state.hidden[v];
      button.setAttribute('aria-pressed', String(!state.hidden[v]));
      render();
    });
  }
  document.documentElement.classList.add('js');
  render();
})();
