/* The moderation desk's keyboard: j/k move, a approve, r reject, s spam, p spoiler, u undo,
 * o open, ? help.
 *
 * On the queue each decision is posted to the comment's decide URL with the status the
 * moderator saw; the answer is the new state, or 409 with the current state when someone
 * else decided first. Either way the row shows it, without reloading the page.
 */
(function () {
  "use strict";

  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function typing(event) {
    var el = event.target;
    return el && (el.tagName === "INPUT" || el.tagName === "TEXTAREA" || el.tagName === "SELECT" || el.isContentEditable);
  }

  function toggle(el, show) {
    if (el) { el.hidden = show === undefined ? !el.hidden : !show; }
  }

  function post(url, fields) {
    var body = new URLSearchParams();
    Object.keys(fields).forEach(function (key) { body.append(key, fields[key]); });
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), "Accept": "application/json" },
      body: body
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        return { status: response.status, data: data };
      });
    });
  }

  // --- undo ------------------------------------------------------------------

  // The last decision's offer from the server ({events, until, url}); "Undone" is one
  // key or one click until the offer runs out. The texts come from the page (#desk-undo).
  var undoBar = null;
  var offer = null;
  var offerTimer = null;

  function undoText(name) {
    return undoBar ? undoBar.dataset[name] || "" : "";
  }

  function closeOffer() {
    offer = null;
    if (offerTimer) { clearTimeout(offerTimer); offerTimer = null; }
    toggle(undoBar, false);
  }

  function offerUndo(newOffer, onDone) {
    if (!undoBar || !newOffer || !newOffer.events || !newOffer.events.length) { return; }
    // Counted from now when the server says how long (the clocks may differ).
    var left = newOffer.seconds ? newOffer.seconds * 1000 : Date.parse(newOffer.until) - Date.now();
    if (!(left > 0)) { return; }
    closeOffer();
    offer = { events: newOffer.events, url: newOffer.url, onDone: onDone };
    undoBar.querySelector(".desk-undo-message").textContent = undoText("offer");
    toggle(undoBar, true);
    offerTimer = setTimeout(closeOffer, left);
  }

  function undo() {
    if (!offer) { return false; }
    var taken = offer;
    closeOffer();
    var form = new URLSearchParams();
    taken.events.forEach(function (id) { form.append("event", id); });
    form.append("from", "queue");
    fetch(taken.url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), "Accept": "application/json" },
      body: form
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (response.status === 200) {
          if (taken.onDone) { taken.onDone(data.comments || []); }
        } else {
          var errors = data.errors || {};
          var text = Object.keys(errors).map(function (k) { return errors[k].join(" "); }).join(" ");
          window.alert(text || undoText("failed"));
        }
      });
    });
    return true;
  }

  function initUndo() {
    undoBar = document.getElementById("desk-undo");
    if (!undoBar) { return; }
    undoBar.querySelector("button").addEventListener("click", undo);
    // A bulk action's offer arrives with the page that reports it.
    var bulk = document.querySelector(".desk-undo-offer");
    if (bulk) {
      bulk.addEventListener("click", undo);
      offerUndo({ events: bulk.dataset.events.split(","), until: bulk.dataset.until, url: bulk.dataset.url },
        function () { window.location.reload(); });
    }
  }

  // --- the queue -------------------------------------------------------------

  function initQueue() {
    var table = document.getElementById("result_list");
    if (!table) { return; }
    var rows = Array.prototype.filter.call(table.querySelectorAll("tbody tr"), function (row) {
      return row.querySelector(".desk-status");
    });
    if (!rows.length) { return; }
    var help = document.getElementById("desk-help");
    var reasons = document.getElementById("desk-reasons");
    var reasonText = document.getElementById("desk-reason-text");
    // The reject reasons, in key order (1 to N), as the server drew them: the list lives
    // on the server only.
    var reasonCodes = reasons ? Array.prototype.map.call(
      reasons.querySelectorAll("li[data-reason]"), function (li) { return li.dataset.reason; }
    ) : [];
    var current = 0;
    var busy = false;

    function info(row) { return row.querySelector(".desk-status"); }

    function select(index) {
      if (index < 0 || index >= rows.length) { return; }
      rows[current].classList.remove("desk-current");
      current = index;
      rows[current].classList.add("desk-current");
      rows[current].scrollIntoView({ block: "nearest" });
    }

    function note(row, text, kind) {
      var cell = info(row).parentNode;
      var old = cell.querySelector(".desk-note");
      if (old) { old.remove(); }
      var span = document.createElement("span");
      span.className = "desk-note desk-note-" + kind;
      span.textContent = text; // never HTML: the text may quote a user name
      cell.appendChild(span);
    }

    function show(row, state) {
      var el = info(row);
      el.dataset.status = state.status;
      el.dataset.spoiler = state.is_spoiler ? "true" : "false";
      el.className = "desk-status desk-status-" + state.status;
      el.textContent = state.status_display;
      var badge = el.parentNode.querySelector(".desk-spoiler-badge");
      if (state.is_spoiler && !badge) {
        badge = document.createElement("span");
        badge.className = "desk-spoiler-badge";
        badge.textContent = "spoiler";
        el.after(" ", badge);
      } else if (!state.is_spoiler && badge) {
        badge.remove();
      }
      var seen = el.parentNode.querySelector("input[name='seen-" + state.id + "']");
      if (seen) { seen.value = state.status; }
    }

    function decide(fields, moveOn) {
      if (busy) { return; }
      var row = rows[current];
      var el = info(row);
      fields.expected_status = el.dataset.status;
      busy = true;
      row.classList.add("desk-busy");
      post(el.dataset.decide, fields).then(function (answer) {
        busy = false;
        row.classList.remove("desk-busy");
        if (answer.status === 200) {
          show(row, answer.data.comment);
          row.classList.add("desk-done");
          note(row, "✓ " + answer.data.comment.status_display, "ok");
          refreshFilters();
          offerUndo(answer.data.undo, function (states) {
            states.forEach(function (state) { show(row, state); });
            row.classList.remove("desk-done");
            note(row, "↶ " + undoText("done"), "ok");
            refreshFilters();
          });
          if (moveOn) { select(current + 1); }
        } else if (answer.status === 409) {
          var state = answer.data.comment;
          show(row, state);
          row.classList.add("desk-conflict");
          note(row, "Already decided by " + (state.decided_by || "someone else") + ": now " + state.status_display, "conflict");
        } else {
          var errors = answer.data.errors || {};
          var text = answer.data.error || Object.keys(errors).map(function (k) { return errors[k].join(" "); }).join(" ") || "Failed (" + answer.status + ")";
          note(row, text, "error");
        }
      }).catch(function () {
        busy = false;
        row.classList.remove("desk-busy");
        note(row, "Not sent: the server did not answer.", "error");
      });
    }

    // The filters with their counts as the server counts them now (the same query
    // string as the page), drawn without the rows.
    var filtersUrl = (document.getElementById("desk-keys") || {}).dataset;
    filtersUrl = filtersUrl ? filtersUrl.filters : "";
    function refreshFilters() {
      var filters = document.getElementById("changelist-filter");
      if (!filters || !filtersUrl) { return; }
      fetch(filtersUrl + window.location.search, { credentials: "same-origin" }).then(function (response) {
        return response.ok ? response.text() : null;
      }).then(function (html) {
        if (!html) { return; }
        var fresh = new DOMParser().parseFromString(html, "text/html").body.querySelectorAll("details");
        if (!fresh.length) { return; }
        filters.querySelectorAll("details").forEach(function (old) { old.remove(); });
        fresh.forEach(function (details) { filters.appendChild(details); });
      }).catch(function () { /* the counts stay as they were */ });
    }

    function askReason() {
      toggle(reasons, true);
      if (reasonText) { reasonText.value = ""; }
    }

    rows.forEach(function (row, index) {
      row.addEventListener("click", function (event) {
        if (event.target.tagName !== "A" && event.target.tagName !== "INPUT") { select(index); }
      });
    });
    rows[0].classList.add("desk-current");

    if (reasonText) {
      reasonText.addEventListener("keydown", function (event) {
        if (event.key === "Escape") { toggle(reasons, false); reasonText.blur(); }
        if (event.key === "Enter") {
          event.preventDefault();
          reasonText.blur(); // then press a number for the reason
        }
      });
    }
    if (reasons) {
      reasons.querySelectorAll("li[data-reason]").forEach(function (li) {
        li.addEventListener("click", function () {
          toggle(reasons, false);
          decide({ decision: "reject", reason_code: li.dataset.reason, reason_text: reasonText ? reasonText.value : "" }, true);
        });
      });
    }

    document.addEventListener("keydown", function (event) {
      if (event.ctrlKey || event.metaKey || event.altKey || typing(event)) { return; }
      if (reasons && !reasons.hidden) {
        var n = parseInt(event.key, 10);
        if (n >= 1 && n <= reasonCodes.length) {
          event.preventDefault();
          toggle(reasons, false);
          decide({ decision: "reject", reason_code: reasonCodes[n - 1], reason_text: reasonText ? reasonText.value : "" }, true);
        } else if (event.key === "Escape") {
          toggle(reasons, false);
        } else if (event.key === "Tab" && reasonText) {
          event.preventDefault();
          reasonText.focus();
        }
        return;
      }
      var el = info(rows[current]);
      switch (event.key) {
        case "j": select(current + 1); break;
        case "k": select(current - 1); break;
        case "a": decide({ decision: "approve" }, true); break;
        case "s": decide({ decision: "spam" }, true); break;
        case "p": decide({ decision: "spoiler", is_spoiler: el.dataset.spoiler === "true" ? "false" : "true" }, false); break;
        case "r": askReason(); break;
        case "u": if (!undo()) { return; } break;
        case "o": case "Enter": window.location.href = el.dataset.open; break;
        case "x": {
          var box = rows[current].querySelector("input.action-select");
          if (box) { box.click(); }
          break;
        }
        case "?": toggle(help); break;
        case "Escape": toggle(help, false); break;
        default: return;
      }
      event.preventDefault();
    });
  }

  // --- a comment's page ----------------------------------------------------

  function initCommentPage() {
    var page = document.querySelector(".desk-comment");
    if (!page) { return; }
    var decide = document.getElementById("desk-decide");
    var back = page.querySelector("a[href]");
    var reason = document.getElementById("desk-reason-code");
    if (reason) {
      // A select does not submit its form on Enter by itself.
      reason.addEventListener("keydown", function (event) {
        if (event.key === "Enter") {
          event.preventDefault();
          reason.form.querySelector("button[value=reject]").click();
        }
      });
    }
    document.addEventListener("keydown", function (event) {
      if (event.ctrlKey || event.metaKey || event.altKey || typing(event)) { return; }
      if (event.key === "b" && back) {
        window.location.href = back.href;
        return;
      }
      if (!decide) { return; }
      if (event.key === "r" && reason) {
        event.preventDefault();
        reason.focus();
        return;
      }
      var button = decide.querySelector("button[data-key='" + event.key + "']");
      if (button) {
        event.preventDefault();
        button.click();
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    initUndo();
    initQueue();
    initCommentPage();
  });
})();
