/* refusal-bench leaderboard: in-place table sorting and the sample browser. No network: data
   comes from script files next to the pages. Untrusted text is only ever set as textContent. */
(function () {
  "use strict";

  function sortTable(table, th) {
    var index = Array.prototype.indexOf.call(th.parentNode.children, th);
    var lowerBetter = th.getAttribute("data-lower-better") === "true";
    var descending = th.getAttribute("data-dir") !== "desc";
    if (lowerBetter) descending = !descending;
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    rows.sort(function (a, b) {
      var x = a.cells[index].getAttribute("data-value"), y = b.cells[index].getAttribute("data-value");
      if (x === "" && y === "") return 0;
      if (x === "") return 1;
      if (y === "") return -1;
      return descending ? parseFloat(y) - parseFloat(x) : parseFloat(x) - parseFloat(y);
    });
    var bestFirst = descending !== lowerBetter;
    var key = th.getAttribute("data-key");
    rows.forEach(function (row, i) {
      // best first: the board's shared ranks (ties share a place); reversed: plain positions
      var rank = bestFirst ? row.getAttribute("data-rank-" + key) : String(i + 1);
      row.cells[0].textContent = rank || "\u2014";
      table.tBodies[0].appendChild(row);
    });
    Array.prototype.forEach.call(th.parentNode.children, function (cell) { cell.classList.remove("sorted"); cell.removeAttribute("data-dir"); });
    th.classList.add("sorted");
    th.setAttribute("data-dir", descending === !lowerBetter ? "desc" : "asc");
    return bestFirst ? "best" : "worst";
  }

  // The sort state lives in the URL (#sort=<board>~<metric>~<best|worst>), so a sorted view can
  // be linked; a page opened with one sorts itself.
  function remember(table, th, order) {
    var board = table.closest("[id]");
    if (!board || !window.history || !history.replaceState) return;
    history.replaceState(null, "", "#sort=" + board.id + "~" + th.getAttribute("data-metric") + "~" + order);
  }

  function restore() {
    var match = /^#sort=([^~]+)~([^~]+)~(best|worst)$/.exec(decodeURIComponent(location.hash));
    if (!match) return;
    var board = document.getElementById(match[1]);
    if (!board) return;
    var th = board.querySelector('table.sortable th[data-metric="' + match[2].replace(/"/g, "") + '"]');
    if (!th) return;
    var table = th.closest("table");
    if (sortTable(table, th) !== match[3]) sortTable(table, th);
    board.scrollIntoView();
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("table.sortable th[data-metric] a.sort") : null;
    if (!link) return;
    event.preventDefault();
    var th = link.parentNode;
    var table = th.closest("table");
    remember(table, th, sortTable(table, th));
  });
  document.addEventListener("DOMContentLoaded", restore);

  function cell(text) {
    var td = document.createElement("td");
    td.textContent = text == null ? "" : String(text);
    return td;
  }

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text != null) node.textContent = String(text);
    return node;
  }

  function seconds(v) { return (Math.round(v * 10) / 10).toFixed(1); }

  /* The gold of a sample in words: the moment, the answer, the reference refusal. */
  function goldCell(r) {
    var td = el("td", "gold"), g = r.gold || {};
    if (g.span) td.appendChild(el("div", null, "moment " + seconds(g.span[0]) + "\u2013" + seconds(g.span[1]) + " s"));
    if (g.answer) td.appendChild(el("div", null, "answer: " + g.answer));
    if (g.refusal) td.appendChild(el("div", null, "refusal: " + g.refusal));
    if (g.altered) td.appendChild(el("div", "muted", "altered: " + (typeof g.altered === "string" ? g.altered : JSON.stringify(g.altered))));
    if (g.categories && g.categories.length) td.appendChild(el("div", "muted", "categories: " + g.categories.join(", ")));
    if (g.difficulty) td.appendChild(el("div", "muted", "difficulty: " + g.difficulty));
    return td;
  }

  /* The video's frames, with their times: what the model saw. */
  function strip(r, root) {
    var td = el("div", "strip");
    var img = el("img");
    img.src = root + r.strip.src;
    img.alt = "frames at " + r.strip.times.map(seconds).join(", ") + " s";
    img.loading = "lazy";
    td.appendChild(img);
    td.appendChild(el("div", "muted times", r.strip.times.map(seconds).join(" \u00b7 ") + " s"));
    return td;
  }

  /* Where the gold moment and the predicted span fall in the video. */
  function timeline(r, span) {
    var duration = r.gold && r.gold.duration;
    if (!duration || (!(r.gold && r.gold.span) && !span)) return null;
    var bar = el("div", "timeline");
    bar.setAttribute("title", "0 to " + seconds(duration) + " s");
    function segment(s, cls, label) {
      var a = Math.max(0, Math.min(s[0], s[1])), b = Math.min(duration, Math.max(s[0], s[1]));
      var seg = el("span", cls);
      seg.style.left = (100 * a / duration) + "%";
      seg.style.width = Math.max(0.5, 100 * (b - a) / duration) + "%";
      seg.setAttribute("title", label + " " + seconds(s[0]) + "\u2013" + seconds(s[1]) + " s");
      bar.appendChild(seg);
    }
    if (r.gold && r.gold.span) segment(r.gold.span, "gold-span", "gold");
    if (span) segment(span, "pred-span", "predicted");
    return bar;
  }

  function verdictCell(r, outcomes) {
    var verdict = r.verdict || r.status;
    var outcome = (outcomes[r.kind] || {})[r.verdict] || "unscored";
    var td = el("td", "verdict " + outcome);
    td.appendChild(el("span", "mark", outcome === "right" ? "\u2713" : outcome === "wrong" ? "\u2717" : outcome === "partial" ? "\u00bd" : "\u2013"));
    td.appendChild(document.createTextNode(" " + verdict));
    return td;
  }

  function responseCell(r, span) {
    var td = el("td", "response", r.response == null ? "" : r.response);
    var bar = timeline(r, span);
    if (bar) td.appendChild(bar);
    return td;
  }

  window.RB_samples_page = function (root) {
    var index = (window.RB && window.RB.RB_INDEX) || [];
    var outcomes = (window.RB && window.RB.RB_OUTCOMES) || {};
    var runSelect = document.getElementById("run-select");
    var otherSelect = document.getElementById("other-select");
    var disagreeOnly = document.getElementById("disagree-only");
    var kindSelect = document.getElementById("kind-select");
    var verdictSelect = document.getElementById("verdict-select");
    var textFilter = document.getElementById("text-filter");
    var table = document.getElementById("sample-table");
    var tbody = document.querySelector("#sample-table tbody");
    var count = document.getElementById("sample-count");
    var more = document.getElementById("more-samples");
    var shown = 0, current = [], PAGE = 100, wantedSample = null;

    var files = {}, joined = {}, labels = {};
    index.forEach(function (entry) {
      Object.keys(entry.tasks).forEach(function (task) {
        var option = el("option", null, entry.model + " \u00b7 " + task + " (" + entry.judge + ")");
        option.value = entry.id + "/" + task;
        runSelect.appendChild(option);
        files[option.value] = entry.tasks[task];
        labels[option.value] = entry.model;
      });
    });

    function script(path, done) {
      if (window.RB && window.RB[path]) return done(window.RB[path]);
      var tag = document.createElement("script");
      tag.src = root + path;
      tag.onload = function () { done(window.RB[path] || []); };
      tag.onerror = function () { count.textContent = "could not load " + tag.src; };
      document.body.appendChild(tag);
    }

    /* A task's questions and gold answers (shared by all submissions) joined, by position, with
       one submission's responses and verdicts. */
    function load(key, done) {
      if (!key) return done(null);
      if (joined[key]) return done(joined[key]);
      var paths = files[key];
      if (!paths) { count.textContent = "no sample data for " + key; return; }
      script(paths.gold, function (gold) {
        script(paths.rows, function (rows) {
          if (rows.length !== gold.length) { count.textContent = "the sample data of " + key + " does not match its task"; return; }
          joined[key] = gold.map(function (g, i) { return Object.assign({}, g, rows[i]); });
          done(joined[key]);
        });
      });
    }

    function options(select, values) {
      var keep = select.value;
      while (select.options.length > 1) select.remove(1);
      values.forEach(function (v) { var o = el("option", null, v); o.value = v; select.appendChild(o); });
      select.value = values.indexOf(keep) >= 0 ? keep : "";
    }

    /* Submissions of the same task (and judge) can be compared side by side. */
    function otherOptions() {
      var task = runSelect.value.split("/").slice(1).join("/");
      var keep = otherSelect.value;
      while (otherSelect.options.length > 1) otherSelect.remove(1);
      Object.keys(files).forEach(function (key) {
        if (key === runSelect.value || key.split("/").slice(1).join("/") !== task) return;
        var o = el("option", null, labels[key] + " (" + key.split("/")[0] + ")");
        o.value = key;
        otherSelect.appendChild(o);
      });
      otherSelect.value = Array.prototype.some.call(otherSelect.options, function (o) { return o.value === keep; }) ? keep : "";
    }

    function render(rows, others) {
      options(kindSelect, Array.from(new Set(rows.map(function (r) { return r.kind; }))).sort());
      options(verdictSelect, Array.from(new Set(rows.map(function (r) { return r.verdict || r.status; }))).sort());
      var text = textFilter.value.toLowerCase();
      table.classList.toggle("compare", !!others);
      current = rows.map(function (r, i) { return [r, others ? others[i] : null]; }).filter(function (pair) {
        var r = pair[0], o = pair[1];
        if (wantedSample) return r.id === wantedSample;
        return (!kindSelect.value || r.kind === kindSelect.value) &&
          (!verdictSelect.value || (r.verdict || r.status) === verdictSelect.value) &&
          (!disagreeOnly.checked || !o || (o.verdict || o.status) !== (r.verdict || r.status)) &&
          (!text || (r.id + " " + r.question + " " + (r.response || "")).toLowerCase().indexOf(text) >= 0);
      });
      tbody.textContent = "";
      shown = 0;
      showMore();
    }

    function showMore() {
      current.slice(shown, shown + PAGE).forEach(function (pair) {
        var r = pair[0], o = pair[1];
        var tr = el("tr");
        tr.id = "sample-" + r.id;
        tr.setAttribute("data-verdict", r.verdict || r.status);
        var idCell = el("td", "id");
        var link = el("a", "permalink", r.id);
        link.href = "#" + runSelect.value + "@" + encodeURIComponent(r.id);
        link.title = "link to this sample";
        idCell.appendChild(link);
        tr.appendChild(idCell);
        tr.appendChild(cell(r.kind));
        var question = cell(r.question);
        if (r.strip) question.appendChild(strip(r, root));
        tr.appendChild(question);
        tr.appendChild(goldCell(r));
        tr.appendChild(responseCell(r, r.span));
        tr.appendChild(verdictCell(r, outcomes));
        if (o) {
          var other = responseCell(o, o.span); other.classList.add("other"); tr.appendChild(other);
          var verdict = verdictCell(o, outcomes); verdict.classList.add("other"); tr.appendChild(verdict);
          if ((o.verdict || o.status) !== (r.verdict || r.status)) tr.classList.add("disagree");
        }
        tbody.appendChild(tr);
      });
      shown = Math.min(current.length, shown + PAGE);
      count.textContent = current.length + " samples match; showing " + shown + "." + (wantedSample ? " (one sample: clear the link to see all)" : "");
      more.hidden = shown >= current.length;
    }

    function refresh() {
      if (!runSelect.value) return;
      load(runSelect.value, function (rows) {
        load(otherSelect.value, function (others) { render(rows, others); });
      });
    }

    function readHash() {
      var wanted = decodeURIComponent(window.location.hash.slice(1));
      var at = wanted.indexOf("@");
      wantedSample = at >= 0 ? wanted.slice(at + 1) : null;
      var key = at >= 0 ? wanted.slice(0, at) : wanted;
      if (key && files[key]) runSelect.value = key;
      otherOptions();
    }

    runSelect.addEventListener("change", function () { wantedSample = null; window.location.hash = runSelect.value; otherOptions(); refresh(); });
    otherSelect.addEventListener("change", refresh);
    [kindSelect, verdictSelect, disagreeOnly].forEach(function (s) { s.addEventListener("change", function () { wantedSample = null; refresh(); }); });
    textFilter.addEventListener("input", function () { wantedSample = null; refresh(); });
    more.addEventListener("click", showMore);
    window.addEventListener("hashchange", function () { readHash(); refresh(); });
    readHash();
    refresh();
  };
})();
