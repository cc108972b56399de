// Brook web console: a small single-page app on the admin REST API (/api/...). No framework, no build step.
'use strict';

const main = document.getElementById('main');
let pollTimer = null;

// ---- helpers -------------------------------------------------------------------------------------------------
function esc(value) {
  return String(value === null || value === undefined ? '' : value)
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

async function api(method, path, body) {
  const options = { method, headers: {} };
  if (body !== undefined) {
    options.headers['content-type'] = 'application/json';
    options.body = JSON.stringify(body);
  }
  const response = await fetch(path, options);
  const text = await response.text();
  const data = text ? JSON.parse(text) : {};
  if (!response.ok) {
    throw new Error(data.error || ('HTTP ' + response.status));
  }
  return data;
}

function flash(message, isError) {
  const box = document.getElementById('flash');
  box.innerHTML = '<div class="msg' + (isError ? ' error' : '') + '" id="flash-msg">' + esc(message) + '</div>';
  setTimeout(() => { if (box.textContent.includes(message)) box.innerHTML = ''; }, 6000);
}

function bytes(n) {
  if (n === null || n === undefined) return '';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
  return (i === 0 ? n : n.toFixed(1)) + ' ' + units[i];
}

function table(id, headers, rows) {
  return '<table id="' + id + '"><thead><tr>' + headers.map(h => '<th>' + h + '</th>').join('') +
    '</tr></thead><tbody>' + (rows.length ? rows.join('') :
      '<tr><td colspan="' + headers.length + '" class="muted">None</td></tr>') + '</tbody></table>';
}

function showValue(v) {
  if (!v) return '<span class="muted">null</span>';
  return '<span class="tag">' + v.format + '</span> <pre>' +
    esc(v.format === 'json' ? JSON.stringify(v.json, null, 1) : v.text) + '</pre>';
}

// A line chart drawn in SVG: series is [{label, points: [number]}], newest point last.
function lineChart(id, title, series, unit) {
  const w = 560, h = 160, pad = 34;
  const all = series.flatMap(s => s.points);
  const max = Math.max(1, ...all);
  const colors = ['#1f6feb', '#d9480f', '#2b8a3e', '#862e9c', '#e67700'];
  let svg = '<svg class="chart" id="' + id + '" width="' + w + '" height="' + h + '" viewBox="0 0 ' + w + ' ' + h + '">';
  svg += '<text x="8" y="16" font-size="12" fill="#333">' + esc(title) + ' (max ' + max.toFixed(1) + ' ' + unit + ')</text>';
  svg += '<line x1="' + pad + '" y1="' + (h - 20) + '" x2="' + (w - 8) + '" y2="' + (h - 20) + '" stroke="#ccd"/>';
  series.forEach((s, i) => {
    if (s.points.length === 0) return;
    if (s.points.length === 1) {
      svg += '<circle cx="' + pad + '" cy="' + (h - 20 - (s.points[0] / max) * (h - 50)).toFixed(1) + '" r="3" fill="' + colors[i % colors.length] + '"/>';
      return;
    }
    const step = (w - pad - 8) / (s.points.length - 1);
    const coords = s.points.map((p, j) => (pad + j * step).toFixed(1) + ',' +
      (h - 20 - (p / max) * (h - 50)).toFixed(1));
    svg += '<polyline fill="none" stroke-width="2" stroke="' + colors[i % colors.length] + '" points="' + coords.join(' ') + '"/>';
    svg += '<text x="' + (pad + 4 + i * 120) + '" y="' + (h - 4) + '" font-size="11" fill="' + colors[i % colors.length] + '">' + esc(s.label) + '</text>';
  });
  return svg + '</svg>';
}

// ---- pages ---------------------------------------------------------------------------------------------------
async function clusterPage() {
  const c = await api('GET', '/api/cluster');
  const rows = c.brokers.map(b => '<tr><td>' + b.id + (b.controller ? ' <span class="tag">controller</span>' : '') +
    '</td><td>' + esc(b.host) + ':' + b.port + '</td><td>' + esc(b.rack || '') + '</td><td>' +
    b.logDirs.map(d => esc(d.path) + ' — ' + bytes(d.sizeBytes) + ' in ' + d.replicas + ' replicas' +
      (d.usableBytes !== undefined ? ', ' + bytes(d.usableBytes) + ' free of ' + bytes(d.totalBytes) : '') +
      (d.error ? ' <b>' + esc(d.error) + '</b>' : '')).join('<br>') + '</td></tr>');
  main.innerHTML = '<h1>Cluster</h1><div class="cards">' +
    '<div class="card"><div class="muted">Cluster id</div><div class="big" id="cluster-id">' + esc(c.clusterId) + '</div></div>' +
    '<div class="card"><div class="muted">Version</div><div class="big">' + esc(c.version) + '</div></div>' +
    '<div class="card"><div class="muted">Brokers</div><div class="big" id="broker-count">' + c.brokers.length + '</div></div>' +
    '<div class="card"><div class="muted">Controller</div><div class="big">' + esc(c.controller) + '</div></div>' +
    '<div class="card"><div class="muted">Data on disk</div><div class="big">' + bytes(c.totalSizeBytes) + '</div></div></div>' +
    '<h2>Brokers</h2>' + table('brokers', ['Id', 'Address', 'Rack', 'Log dirs'], rows);
}

const topicState = { search: '', page: 0, size: 50 };

async function topicsPage() {
  main.innerHTML = '<h1>Topics</h1><div class="toolbar">' +
    '<input id="topic-search" placeholder="Search topics" value="' + esc(topicState.search) + '">' +
    '<button class="secondary" id="prev-page">‹ Prev</button><span id="page-info"></span>' +
    '<button class="secondary" id="next-page">Next ›</button></div>' +
    '<div id="topic-table"><p class="muted">Loading topics…</p></div>' +
    '<h2>Create a topic</h2><form id="create-topic" class="card inline">' +
    '<label>Name <input id="new-topic-name" required></label>' +
    '<label>Partitions <input id="new-topic-partitions" type="number" min="1" value="3" style="width:70px"></label>' +
    '<label>Replication <input id="new-topic-replicas" type="number" min="1" value="1" style="width:60px"></label>' +
    '<label>Configs <input id="new-topic-configs" placeholder="retention.ms=86400000, …" style="width:260px"></label>' +
    '<button type="submit" id="create-topic-button">Create</button></form>';
  let debounce = null;
  document.getElementById('topic-search').addEventListener('input', e => {
    clearTimeout(debounce);
    debounce = setTimeout(() => { topicState.search = e.target.value; topicState.page = 0; loadTopics(); }, 250);
  });
  document.getElementById('prev-page').onclick = () => { if (topicState.page > 0) { topicState.page--; loadTopics(); } };
  document.getElementById('next-page').onclick = () => { topicState.page++; loadTopics(); };
  document.getElementById('create-topic').onsubmit = async e => {
    e.preventDefault();
    const configs = {};
    document.getElementById('new-topic-configs').value.split(',').map(s => s.trim()).filter(s => s)
      .forEach(kv => { const i = kv.indexOf('='); configs[kv.slice(0, i).trim()] = kv.slice(i + 1).trim(); });
    const name = document.getElementById('new-topic-name').value.trim();
    try {
      await api('POST', '/api/topics', { name,
        partitions: Number(document.getElementById('new-topic-partitions').value),
        replicationFactor: Number(document.getElementById('new-topic-replicas').value), configs });
      flash('Created topic ' + name);
      location.hash = '#/topic/' + encodeURIComponent(name);
    } catch (err) { flash(err.message, true); }
  };
  await loadTopics();
}

async function loadTopics() {
  const q = '/api/topics?search=' + encodeURIComponent(topicState.search) + '&page=' + topicState.page + '&size=' + topicState.size;
  const data = await api('GET', q);
  const pages = Math.max(1, Math.ceil(data.total / data.size));
  if (topicState.page >= pages && data.total > 0) { topicState.page = pages - 1; return loadTopics(); }
  document.getElementById('page-info').textContent = 'page ' + (data.page + 1) + ' of ' + pages + ' (' + data.total + ' topics)';
  const rows = data.topics.map(t => '<tr class="topic-row"><td><a href="#/topic/' + encodeURIComponent(t.name) + '">' +
    esc(t.name) + '</a></td><td class="num">' + t.partitions + '</td><td class="num">' + t.replicationFactor +
    '</td><td class="num">' + bytes(t.sizeBytes) + '</td><td><button class="danger" data-delete="' + esc(t.name) +
    '">Delete</button></td></tr>');
  document.getElementById('topic-table').innerHTML =
    table('topics', ['Name', 'Partitions', 'Replication', 'Size', ''], rows);
  document.querySelectorAll('button[data-delete]').forEach(b => b.onclick = async () => {
    const name = b.getAttribute('data-delete');
    if (!confirm('Delete topic ' + name + '?')) return;
    try { await api('DELETE', '/api/topics/' + encodeURIComponent(name)); flash('Deleted ' + name); loadTopics(); }
    catch (err) { flash(err.message, true); }
  });
}

async function topicPage(name) {
  const enc = encodeURIComponent(name);
  const t = await api('GET', '/api/topics/' + enc);
  const rows = t.partitions.map(p => '<tr><td class="num">' + p.partition + '</td><td class="num">' + esc(p.leader) +
    '</td><td>' + p.replicas.join(', ') + '</td><td>' + p.isr.join(', ') + '</td><td class="num">' + p.startOffset +
    '</td><td class="num">' + p.endOffset + '</td><td class="num">' + bytes(p.sizeBytes) + '</td></tr>');
  const partitionOptions = t.partitions.map(p => '<option value="' + p.partition + '">' + p.partition + '</option>').join('');
  main.innerHTML = '<h1 id="topic-title">Topic ' + esc(name) + '</h1>' +
    '<div class="muted">id ' + esc(t.topicId) + ', replication ' + t.replicationFactor + ', ' + bytes(t.sizeBytes) + '</div>' +
    '<h2>Partitions</h2>' + table('partitions', ['Partition', 'Leader', 'Replicas', 'ISR', 'Start', 'End', 'Size'], rows) +
    '<h2>Throughput</h2><div id="throughput-chart"></div>' +
    '<h2>Messages</h2><form id="browse" class="toolbar">' +
    '<label>Partition <select id="browse-partition">' + partitionOptions + '</select></label>' +
    '<label>From offset <input id="browse-offset" value="earliest" style="width:100px"></label>' +
    '<label>or time <input id="browse-time" type="datetime-local"></label>' +
    '<label>Limit <input id="browse-limit" type="number" value="20" min="1" max="500" style="width:70px"></label>' +
    '<button type="submit" id="browse-button">Browse</button></form><div id="messages"></div>' +
    '<h2>Produce a test message</h2><form id="produce" class="card">' +
    '<div class="toolbar"><label>Key <input id="produce-key"></label>' +
    '<label>Partition <select id="produce-partition"><option value="">any</option>' + partitionOptions + '</select></label>' +
    '<label>Headers <input id="produce-headers" placeholder="k=v, k2=v2"></label></div>' +
    '<textarea id="produce-value" rows="3" style="width:100%" placeholder="value"></textarea>' +
    '<div class="toolbar"><button type="submit" id="produce-button">Produce</button></div></form>' +
    '<h2>Configs</h2><div id="configs"></div>';
  document.getElementById('browse').onsubmit = async e => { e.preventDefault(); await browse(enc); };
  document.getElementById('produce').onsubmit = async e => {
    e.preventDefault();
    const headers = {};
    document.getElementById('produce-headers').value.split(',').map(s => s.trim()).filter(s => s)
      .forEach(kv => { const i = kv.indexOf('='); headers[kv.slice(0, i)] = kv.slice(i + 1); });
    const partition = document.getElementById('produce-partition').value;
    const key = document.getElementById('produce-key').value;
    try {
      const r = await api('POST', '/api/topics/' + enc + '/messages', {
        key: key === '' ? null : key, value: document.getElementById('produce-value').value, headers,
        partition: partition === '' ? null : Number(partition) });
      flash('Produced to partition ' + r.partition + ' at offset ' + r.offset);
    } catch (err) { flash(err.message, true); }
  };
  await loadConfigs(enc);
  const history = [];
  const poll = async () => {
    try {
      const now = await api('GET', '/api/topics/' + enc);
      const total = now.partitions.reduce((sum, p) => sum + p.endOffset, 0);
      history.push({ at: Date.now(), total });
      if (history.length > 31) history.shift();
      const rates = [];
      for (let i = 1; i < history.length; i++) {
        rates.push(Math.max(0, (history[i].total - history[i - 1].total) / ((history[i].at - history[i - 1].at) / 1000)));
      }
      const chart = document.getElementById('throughput-chart');
      if (chart) chart.innerHTML = lineChart('throughput-svg', 'Messages in per second', [{ label: 'msg/s', points: rates }], 'msg/s');
    } catch (err) { /* the next poll tries again */ }
  };
  await poll();
  pollTimer = setInterval(poll, 2000);
}

async function browse(enc) {
  const params = new URLSearchParams();
  params.set('partition', document.getElementById('browse-partition').value);
  params.set('limit', document.getElementById('browse-limit').value);
  const time = document.getElementById('browse-time').value;
  if (time) params.set('timestamp', String(new Date(time).getTime()));
  else params.set('offset', document.getElementById('browse-offset').value);
  try {
    const data = await api('GET', '/api/topics/' + enc + '/messages?' + params);
    const rows = data.messages.map(m => '<tr class="message-row"><td class="num">' + m.offset + '</td><td>' +
      new Date(m.timestamp).toISOString() + '</td><td>' + showValue(m.key) + '</td><td>' + showValue(m.value) +
      '</td><td>' + m.headers.map(h => esc(h.key) + '=' + esc(h.value ? h.value.text : 'null')).join('<br>') + '</td></tr>');
    document.getElementById('messages').innerHTML = '<div class="muted">from offset ' + data.from + ', end ' +
      data.endOffset + '</div>' + table('message-table', ['Offset', 'Timestamp', 'Key', 'Value', 'Headers'], rows);
  } catch (err) { flash(err.message, true); }
}

async function loadConfigs(enc) {
  const data = await api('GET', '/api/topics/' + enc + '/configs');
  const rows = data.configs.map(c => '<tr><td>' + esc(c.name) + '</td><td>' + (c.readOnly ? esc(c.value) :
    '<input data-config="' + esc(c.name) + '" value="' + esc(c.value) + '" data-original="' + esc(c.value) + '">') +
    '</td><td><span class="tag">' + esc(c.source) + '</span></td></tr>');
  document.getElementById('configs').innerHTML = table('config-table', ['Name', 'Value', 'Source'], rows) +
    '<div class="toolbar"><button id="save-configs">Save changed configs</button></div>';
  document.getElementById('save-configs').onclick = async () => {
    const set = {};
    document.querySelectorAll('input[data-config]').forEach(i => {
      if (i.value !== i.getAttribute('data-original')) set[i.getAttribute('data-config')] = i.value;
    });
    if (!Object.keys(set).length) { flash('Nothing changed'); return; }
    try { await api('PUT', '/api/topics/' + enc + '/configs', { set }); flash('Saved ' + Object.keys(set).join(', ')); loadConfigs(enc); }
    catch (err) { flash(err.message, true); }
  };
}

async function groupsPage() {
  const data = await api('GET', '/api/groups');
  const rows = data.groups.map(g => '<tr class="group-row"><td><a href="#/group/' + encodeURIComponent(g.groupId) + '">' +
    esc(g.groupId) + '</a></td><td>' + esc(g.type) + '</td><td>' + esc(g.state) + '</td></tr>');
  main.innerHTML = '<h1>Consumer groups</h1>' + table('groups', ['Group', 'Type', 'State'], rows);
}

async function groupPage(id) {
  const enc = encodeURIComponent(id);
  main.innerHTML = '<h1 id="group-title">Group ' + esc(id) + '</h1><div id="group-body"></div>' +
    '<h2>Lag</h2><div id="lag-chart"></div>' +
    '<h2>Reset offsets</h2><form id="reset" class="card toolbar">' +
    '<select id="reset-to">' + ['earliest', 'latest', 'offset', 'timestamp'].map(o => '<option value="' + o + '">' + o + '</option>').join('') + '</select>' +
    '<input id="reset-value" placeholder="offset or epoch ms">' +
    '<button type="submit" id="reset-button">Reset (group must be empty)</button></form>';
  document.getElementById('reset').onsubmit = async e => {
    e.preventDefault();
    const to = document.getElementById('reset-to').value;
    const value = document.getElementById('reset-value').value;
    const body = { to };
    if (to === 'offset') body.offset = Number(value);
    if (to === 'timestamp') body.timestamp = Number(value);
    try { await api('POST', '/api/groups/' + enc + '/reset-offsets', body); flash('Offsets reset to ' + to); }
    catch (err) { flash(err.message, true); }
  };
  const history = [];
  const poll = async () => {
    let g;
    try { g = await api('GET', '/api/groups/' + enc); } catch (err) { flash(err.message, true); return; }
    const members = g.members.map(m => '<tr><td>' + esc(m.memberId) + '</td><td>' + esc(m.clientId) + '</td><td>' +
      esc(m.host) + '</td><td>' + m.assignment.map(a => esc(a.topic) + '-' + a.partition).join(', ') + '</td></tr>');
    const offsets = g.offsets.map(o => '<tr class="lag-row"><td>' + esc(o.topic) + '</td><td class="num">' + o.partition +
      '</td><td class="num">' + esc(o.committedOffset) + '</td><td class="num">' + esc(o.endOffset) +
      '</td><td class="num lag">' + esc(o.lag) + '</td><td>' + esc(o.memberId || '') + '</td></tr>');
    const body = document.getElementById('group-body');
    if (!body) return;
    body.innerHTML = '<div class="cards"><div class="card"><div class="muted">State</div><div class="big" id="group-state">' +
      esc(g.state) + '</div></div><div class="card"><div class="muted">Members</div><div class="big">' + g.members.length +
      '</div></div><div class="card"><div class="muted">Total lag</div><div class="big" id="total-lag">' + g.totalLag +
      '</div></div></div><h2>Members</h2>' + table('members', ['Member', 'Client', 'Host', 'Assignment'], members) +
      '<h2>Offsets and lag</h2>' + table('lag', ['Topic', 'Partition', 'Committed', 'End', 'Lag', 'Member'], offsets);
    history.push(g.totalLag);
    if (history.length > 30) history.shift();
    document.getElementById('lag-chart').innerHTML = lineChart('lag-svg', 'Total lag', [{ label: 'lag', points: history }], 'messages');
  };
  await poll();
  pollTimer = setInterval(poll, 2000);
}

async function securityPage() {
  const [acls, users] = await Promise.all([api('GET', '/api/acls'), api('GET', '/api/users')]);
  const aclRows = acls.acls.map(a => '<tr><td>' + esc(a.principal) + '</td><td>' + esc(a.permission) + '</td><td>' +
    esc(a.operation) + '</td><td>' + esc(a.resourceType) + '</td><td>' + esc(a.resourceName) + '</td><td>' +
    esc(a.patternType) + '</td><td>' + esc(a.host) + '</td></tr>');
  const userRows = users.users.map(u => '<tr><td>' + esc(u.name) + '</td><td>' +
    u.credentials.map(c => esc(c.mechanism) + ' (' + c.iterations + ' iterations)').join(', ') + '</td></tr>');
  main.innerHTML = '<h1>ACLs &amp; users</h1>' +
    (acls.enabled ? '<h2>ACLs</h2>' + table('acls', ['Principal', 'Permission', 'Operation', 'Resource', 'Name', 'Pattern', 'Host'], aclRows)
      : '<p class="muted" id="no-authorizer">This broker has no authorizer: ACLs are off.</p>') +
    '<h2>SCRAM users</h2>' + table('users', ['User', 'Credentials'], userRows);
}

// ---- routing -------------------------------------------------------------------------------------------------
async function route() {
  clearInterval(pollTimer);
  pollTimer = null;
  const hash = location.hash || '#/cluster';
  const [, page, arg] = hash.match(/^#\/([^/]*)\/?(.*)$/) || [null, 'cluster', ''];
  document.querySelectorAll('header nav a').forEach(a =>
    a.classList.toggle('active', a.id === 'nav-' + (page === 'topic' ? 'topics' : page === 'group' ? 'groups' : page)));
  main.innerHTML = '<p class="muted">Loading…</p>';
  try {
    if (page === 'topics') await topicsPage();
    else if (page === 'topic') await topicPage(decodeURIComponent(arg));
    else if (page === 'groups') await groupsPage();
    else if (page === 'group') await groupPage(decodeURIComponent(arg));
    else if (page === 'security') await securityPage();
    else await clusterPage();
  } catch (err) {
    main.innerHTML = '<h1>Error</h1><p class="error" id="page-error">' + esc(err.message) + '</p>';
  }
}

window.addEventListener('hashchange', route);
route();
