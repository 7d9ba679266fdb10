// The SPARQL page, with JavaScript on: the query's text area becomes a CodeMirror editor
// (static/vendor/codemirror) with SPARQL highlighting and completion of prefixes, classes and
// properties from /api/sparql/vocabulary; the queries run are kept in this browser's local storage
// and listed for reuse; each example can be loaded into the editor; the answer table sorts by a
// column when its heading is pressed. Without JavaScript the page is a plain form that works alike.
(function () {
  "use strict";

  var HISTORY_KEY = "lrkg.sparql.history";
  var HISTORY_SIZE = 25;
  var KEYWORDS = [
    "SELECT", "DISTINCT", "WHERE", "FILTER", "OPTIONAL", "UNION", "MINUS", "GRAPH", "BIND", "VALUES",
    "GROUP BY", "HAVING", "ORDER BY", "LIMIT", "OFFSET", "ASK", "CONSTRUCT", "DESCRIBE", "PREFIX",
    "COUNT", "SAMPLE", "GROUP_CONCAT", "NOT EXISTS", "EXISTS", "STR", "LANG", "CONTAINS", "REGEX", "DESC", "ASC"
  ];

  var CM = window.LrkgCodeMirror;
  var textarea = document.getElementById("query");
  var form = textarea ? textarea.form : null;
  var vocabulary = { prefixes: {}, classes: [], properties: [] };

  // ------------------------------------------------------------------ completion

  function termOptions(prefix) {
    var options = [];
    function add(terms, type, unit) {
      terms.forEach(function (term) {
        if (term.curie.indexOf(prefix) === 0) {
          options.push({
            label: term.curie,
            type: type,
            detail: (term.label ? term.label + " · " : "") + term.count + " " + unit,
            boost: type === "class" ? 1 : 0
          });
        }
      });
    }
    add(vocabulary.classes, "class", "instances");
    add(vocabulary.properties, "property", "statements");
    return options;
  }

  function prefixOptions() {
    return Object.keys(vocabulary.prefixes).map(function (name) {
      return {
        label: name + ":",
        type: "namespace",
        detail: vocabulary.prefixes[name],
        apply: function (view, completion, from, to) {
          view.dispatch({ changes: { from: from, to: to, insert: completion.label }, selection: { anchor: from + completion.label.length } });
          CM.startCompletion(view);
        }
      };
    });
  }

  function complete(context) {
    var line = context.state.doc.lineAt(context.pos);
    var before = line.text.slice(0, context.pos - line.from);
    if (/<[^>\s]*$/.test(before) || /"[^"]*$/.test(before.replace(/"[^"]*"/g, ""))) {
      return null; // inside an IRI or a string
    }
    var declaration = context.matchBefore(/PREFIX\s+[\w-]*$/i);
    if (declaration) {
      var name = context.matchBefore(/[\w-]*$/);
      return {
        from: name.from,
        options: Object.keys(vocabulary.prefixes).map(function (prefix) {
          return { label: prefix + ": <" + vocabulary.prefixes[prefix] + ">", type: "namespace" };
        }),
        validFor: /^[\w-]*$/
      };
    }
    var curie = context.matchBefore(/[A-Za-z][\w-]*:[\w-]*$/);
    if (curie) {
      return {
        from: curie.from,
        options: termOptions(curie.text.slice(0, curie.text.indexOf(":") + 1)),
        validFor: /^[A-Za-z][\w-]*:[\w-]*$/
      };
    }
    var word = context.matchBefore(/[A-Za-z][\w-]*$/);
    if (!word && !context.explicit) {
      return null;
    }
    var keywords = KEYWORDS.map(function (keyword) { return { label: keyword, type: "keyword" }; });
    return { from: word ? word.from : context.pos, options: prefixOptions().concat(keywords), validFor: /^[\w-]*$/ };
  }

  // ------------------------------------------------------------------ history

  function readHistory() {
    try {
      var kept = JSON.parse(window.localStorage.getItem(HISTORY_KEY) || "[]");
      return Array.isArray(kept) ? kept.filter(function (entry) { return entry && typeof entry.query === "string"; }) : [];
    } catch (error) {
      return [];
    }
  }

  function writeHistory(entries) {
    try {
      window.localStorage.setItem(HISTORY_KEY, JSON.stringify(entries));
    } catch (error) {
      // Storage full or refused (a private window): the history is simply not kept.
    }
  }

  function remember(query) {
    if (!query.trim()) {
      return;
    }
    var entries = readHistory().filter(function (entry) { return entry.query !== query; });
    entries.unshift({ query: query, at: new Date().toISOString() });
    writeHistory(entries.slice(0, HISTORY_SIZE));
  }

  function summary(query) {
    var lines = query.split("\n").map(function (text) { return text.trim(); }).filter(function (text) {
      return text && text.charAt(0) !== "#" && !/^PREFIX\s/i.test(text);
    });
    var text = lines.join(" ");
    return text.length > 110 ? text.slice(0, 109) + "…" : text;
  }

  function drawHistory(view) {
    var section = document.getElementById("history");
    var list = document.getElementById("history-list");
    if (!section || !list) {
      return;
    }
    var entries = readHistory();
    list.replaceChildren();
    entries.forEach(function (entry) {
      var item = document.createElement("li");
      var load = document.createElement("button");
      load.type = "button";
      load.className = "history-load";
      load.textContent = "Load";
      load.addEventListener("click", function () { setQuery(view, entry.query); });
      var text = document.createElement("code");
      text.textContent = summary(entry.query);
      var when = document.createElement("span");
      when.className = "muted";
      when.textContent = " " + entry.at.slice(0, 16).replace("T", " ");
      item.append(load, " ", text, when);
      list.append(item);
    });
    section.hidden = entries.length === 0;
  }

  // ------------------------------------------------------------------ the editor

  function setQuery(view, query) {
    view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: query } });
    view.dom.scrollIntoView({ block: "center" });
    view.focus();
  }

  function createEditor() {
    var view = new CM.EditorView({
      doc: textarea.value,
      extensions: [
        CM.lineNumbers(),
        CM.history(),
        CM.drawSelection(),
        CM.highlightActiveLine(),
        CM.bracketMatching(),
        CM.closeBrackets(),
        CM.highlightSelectionMatches(),
        CM.StreamLanguage.define(CM.sparql),
        CM.syntaxHighlighting(CM.classHighlighter),
        CM.autocompletion({ override: [complete] }),
        CM.keymap.of([{ key: "Mod-Enter", run: function () { form.requestSubmit(); return true; } }]
          .concat(CM.closeBracketsKeymap, CM.defaultKeymap, CM.searchKeymap, CM.historyKeymap, CM.completionKeymap)),
        CM.EditorView.lineWrapping,
        CM.EditorView.contentAttributes.of({ "aria-label": "SPARQL query", "aria-describedby": "editor-keys" })
      ]
    });
    textarea.hidden = true;
    textarea.after(view.dom);
    var label = document.querySelector('label[for="query"]');
    if (label) {
      label.addEventListener("click", function (event) { event.preventDefault(); view.focus(); });
    }
    document.getElementById("editor-keys").hidden = false;
    form.addEventListener("submit", function () {
      textarea.value = view.state.doc.toString();
      remember(textarea.value);
    });
    return view;
  }

  function offerExamples(view) {
    document.querySelectorAll("li.example").forEach(function (example) {
      var text = example.querySelector(".example-query");
      var actions = example.querySelector(".example-actions");
      if (!text || !actions) {
        return;
      }
      var load = document.createElement("button");
      load.type = "button";
      load.className = "load-example";
      load.textContent = "Load into the editor";
      load.addEventListener("click", function () { setQuery(view, text.textContent); });
      actions.append(" · ", load);
    });
  }

  // ------------------------------------------------------------------ sorting the answer

  function sortValue(cell) {
    return cell ? (cell.getAttribute("data-sort") || "") : "";
  }

  function compare(a, b) {
    if (a === b) {
      return 0;
    }
    if (a === "" || b === "") {
      return a === "" ? 1 : -1; // empty cells last
    }
    var x = Number(a);
    var y = Number(b);
    if (!isNaN(x) && !isNaN(y)) {
      return x - y;
    }
    return a.localeCompare(b, undefined, { numeric: true, sensitivity: "base" });
  }

  function makeSortable(table) {
    var headings = Array.prototype.slice.call(table.querySelectorAll("thead th"));
    var body = table.tBodies[0];
    headings.forEach(function (heading, column) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort";
      button.textContent = heading.textContent;
      heading.replaceChildren(button);
      button.addEventListener("click", function () {
        var ascending = heading.getAttribute("aria-sort") !== "ascending";
        headings.forEach(function (other) { other.removeAttribute("aria-sort"); });
        heading.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (r, s) {
          var order = compare(sortValue(r.cells[column]), sortValue(s.cells[column]));
          return ascending ? order : -order;
        });
        body.append.apply(body, rows);
      });
    });
  }

  // ------------------------------------------------------------------ start

  document.querySelectorAll("table.sortable").forEach(makeSortable);
  if (!CM || !form || !textarea) {
    return;
  }
  var view = createEditor();
  offerExamples(view);
  if (document.getElementById("answer") || document.querySelector("#main .error")) {
    remember(textarea.value); // the query this page ran (an example's link, or a shared link)
  }
  drawHistory(view);
  var clear = document.getElementById("history-clear");
  if (clear) {
    clear.addEventListener("click", function () { writeHistory([]); drawHistory(view); });
  }
  fetch("/api/sparql/vocabulary", { headers: { Accept: "application/json" } })
    .then(function (response) { return response.ok ? response.json() : null; })
    .then(function (found) { if (found) { vocabulary = found; } })
    .catch(function () { /* completion falls back to keywords */ });
}());
