/* cnaikg explorer: the page script of every network view (inlined into the page, no request).
 *
 * Data comes only from the JSON block #cn-data; every text from it is set with textContent,
 * links are made only of http(s) URLs. Ids in the page are opaque (n0, e0).
 * Date rules are those of KnowledgeGraph.as_of: an entity exists from its founding day (first
 * day of a partial date); a fact holds when vf <= D < vt and is public when kn <= D
 * (vf, vt, kn are ISO days computed in Python by cnaikg.graph.views.viz.fact_window).
 */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("cn-data").textContent);
  var FONT = getComputedStyle(document.body).getPropertyValue("--cn-font") || "system-ui, sans-serif";
  var LABEL_PX = 13, MAX_LABELS = 90;
  var DIM_NODE = { background: "#eceef2", border: "#d9dde5", highlight: { background: "#eceef2", border: "#d9dde5" }, hover: { background: "#dfe3ea", border: "#c9ced8" } };
  var DIM_EDGE = { color: "#e3e6eb", highlight: "#e3e6eb", hover: "#c9ced8", opacity: 0.45 };

  // ------------------------------------------------------------------ records and adjacency
  var N = {}, E = {}, adj = {};
  data.nodes.forEach(function (n) { N[n.id] = n; adj[n.id] = []; });
  data.edges.forEach(function (e) { E[e.id] = e; adj[e.from].push(e.id); if (e.to !== e.from) adj[e.to].push(e.id); });
  var eidOf = function (v) { return N[v].tip.id; };

  // ------------------------------------------------------------------ DOM helpers: text only
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }
  function safeHref(u) {
    try {
      var p = new URL(String(u));
      return (p.protocol === "http:" || p.protocol === "https:") ? p.href : null;
    } catch (err) { return null; }
  }
  function row(dl, key, value) {
    if (value === undefined || value === null || value === "" || (Array.isArray(value) && value.length === 0)) return;
    dl.appendChild(el("dt", null, key));
    dl.appendChild(el("dd", null, Array.isArray(value) ? value.join(", ") : value));
  }
  function sourceList(list) {
    var ul = el("ul", "cn-sources");
    list.forEach(function (s) {
      var li = el("li");
      var label = [s.publisher, s.published].filter(function (x) { return x; }).join(", ") || s.url;
      var href = safeHref(s.url);
      if (href) {
        var a = el("a", null, label);
        a.href = href;
        a.target = "_blank";
        a.rel = "noopener noreferrer";
        if (s.title) a.title = s.title;
        li.appendChild(a);
      } else {
        li.appendChild(el("span", null, label + (label === s.url ? "" : " (" + s.url + ")")));
      }
      ul.appendChild(li);
    });
    return ul;
  }
  function card(t) {
    var box = el("div", "cn-card");
    var dl = el("dl");
    if (t.kind === "node") {
      box.appendChild(el("div", "cn-title", t.name));
      if (t.name_zh) box.appendChild(el("div", "cn-zh", t.name_zh));
      row(dl, "type", t.type + (t.category ? " (" + t.category.replace(/_/g, " ") + ")" : ""));
      row(dl, "tickers", t.tickers);
      row(dl, "also", t.aliases);
      row(dl, "founded", t.founded);
      t.scores.forEach(function (s) { row(dl, s[0].replace(/_/g, " "), s[1]); });
      row(dl, "id", t.id);
    } else {
      box.appendChild(el("div", "cn-title", t.from + " \u2192 " + t.to));
      row(dl, "relation", t.relation);
      row(dl, "since", t.since || "unknown");
      row(dl, "until", t.until || (t.since ? "still holds" : ""));
      t.properties.forEach(function (p) { row(dl, p[0].replace(/_/g, " "), p[1]); });
      row(dl, "confidence", t.confidence);
    }
    box.appendChild(dl);
    if (t.sources && t.sources.length) {
      box.appendChild(el("div", "cn-subhead", t.sources.length === 1 ? "source" : t.sources.length + " sources"));
      box.appendChild(sourceList(t.sources));
    }
    return box;
  }

  // ------------------------------------------------------------------ time: the rules of kg.as_of
  var state = { date: data.rule.date || null, shown: new Set(data.start), expanded: false, hl: null, hlEdges: null, selected: null };
  function exists(v, D) { var b = N[v].born; return D === null || !b || b <= D; }
  function valid(e, D) {
    if (D === null) return true;
    return (!e.vf || e.vf <= D) && (!e.vt || D < e.vt) && !!e.kn && e.kn <= D && exists(e.from, D) && exists(e.to, D);
  }
  function parseDay(text) {
    var m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(String(text || "").trim());
    if (!m) return null;
    var y = +m[1], mo = m[2] ? +m[2] : 1, d = m[3] ? +m[3] : 1;
    var dt = new Date(Date.UTC(y, mo - 1, d));
    if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== mo - 1 || dt.getUTCDate() !== d) return null;
    return m[1] + "-" + (m[2] || "01") + "-" + (m[3] || "01");
  }
  function byRank(a, b) { return N[a].rank - N[b].rank; }
  // the opening view on day D: the same rule as cnaikg.graph.views.viz.start_entities
  function initialSet(D) {
    var r = data.rule, out;
    if (r.focus) {
      if (!exists(r.focus, D)) return [];
      var dist = {}, queue = [r.focus], order = [r.focus];
      dist[r.focus] = 0;
      while (queue.length) {
        var v = queue.shift();
        if (dist[v] >= r.hops) continue;
        adj[v].forEach(function (id) {
          var e = E[id];
          if (!valid(e, D)) return;
          var u = e.from === v ? e.to : e.from;
          if (!(u in dist)) { dist[u] = dist[v] + 1; queue.push(u); order.push(u); }
        });
      }
      out = order.sort(function (a, b) { return dist[a] - dist[b] || byRank(a, b); });
    } else {
      out = data.nodes.filter(function (n) { return exists(n.id, D) && adj[n.id].some(function (id) { return valid(E[id], D); }); }).map(function (n) { return n.id; });
      if (!out.length) out = data.nodes.filter(function (n) { return exists(n.id, D); }).map(function (n) { return n.id; });
      out.sort(byRank);
    }
    return r.cap ? out.slice(0, r.cap) : out;
  }

  // ------------------------------------------------------------------ the network
  var offT = {}, offR = {};
  var nodes = new vis.DataSet([]), edges = new vis.DataSet([]);
  var style = {};   // vis id -> "n" normal, "d" dimmed, "h" highlighted edge
  var labelled = new Set(), hovered = null;
  function nodeRow(v) {
    var n = N[v], r = { title: card(n.tip), label: "" };
    for (var k in n) { if (k !== "tip" && k !== "search" && k !== "rank" && k !== "born" && k !== "label") r[k] = n[k]; }
    return r;
  }
  function edgeRow(id) {
    var e = E[id], r = { title: card(e.tip) };
    for (var k in e) { if (k !== "tip" && k !== "vf" && k !== "vt" && k !== "kn") r[k] = e[k]; }
    return r;
  }
  var container = document.getElementById("cn-network");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, {
    physics: { enabled: false },
    layout: { improvedLayout: false, randomSeed: 7 },
    interaction: { hover: true, tooltipDelay: 120, hideEdgesOnDrag: data.nodes.length > 3000, keyboard: false, multiselect: false },
    nodes: { borderWidth: 1, font: { size: LABEL_PX, face: FONT, strokeWidth: 3, strokeColor: "#ffffff", color: "#1d2330" } },
    edges: { width: 1.3, selectionWidth: 2, arrows: { to: { enabled: true, scaleFactor: 0.5 } }, smooth: false, color: { inherit: false, opacity: 0.85 } }
  });
  var status = document.getElementById("cn-status");

  function drawable(v) { return state.shown.has(v) && exists(v, state.date) && !offT[N[v].etype]; }
  function sync() {
    var wantN = new Set(), wantE = new Set();
    state.shown.forEach(function (v) { if (drawable(v)) wantN.add(v); });
    wantN.forEach(function (v) {
      adj[v].forEach(function (id) {
        var e = E[id];
        if (!offR[e.rel] && wantN.has(e.from) && wantN.has(e.to) && valid(e, state.date)) wantE.add(id);
      });
    });
    var curN = nodes.getIds(), curE = edges.getIds();
    var rmE = curE.filter(function (x) { return !wantE.has(x); }), rmN = curN.filter(function (x) { return !wantN.has(x); });
    var haveN = new Set(curN), haveE = new Set(curE), addN = [], addE = [];
    wantN.forEach(function (v) { if (!haveN.has(v)) addN.push(nodeRow(v)); });
    wantE.forEach(function (id) { if (!haveE.has(id)) addE.push(edgeRow(id)); });
    rmE.concat(rmN).forEach(function (x) { delete style[x]; labelled.delete(x); });
    edges.remove(rmE); nodes.remove(rmN); nodes.add(addN); edges.add(addE);
    restyle();
    relabel();
    status.textContent = "showing " + wantN.size + " of " + data.nodes.length + " entities, " + wantE.size + " facts" + (state.date ? ", as of " + state.date : ", all dates");
  }

  // ------------------------------------------------------------------ focus and neighbourhood highlighting
  // node updates from restyle() and relabel() are merged and sent to vis-network once (each update costs a pass over the data)
  var pendingN = {};
  function queueN(u) {
    var p = pendingN[u.id];
    if (!p) { pendingN[u.id] = u; return; }
    for (var k in u) {
      if (k === "font" && p.font) { for (var f in u.font) p.font[f] = u.font[f]; }
      else p[k] = u[k];
    }
  }
  function flushN() {
    var list = Object.keys(pendingN).map(function (k) { return pendingN[k]; });
    pendingN = {};
    if (list.length) nodes.update(list);
  }
  function restyle() {
    var nu = { push: queueN }, eu = [];
    nodes.getIds().forEach(function (v) {
      var want = state.hl && !state.hl.has(v) ? "d" : "n";
      if (style[v] === want) return;
      style[v] = want;
      nu.push(want === "d" ? { id: v, color: DIM_NODE, font: { color: "#c3c8d1" } } : { id: v, color: N[v].color, font: { color: "#1d2330" } });
    });
    edges.getIds().forEach(function (id) {
      var want = state.hl ? (state.hlEdges && state.hlEdges.has(id) ? "h" : (state.hl.has(E[id].from) && state.hl.has(E[id].to) && !state.hlEdges ? "n" : "d")) : "n";
      if (style[id] === want) return;
      style[id] = want;
      var c = E[id].color;
      eu.push(want === "d" ? { id: id, color: DIM_EDGE, width: 1 } : { id: id, color: { color: c, highlight: c, hover: c, opacity: 0.85 }, width: want === "h" ? 3.5 : 1.3 });
    });
    if (eu.length) edges.update(eu);
  }
  function neighbours(v) {  // v and the entities one drawn fact away
    var s = new Set([v]);
    adj[v].forEach(function (id) { if (edges.get(id)) { var e = E[id]; s.add(e.from === v ? e.to : e.from); } });
    return s;
  }
  function highlight(set, edgeSet) {
    state.hl = set; state.hlEdges = edgeSet || null;
    restyle();
    relabel();
  }
  function clearHighlight() { highlight(null, null); }

  // ------------------------------------------------------------------ labels: by importance, none overlapping at this zoom
  var ctx2d = document.createElement("canvas").getContext("2d");
  var widths = {};
  function textWidth(s) {
    if (!(s in widths)) { ctx2d.font = LABEL_PX + "px " + FONT; widths[s] = ctx2d.measureText(s).width; }
    return widths[s];
  }
  var INSIDE = { box: 1, ellipse: 1, text: 1, circle: 1, database: 1 };
  function relabel() {
    var scale = network.getScale() || 1, fs = LABEL_PX / scale;
    var ids = nodes.getIds(), pos = network.getPositions(ids);
    var pri = function (v) { return v === data.rule.focus || (v === state.selected && state.hl) ? 0 : (state.hl && state.hl.has(v) ? 1 : (state.hl ? 3 : 2)); };
    ids.sort(function (a, b) { return pri(a) - pri(b) || byRank(a, b); });
    var placed = [], grid = {}, cell = 120, want = new Set();
    function hits(b) {
      var x0 = Math.floor(b[0] / cell), x1 = Math.floor(b[2] / cell), y0 = Math.floor(b[1] / cell), y1 = Math.floor(b[3] / cell);
      for (var gx = x0; gx <= x1; gx++) for (var gy = y0; gy <= y1; gy++) {
        var list = grid[gx + ":" + gy] || [];
        for (var i = 0; i < list.length; i++) { var o = list[i]; if (b[0] < o[2] && o[0] < b[2] && b[1] < o[3] && o[1] < b[3]) return true; }
      }
      return false;
    }
    function put(b) {
      for (var gx = Math.floor(b[0] / cell); gx <= Math.floor(b[2] / cell); gx++) for (var gy = Math.floor(b[1] / cell); gy <= Math.floor(b[3] / cell); gy++) {
        (grid[gx + ":" + gy] = grid[gx + ":" + gy] || []).push(b);
      }
    }
    // nodes are obstacles too, in the same order: a label may cover a less important node, never a more important one
    for (var i = 0; i < ids.length && want.size < MAX_LABELS; i++) {
      var v = ids[i], n = N[v], p = pos[v];
      if (!p) continue;
      var cx = p.x * scale, cy = p.y * scale, r = (n.size || 10) * scale;
      var w = textWidth(n.label) + 10, h = LABEL_PX + 8;
      var top = INSIDE[n.shape] ? cy - h / 2 : cy + r + 2;
      var b = [cx - w / 2, top, cx + w / 2, top + h];
      if (pri(v) !== 3 && !hits(b)) { put(b); want.add(v); }
      if (!INSIDE[n.shape]) put([cx - r, cy - r, cx + r, cy + r]);
    }
    var upd = [];
    ids.forEach(function (v) {
      var on = want.has(v) || v === hovered;
      if (on) upd.push({ id: v, label: N[v].label, font: { size: fs } });
      else if (labelled.has(v)) upd.push({ id: v, label: "" });
    });
    labelled = want;
    upd.forEach(queueN);
    flushN();
  }
  var relabelTimer = null;
  network.on("zoom", function () { clearTimeout(relabelTimer); relabelTimer = setTimeout(relabel, 120); });
  network.on("dragEnd", function () { relabel(); });
  network.on("hoverNode", function (p) {
    hovered = p.node;
    if (!labelled.has(p.node)) nodes.update({ id: p.node, label: N[p.node].label, font: { size: LABEL_PX / (network.getScale() || 1) } });
  });
  network.on("blurNode", function (p) {
    if (hovered === p.node) hovered = null;
    if (!labelled.has(p.node) && nodes.get(p.node)) nodes.update({ id: p.node, label: "" });
  });

  // ------------------------------------------------------------------ details panel and ownership tree
  var body = document.getElementById("cn-details-body"), treeBox = document.getElementById("cn-tree");
  function showDetails(id) {
    clear(body); clear(treeBox);
    if (id === undefined || id === null) return;
    if (N[id]) { body.appendChild(card(N[id].tip)); showTree(id); }
    else if (E[id]) body.appendChild(card(E[id].tip));
  }
  function entityButton(v, name) {
    var b = el("button", "cn-linkish", name);
    b.type = "button";
    if (v) b.addEventListener("click", function () { focusNode(v); });
    return b;
  }
  function showTree(v) {
    var t = data.trees[v];
    clear(treeBox);
    if (!t) return;
    treeBox.appendChild(el("h2", null, "Owners of " + N[v].tip.name + (t.as_of ? " (as of " + t.as_of + ")" : "")));
    var a = t.affiliates, rule = el("div", "cn-rule " + (a.covered ? "cn-yes" : "cn-no"));
    rule.appendChild(el("b", null, "Affiliates rule (50%): "));
    if (a.covered) {
      rule.appendChild(document.createTextNode("covered: owned " + a.stake + " effectively by "));
      rule.appendChild(entityButton(a.owner_n, a.owner));
      rule.appendChild(document.createTextNode(", which is on a listed party's list"));
    } else if (a.in_force === false) {
      rule.appendChild(document.createTextNode("not applied on this date: the rule was not in force (data/rules.toml)" +
        (a.would ? "; listed or covered parties own " + a.stake + ", so it would be covered" : "; it would not cover this entity either")));
    } else {
      rule.appendChild(document.createTextNode("not covered: no listed party owns 50% or more, directly or through chains"));
    }
    if (a.lists.length) rule.appendChild(el("div", null, "itself on: " + a.lists.join(", ")));
    treeBox.appendChild(rule);
    treeBox.appendChild(el("p", "cn-hint", "direct stake in the entity below it \u00b7 effective stake in " + N[v].tip.name + " through every chain"));
    function list(owners) {
      var ul = el("ul");
      owners.forEach(function (o) {
        var li = el("li");
        li.appendChild(entityButton(o.n, o.name));
        li.appendChild(el("span", "cn-pct", " direct " + o.direct + (o.stated ? "" : " (stake not stated; counted at the default)") + ", effective " + o.effective));
        var e = E[o.edge];
        if (e) {
          li.appendChild(el("span", "cn-pct", " \u00b7 " + e.tip.relation + (e.tip.since ? " since " + e.tip.since : "") + (e.tip.until ? " until " + e.tip.until : "")));
          if (e.tip.sources.length) li.appendChild(sourceList(e.tip.sources));
        }
        if (o.owners.length) li.appendChild(list(o.owners));
        ul.appendChild(li);
      });
      return ul;
    }
    treeBox.appendChild(list(t.owners));
  }
  network.on("click", function (p) {
    if (p.nodes.length) { state.selected = p.nodes[0]; showDetails(p.nodes[0]); highlight(neighbours(p.nodes[0])); }
    else if (p.edges.length) { showDetails(p.edges[0]); }
    else { state.selected = null; clearHighlight(); }
  });

  // ------------------------------------------------------------------ expand, collapse, show all
  function expand(v) {
    var t0 = performance.now(), added = 0;
    adj[v].forEach(function (id) {
      var e = E[id];
      if (!valid(e, state.date) || offR[e.rel]) return;
      var u = e.from === v ? e.to : e.from;
      if (!state.shown.has(u)) { state.shown.add(u); added++; }
    });
    state.expanded = true;
    state.hl = new Set([v]); state.hlEdges = null;
    adj[v].forEach(function (id) {
      var e = E[id];
      if (valid(e, state.date) && !offR[e.rel]) state.hl.add(e.from === v ? e.to : e.from);
    });
    sync();  // draws the new neighbours, dims the rest, thins the labels: one pass
    api.lastMs = performance.now() - t0;
    status.textContent = "added " + added + " neighbour" + (added === 1 ? "" : "s") + " of " + N[v].tip.name + "; " + status.textContent;
    return added;
  }
  // vis-network's doubleClick (touch) and the browser's own dblclick (mouse; its timing does not depend on how busy the script is)
  var lastExpand = { v: null, t: 0 };
  function expandOnce(v) {
    var now = performance.now();
    if (lastExpand.v === v && now - lastExpand.t < 800) return;
    lastExpand = { v: v, t: now };
    expand(v);
  }
  network.on("doubleClick", function (p) { if (p.nodes.length) expandOnce(p.nodes[0]); });
  container.addEventListener("dblclick", function (ev) {
    var r = container.getBoundingClientRect(), v = network.getNodeAt({ x: ev.clientX - r.left, y: ev.clientY - r.top });
    if (v !== undefined && N[v]) expandOnce(v);
  });
  function collapse() {
    state.shown = new Set(initialSet(state.date));
    state.expanded = false;
    clearHighlight();
    sync();
    network.fit({ animation: false });
    relabel();
  }
  function showAll() {
    state.shown = new Set(data.nodes.map(function (n) { return n.id; }));
    state.expanded = true;
    sync();
    network.fit({ animation: false });
    relabel();
  }
  document.getElementById("cn-collapse").addEventListener("click", collapse);
  document.getElementById("cn-showall").addEventListener("click", showAll);
  document.getElementById("cn-fit").addEventListener("click", function () { network.fit({ animation: false }); relabel(); });

  // ------------------------------------------------------------------ filters by entity and relationship type
  function readFilters() {
    offT = {}; offR = {};
    document.querySelectorAll("input.cn-type").forEach(function (b) { if (!b.checked) offT[b.value] = true; });
    document.querySelectorAll("input.cn-rel").forEach(function (b) { if (!b.checked) offR[b.value] = true; });
    sync();
  }
  document.querySelectorAll("input.cn-type, input.cn-rel").forEach(function (b) { b.addEventListener("change", readFilters); });
  document.getElementById("cn-all").addEventListener("click", function () {
    document.querySelectorAll("input.cn-type, input.cn-rel").forEach(function (b) { b.checked = true; });
    readFilters();
  });

  // ------------------------------------------------------------------ find: name, Chinese name, alias, ticker or id
  var index = [];
  data.nodes.forEach(function (n) { n.search.forEach(function (s) { index.push([String(s).toLowerCase(), n.id]); }); });
  var names = document.getElementById("cn-names");
  data.nodes.map(function (n) { return n.label; }).sort().forEach(function (label) {
    var o = document.createElement("option");
    o.value = label;
    names.appendChild(o);
  });
  function find(q) {
    q = String(q || "").trim().toLowerCase();
    if (!q) return null;
    var i, hit = null;
    for (i = 0; i < index.length && !hit; i++) if (index[i][0] === q) hit = index[i][1];
    for (i = 0; i < index.length && !hit; i++) if (index[i][0].indexOf(q) === 0) hit = index[i][1];
    for (i = 0; i < index.length && !hit; i++) if (index[i][0].indexOf(q) > 0) hit = index[i][1];
    return hit;
  }
  function reveal(v) {
    var box = document.querySelector('input.cn-type[value="' + CSS.escape(N[v].etype) + '"]');
    if (box && !box.checked) { box.checked = true; offT[N[v].etype] = false; }
    if (!state.shown.has(v)) { state.shown.add(v); state.expanded = true; }
    sync();
  }
  function focusNode(v) {
    reveal(v);
    if (!nodes.get(v)) { status.textContent = N[v].tip.name + " did not exist yet on " + state.date; return; }
    network.selectNodes([v]);
    network.focus(v, { scale: Math.max(network.getScale(), 1.2), animation: false });
    state.selected = v;
    highlight(neighbours(v));
    showDetails(v);
  }
  var lastQuery = null;
  function search() {
    var q = document.getElementById("cn-search").value;
    lastQuery = q;
    var v = find(q);
    if (v === null) { status.textContent = q.trim() ? "no entity matches \u201c" + q.trim() + "\u201d" : ""; return null; }
    focusNode(v);
    status.textContent = "found " + N[v].tip.name;
    return v;
  }
  document.getElementById("cn-go").addEventListener("click", search);
  document.getElementById("cn-search").addEventListener("keydown", function (ev) { if (ev.key === "Enter") { ev.preventDefault(); search(); } });
  document.getElementById("cn-search").addEventListener("change", function () {  // a pick from the list; not a blur after Enter
    if (document.getElementById("cn-search").value !== lastQuery) search();
  });

  // ------------------------------------------------------------------ paths
  var pathBody = document.getElementById("cn-path-body");
  function shortestPaths(a, b, rels, D, limit) {
    var dist = {}, preds = {}, queue = [a];
    dist[a] = 0; preds[a] = [];
    while (queue.length) {
      var v = queue.shift();
      if (b in dist && dist[v] >= dist[b]) break;
      adj[v].forEach(function (id) {
        var e = E[id];
        if ((rels && !rels.has(e.rel)) || !valid(e, D)) return;
        var u = e.from === v ? e.to : e.from;
        if (u === v) return;
        if (!(u in dist)) { dist[u] = dist[v] + 1; preds[u] = [v]; queue.push(u); }
        else if (dist[u] === dist[v] + 1 && preds[u].indexOf(v) < 0) preds[u].push(v);
      });
    }
    if (!(b in dist)) return { paths: [], total: 0 };
    var count = {}, ord = Object.keys(dist).sort(function (x, y) { return dist[x] - dist[y]; });
    ord.forEach(function (v) { count[v] = v === a ? 1 : preds[v].reduce(function (s, p) { return s + count[p]; }, 0); });
    // the first `limit` paths in the order of their entity ids from a to b: mark the nodes on some shortest path
    // (back from b through preds), then walk forward from a, children in id order (depth-first = lexicographic)
    var onPath = {}, succ = {}, stack = [b];
    onPath[b] = true;
    while (stack.length) {
      var w = stack.pop();
      (preds[w] || []).forEach(function (p) {
        (succ[p] = succ[p] || []).push(w);
        if (!onPath[p]) { onPath[p] = true; stack.push(p); }
      });
    }
    Object.keys(succ).forEach(function (k) { succ[k].sort(function (x, y) { return eidOf(x) < eidOf(y) ? -1 : eidOf(x) > eidOf(y) ? 1 : 0; }); });
    var out = [];
    (function walk(v, head) {
      if (out.length >= limit) return;
      if (v === b) { out.push(head); return; }
      (succ[v] || []).forEach(function (w) { walk(w, head.concat([w])); });
    })(a, [a]);
    out.sort(function (x, y) { var s = x.map(eidOf).join("\u0001"), t = y.map(eidOf).join("\u0001"); return s < t ? -1 : s > t ? 1 : 0; });
    return { paths: out, total: count[b] };
  }
  function hopFacts(u, v, rels, D) {
    return adj[u].filter(function (id) { var e = E[id]; return ((e.from === u && e.to === v) || (e.from === v && e.to === u)) && (!rels || rels.has(e.rel)) && valid(e, D); });
  }
  function findPaths(fromText, toText, relNames) {
    var t0 = performance.now();
    clear(pathBody);
    var a = find(fromText), b = find(toText);
    if (a === null || b === null) {
      pathBody.appendChild(el("p", "cn-hint", "no entity matches \u201c" + String(a === null ? fromText : toText).trim() + "\u201d"));
      return null;
    }
    var rels = relNames && relNames.length ? new Set(relNames) : null;
    var res = a === b ? { paths: [[a]], total: 1 } : shortestPaths(a, b, rels, state.date, 20);
    api.lastPathMs = performance.now() - t0;  // the answer; updated below once it is drawn and listed
    var head = N[a].tip.name + " \u2192 " + N[b].tip.name + (rels ? " through " + relNames.join(", ") : "") + (state.date ? ", as of " + state.date : "");
    if (!res.paths.length) {
      pathBody.appendChild(el("p", "cn-hint", "no path: " + head));
      return res;
    }
    pathBody.appendChild(el("p", "cn-hint", res.total + " shortest path" + (res.total === 1 ? "" : "s") + " of " + (res.paths[0].length - 1) + " hop" + (res.paths[0].length === 2 ? "" : "s") + ": " + head + (res.total > res.paths.length ? " (first " + res.paths.length + " shown)" : "")));
    var nset = new Set(), eset = new Set();
    res.paths.forEach(function (path, i) {
      var box = el("div", "cn-path");
      box.appendChild(el("b", null, "Path " + (i + 1) + ": " + path.map(function (v) { return N[v].tip.name; }).join(" \u2192 ")));
      var ol = el("ol");
      for (var k = 0; k + 1 < path.length; k++) {
        var u = path[k], v = path[k + 1];
        hopFacts(u, v, rels, state.date).forEach(function (id) {
          var t = E[id].tip, li = el("li", "cn-hop");
          li.appendChild(el("span", null, t.from + " "));
          li.appendChild(el("span", "cn-rel", t.relation));
          li.appendChild(el("span", null, " " + t.to + " \u00b7 " + (t.since ? "since " + t.since : "since unknown") + (t.until ? " until " + t.until : "") + " \u00b7 confidence " + t.confidence));
          if (t.sources.length) li.appendChild(sourceList(t.sources));
          ol.appendChild(li);
          eset.add(id);
        });
      }
      box.appendChild(ol);
      pathBody.appendChild(box);
      path.forEach(function (v) { nset.add(v); });
    });
    nset.forEach(function (v) { if (!state.shown.has(v)) { state.shown.add(v); state.expanded = true; } });
    sync();
    highlight(nset, eset);
    network.fit({ nodes: Array.from(nset).filter(function (v) { return !!nodes.get(v); }), animation: false });
    relabel();
    api.lastPathMs = performance.now() - t0;
    return { paths: res.paths.map(function (p) { return p.map(eidOf); }), total: res.total, edges: Array.from(eset).map(function (id) { return E[id].tip.id; }) };
  }
  function checkedPathRels() {
    return Array.prototype.slice.call(document.querySelectorAll("input.cn-path-rel")).filter(function (b) { return b.checked; }).map(function (b) { return b.value; });
  }
  document.getElementById("cn-path-go").addEventListener("click", function () {
    findPaths(document.getElementById("cn-from").value, document.getElementById("cn-to").value, checkedPathRels());
  });
  document.getElementById("cn-path-clear").addEventListener("click", function () { clear(pathBody); clearHighlight(); });
  ["cn-from", "cn-to"].forEach(function (id) {
    document.getElementById(id).addEventListener("keydown", function (ev) { if (ev.key === "Enter") { ev.preventDefault(); document.getElementById("cn-path-go").click(); } });
  });

  // ------------------------------------------------------------------ the date slider
  var stops = data.dates.slice();
  if (state.date && stops.indexOf(state.date) < 0) { stops.push(state.date); stops.sort(); }
  stops.push(null);  // the last stop: every fact, ended ones included
  var slider = document.getElementById("cn-slider"), dateLabel = document.getElementById("cn-date-label"), dateBox = document.getElementById("cn-date");
  slider.max = String(stops.length - 1);
  function stopIndex(D) {
    if (D === null) return stops.length - 1;
    var i = 0;
    while (i + 1 < stops.length - 1 && stops[i + 1] <= D) i++;
    return i;
  }
  function showDate() { dateLabel.textContent = state.date ? "as of " + state.date : "all dates"; slider.value = String(stopIndex(state.date)); }
  function setDate(D) {
    state.date = D;
    if (!state.expanded) state.shown = new Set(initialSet(D));
    showDate();
    clear(pathBody);
    state.hl = null; state.hlEdges = null;
    sync();
    if (!state.expanded) network.fit({ animation: false });
    relabel();
    if (state.selected && N[state.selected]) showDetails(state.selected);
    if (data.rule.focus && !exists(data.rule.focus, D)) status.textContent = N[data.rule.focus].tip.name + " did not exist yet on " + D + " (founded " + N[data.rule.focus].tip.founded + ")";
  }
  slider.addEventListener("input", function () { var D = stops[+slider.value]; dateLabel.textContent = D ? "as of " + D : "all dates"; });
  slider.addEventListener("change", function () { setDate(stops[+slider.value]); });
  function typedDate() {
    var D = parseDay(dateBox.value);
    if (!D) { status.textContent = "\u201c" + dateBox.value.trim() + "\u201d is not a date; write YYYY, YYYY-MM or YYYY-MM-DD"; return; }
    setDate(D);
  }
  document.getElementById("cn-date-go").addEventListener("click", typedDate);
  dateBox.addEventListener("keydown", function (ev) { if (ev.key === "Enter") { ev.preventDefault(); typedDate(); } });
  document.getElementById("cn-date-all").addEventListener("click", function () { setDate(null); });

  // ------------------------------------------------------------------ downloads: GraphML and Cypher of the current view
  function xml(s) {
    return String(s === undefined || s === null ? "" : s)
      .replace(/[^\u0009\u000A\u000D\u0020-\uD7FF\uE000-\uFFFD\uD800-\uDBFF\uDC00-\uDFFF]/g, "")
      .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(^|[^\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "$1")
      .replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&apos;");
  }
  var NODE_KEYS = ["label", "type", "name", "name_zh", "aliases", "category", "founded", "tickers", "source_urls", "source_publishers", "source_dates"];
  var EDGE_KEYS = ["relation", "since", "until", "confidence", "properties", "known_since", "source_urls", "source_publishers", "source_dates"];
  function srcCols(list) {
    return { source_urls: list.map(function (s) { return s.url; }).join("|"), source_publishers: list.map(function (s) { return s.publisher; }).join("|"),
             source_dates: list.map(function (s) { return s.published; }).join("|") };
  }
  function graphml() {
    var out = ['<?xml version="1.0" encoding="UTF-8"?>',
      '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">'];
    NODE_KEYS.forEach(function (k) { out.push('<key id="' + k + '" for="node" attr.name="' + k + '" attr.type="string"/>'); });
    EDGE_KEYS.forEach(function (k) { out.push('<key id="e_' + k + '" for="edge" attr.name="' + k + '" attr.type="string"/>'); });
    out.push('<graph id="cnaikg" edgedefault="directed">');
    out.push("<!-- " + xml(document.title).replace(/--/g, "- -") + (state.date ? " as of " + state.date : "") + " -->");
    nodes.getIds().sort().forEach(function (v) {
      var t = N[v].tip, vals = Object.assign({ label: t.name, type: N[v].etype, name: t.name, name_zh: t.name_zh, aliases: t.aliases.join("|"), category: t.category,
        founded: t.founded, tickers: t.tickers.join("|") }, srcCols(t.sources));
      out.push('<node id="' + xml(t.id) + '">' + NODE_KEYS.filter(function (k) { return vals[k]; }).map(function (k) { return '<data key="' + k + '">' + xml(vals[k]) + "</data>"; }).join("") + "</node>");
    });
    edges.getIds().sort().forEach(function (id) {
      var e = E[id], t = e.tip, props = {};
      t.properties.forEach(function (p) { props[p[0]] = p[1]; });
      var vals = Object.assign({ relation: t.relation, since: t.since, until: t.until, confidence: t.confidence, properties: t.properties.length ? JSON.stringify(props) : "",
        known_since: e.kn || "" }, srcCols(t.sources));
      out.push('<edge id="' + xml(t.id) + '" source="' + xml(N[e.from].tip.id) + '" target="' + xml(N[e.to].tip.id) + '">' +
        EDGE_KEYS.filter(function (k) { return vals[k]; }).map(function (k) { return '<data key="e_' + k + '">' + xml(vals[k]) + "</data>"; }).join("") + "</edge>");
    });
    out.push("</graph>", "</graphml>", "");
    return out.join("\n");
  }
  function cypherString(s) { return JSON.stringify(String(s)); }  // a JSON string is a valid Cypher string literal
  function cypher() {
    var ns = nodes.getIds().map(eidOf).sort(), es = edges.getIds().map(function (id) { return E[id].tip.id; }).sort();
    return ["// cnaikg explorer view: " + ns.length + " entities and " + es.length + " facts" + (state.date ? " as of " + state.date : " (all dates)") + ".",
      "// Run it on the local endpoint (cnaikg cypher / cnaikg serve) or on Neo4j after cnaikg push; it returns the entities and the facts drawn.",
      "MATCH (n:Entity) WHERE n.id IN [" + ns.map(cypherString).join(", ") + "]",
      "OPTIONAL MATCH (n)-[r]->(m:Entity) WHERE r.id IN [" + es.map(cypherString).join(", ") + "]",
      "RETURN n, r, m", ""].join("\n");
  }
  function download(name, mime, text) {
    var url = URL.createObjectURL(new Blob([text], { type: mime }));
    var a = document.createElement("a");
    a.href = url;
    a.download = name;
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(url); a.remove(); }, 1000);
    api.lastDownload = { name: name, text: text };
  }
  document.getElementById("cn-dl-graphml").addEventListener("click", function () { download("cnaikg-view.graphml", "application/graphml+xml", graphml()); });
  document.getElementById("cn-dl-cypher").addEventListener("click", function () { download("cnaikg-view.cypher", "text/plain", cypher()); });

  // ------------------------------------------------------------------ start
  var api = {
    network: network, nodes: nodes, edges: edges, ids: data.ids, find: find, focus: focusNode, expand: expand, collapse: collapse,
    showAll: showAll, setDate: setDate, paths: findPaths, applyFilters: readFilters, graphml: graphml, cypher: cypher,
    initialSet: function (D) { return initialSet(D === undefined ? state.date : D).map(eidOf); },
    drawnEntities: function () { return nodes.getIds().map(eidOf).sort(); },
    drawnFacts: function () { return edges.getIds().map(function (id) { return E[id].tip.id; }).sort(); },
    labelled: function () { return Array.from(labelled); },
    highlighted: function () { return state.hl ? Array.from(state.hl) : []; },
    date: function () { return state.date; },
    lastMs: 0, lastPathMs: 0, lastDownload: null
  };
  window.cnaikg = api;
  network.once("afterDrawing", function () {
    window.cnaikgReadyMs = performance.now();
    window.cnaikgReady = true;
    document.documentElement.setAttribute("data-cnaikg-ready", "1");
  });
  showDate();
  sync();
  network.fit({ animation: false });
  relabel();
})();
