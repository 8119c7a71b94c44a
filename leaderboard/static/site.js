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

  window.RB_samples_page = function (root) {
    var index = (window.RB && window.RB.RB_INDEX) || [];
    var runSelect = document.getElementById("run-select");
    var kindSelect = document.getElementById("kind-select");
    var verdictSelect = document.getElementById("verdict-select");
    var textFilter = document.getElementById("text-filter");
    var tbody = document.querySelector("#sample-table tbody");
    var count = document.getElementById("sample-count");
    var more = document.getElementById("more-samples");
    var shown = 0, current = [], PAGE = 100;

    var files = {}, joined = {};
    index.forEach(function (entry) {
      Object.keys(entry.tasks).forEach(function (task) {
        var option = document.createElement("option");
        option.value = entry.id + "/" + task;
        option.textContent = entry.model + " · " + task + " (" + entry.judge + ")";
        runSelect.appendChild(option);
        files[option.value] = entry.tasks[task];
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
      values.forEach(function (v) { var o = document.createElement("option"); o.value = v; o.textContent = v; select.appendChild(o); });
      select.value = values.indexOf(keep) >= 0 ? keep : "";
    }

    function render(rows) {
      options(kindSelect, Array.from(new Set(rows.map(function (r) { return r.kind; }))).sort());
      options(verdictSelect, Array.from(new Set(rows.map(function (r) { return r.verdict || r.status; }))).sort());
      var text = textFilter.value.toLowerCase();
      current = rows.filter(function (r) {
        return (!kindSelect.value || r.kind === kindSelect.value) &&
          (!verdictSelect.value || (r.verdict || r.status) === verdictSelect.value) &&
          (!text || (r.id + " " + r.question + " " + (r.response || "")).toLowerCase().indexOf(text) >= 0);
      });
      tbody.textContent = "";
      shown = 0;
      showMore();
    }

    function showMore() {
      current.slice(shown, shown + PAGE).forEach(function (r) {
        var tr = document.createElement("tr");
        tr.setAttribute("data-verdict", r.verdict || r.status);
        [r.id, r.kind, r.question, JSON.stringify(r.gold), r.response, r.verdict || r.status].forEach(function (v) { tr.appendChild(cell(v)); });
        tbody.appendChild(tr);
      });
      shown = Math.min(current.length, shown + PAGE);
      count.textContent = current.length + " samples match; showing " + shown + ".";
      more.hidden = shown >= current.length;
    }

    function refresh() {
      if (!runSelect.value) return;
      load(runSelect.value, render);
    }

    runSelect.addEventListener("change", function () { window.location.hash = runSelect.value; refresh(); });
    [kindSelect, verdictSelect].forEach(function (s) { s.addEventListener("change", refresh); });
    textFilter.addEventListener("input", refresh);
    more.addEventListener("click", showMore);
    var wanted = decodeURIComponent(window.location.hash.slice(1));
    if (wanted) runSelect.value = wanted;
    refresh();
  };
})();
