// The work queue's filters, search, sorting and drill-down. posture renders
// every table; this script only hides, orders and opens what is already on
// the page, reading the data embedded as JSON. The view lives in the
// address's fragment (#status=overdue&department=Sales&sort=-days), so that
// a link shows the same rows; #person-<id> and #device-<id> open a
// drill-down, and work as plain anchors without the script.
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('overview-data').textContent);
  var root = document.documentElement;
  var byDevice = {};
  data.devices.forEach(function (d, i) { d.rank = i + 1; byDevice[d.device] = d; });

  var table = document.getElementById('queue-table');
  var tbody = table.tBodies[0];
  var rows = Array.prototype.slice.call(tbody.rows);
  var form = document.getElementById('filters');
  var count = document.getElementById('count');
  var fields = ['q', 'department', 'supervisor', 'status', 'rule', 'exception'];
  var inputs = {};
  fields.forEach(function (f) { inputs[f] = document.getElementById('f-' + f); });
  var people = Array.prototype.slice.call(document.querySelectorAll('#people article.person'));
  var sort = { key: 'rank', desc: false };
  var queueHash = '';
  var views = 0;

  // shown counts the views shown, in data-views on the root element, for
  // whoever waits for the page to have caught up (the browser tests).
  function shown() { root.dataset.views = String(++views); }

  var followUp = ['failing', 'overdue', 'late'];
  var results = { fail: 0, warn: 1, pass: 2 };
  var keys = {
    rank: function (d) { return d.rank; },
    status: function (d) { return d.rank; },
    days: function (d) { return d.days; },
    department: function (d) { return d.department.toLowerCase(); },
    employee: function (d) { return d.name.toLowerCase(); },
    supervisor: function (d) { return (d.supervisor_name || '\uffff').toLowerCase(); },
    device: function (d) { return d.device; },
    result: function (d) { return d.result in results ? results[d.result] : 3; },
    accepted: function (d) { return d.accepted || '9999'; }
  };

  function matches(d, v) {
    if (v.q) {
      var text = [d.name, d.employee, d.device, d.github].join(' ').toLowerCase();
      if (text.indexOf(v.q.toLowerCase()) < 0) { return false; }
    }
    if (v.department && d.department !== v.department) { return false; }
    if (v.supervisor && d.supervisor !== v.supervisor) { return false; }
    if (v.status === 'follow-up' ? followUp.indexOf(d.status) < 0 : v.status && d.status !== v.status) { return false; }
    if (v.rule && d.rules.indexOf(v.rule) < 0) { return false; }
    if (v.exception === 'with') { return d.exceptions.length > 0; }
    if (v.exception === 'without') { return d.exceptions.length === 0; }
    return !v.exception || d.exceptions.indexOf(v.exception) >= 0;
  }

  function values() {
    var v = {};
    // A select's value is its option's value attribute, as written: a
    // department may hold spaces the option's text would collapse.
    fields.forEach(function (f) { v[f] = f === 'q' ? inputs[f].value.trim() : inputs[f].value; });
    return v;
  }

  // apply shows the rows that match the filters, in the sorted order.
  function apply() {
    var v = values();
    var key = keys[sort.key] || keys.rank;
    var sorted = rows.slice().sort(function (a, b) {
      var x = byDevice[a.dataset.device], y = byDevice[b.dataset.device];
      var kx = key(x), ky = key(y);
      var c = kx < ky ? -1 : kx > ky ? 1 : 0;
      return (sort.desc ? -c : c) || x.rank - y.rank;
    });
    var n = 0;
    sorted.forEach(function (r) {
      var ok = matches(byDevice[r.dataset.device], v);
      r.hidden = !ok;
      if (ok) { n++; }
      tbody.appendChild(r);
    });
    count.value = n + ' of ' + rows.length + ' devices shown';
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {
      if (th.dataset.sort === sort.key) {
        th.setAttribute('aria-sort', sort.desc ? 'descending' : 'ascending');
      } else {
        th.removeAttribute('aria-sort');
      }
    });
    shown();
  }

  // hash is the fragment that stands for the current view.
  function hash() {
    var p = new URLSearchParams();
    var v = values();
    fields.forEach(function (f) { if (v[f]) { p.set(f, v[f]); } });
    if (sort.key !== 'rank' || sort.desc) { p.set('sort', (sort.desc ? '-' : '') + sort.key); }
    var s = p.toString();
    return s ? '#' + s : '';
  }

  // save writes the view into the address without a new history entry.
  function save() {
    apply();
    queueHash = hash();
    var url = queueHash || location.pathname + location.search;
    try {
      history.replaceState(null, '', url);
    } catch (e) {
      location.replace(queueHash || '#');
    }
  }

  function load(fragment) {
    var p = new URLSearchParams(fragment);
    fields.forEach(function (f) {
      var el = inputs[f];
      el.value = p.get(f) || '';
      if (el.value !== (p.get(f) || '')) { el.value = ''; } // not a choice of this page
    });
    var s = p.get('sort') || 'rank';
    sort.desc = s.charAt(0) === '-';
    sort.key = s.replace(/^-/, '');
    if (!keys[sort.key]) { sort.key = 'rank'; }
    apply();
    queueHash = hash();
  }

  function drill(el) {
    var article = el.closest('article.person');
    people.forEach(function (a) { a.classList.toggle('open', a === article); });
    document.querySelectorAll('#people tr.target').forEach(function (r) { r.classList.remove('target'); });
    if (el.tagName === 'TR') { el.classList.add('target'); }
    article.querySelector('a.back').setAttribute('href', queueHash || '#queue');
    root.classList.add('drill');
    el.scrollIntoView();
    shown();
  }

  // route shows what the fragment names: a drill-down, a section, or a view
  // of the queue.
  function route() {
    var fragment = location.hash.slice(1);
    var id;
    try { id = decodeURIComponent(fragment); } catch (e) { id = fragment; } // a malformed link
    var el = /^(person|device)-/.test(id) && document.getElementById(id);
    if (el) { drill(el); return; }
    root.classList.remove('drill');
    if (fragment.indexOf('=') >= 0 || fragment === '') {
      load(fragment);
    } else {
      shown(); // a section of the page: the browser scrolls to it
    }
  }

  Array.prototype.forEach.call(table.tHead.querySelectorAll('th[data-sort]'), function (th) {
    var b = document.createElement('button');
    b.type = 'button';
    b.textContent = th.textContent;
    th.textContent = '';
    th.appendChild(b);
    b.addEventListener('click', function () {
      var key = th.dataset.sort;
      if (sort.key === key) {
        sort.desc = !sort.desc;
      } else {
        sort.key = key;
        sort.desc = key === 'days';
      }
      save();
    });
  });
  fields.forEach(function (f) {
    inputs[f].addEventListener(f === 'q' ? 'input' : 'change', save);
  });
  document.getElementById('f-clear').addEventListener('click', function () {
    fields.forEach(function (f) { inputs[f].value = ''; });
    sort = { key: 'rank', desc: false };
    save();
  });
  form.addEventListener('submit', function (e) { e.preventDefault(); });
  window.addEventListener('hashchange', route);

  root.classList.add('js');
  form.hidden = false;
  load(location.hash.indexOf('=') >= 0 ? location.hash.slice(1) : '');
  route();
}());
