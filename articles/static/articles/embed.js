/* Newsroom comments on any page: one <div id="newsroom-comments" data-article="ID"> and
 * this script. Plain JavaScript, no build step, no third-party requests, no cookies: it
 * talks to the comments host's public API (CORS, credentials omitted) and takes every
 * word it shows from the server, in the article's language.
 *
 * Host attributes on the div: data-article (the article's id in the publisher's CMS),
 * data-site (a site's slug, only if several sites share the page's origin), data-sso (a
 * sign-in token signed by the publisher). window.NewsroomComments.signIn(token) and
 * .signOut() do the same from script. The article text for corrections is the element
 * marked data-article-body, else the text the service holds for the article.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  var root = document.getElementById("newsroom-comments");
  if (!script || !root || !window.fetch) return;
  var base = new URL(script.src, window.location.href).origin;
  var externalId = root.getAttribute("data-article") || "";
  var siteSlug = root.getAttribute("data-site") || "";
  var earlier = window.NewsroomComments || {};
  var ssoToken = root.getAttribute("data-sso") || earlier.sso || "";
  var isMac = /Mac|iPhone|iPad|iPod/.test(navigator.platform || navigator.userAgent);

  var config = null; // the server's answer for this article: texts, limits, endpoints
  var T = {}; // config.strings
  var nodes = {}; // comment id -> its <li>
  var form = null;
  var replyTo = null;

  /* --- small helpers ---------------------------------------------------------------- */
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      var value = attrs[name];
      if (value === null || value === undefined || value === false) return;
      if (name === "text") node.textContent = value;
      else if (name === "className") node.className = value;
      else node.setAttribute(name, value === true ? "" : value);
    });
    (children || []).forEach(function (child) { if (child) node.appendChild(child); });
    return node;
  }
  function $(selector, scope) { return (scope || root).querySelector(selector); }
  function fill(text, values) {
    return String(text || "").replace(/\{(\w+)\}/g, function (all, key) {
      return key in values ? values[key] : all;
    });
  }
  function shortcut() { return isMac ? T.shortcut_mac : T.shortcut; }
  function query(params) {
    var parts = Object.keys(params).filter(function (k) { return params[k]; }).map(function (k) {
      return encodeURIComponent(k) + "=" + encodeURIComponent(params[k]);
    });
    return parts.length ? "?" + parts.join("&") : "";
  }

  /* Every call leaves cookies behind (credentials: "omit"); the sign-in token travels
   * in a header on writes only, so reads stay simple requests. */
  function api(method, path, body) {
    var headers = { Accept: "application/json" };
    var options = { method: method, mode: "cors", credentials: "omit", headers: headers };
    if (body !== undefined) {
      headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
      if (ssoToken) headers.Authorization = "Bearer " + ssoToken;
    }
    var url = /^https?:/.test(path) ? path : base + path;
    return fetch(url, options).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        return { ok: response.ok, status: response.status, data: data };
      });
    });
  }

  /* A short notice, spoken to screen readers and shown for a while. */
  var noticeTimer = null;
  function notify(message) {
    var box = $(".nrc-notice");
    if (!box) return;
    box.textContent = message;
    box.hidden = false;
    clearTimeout(noticeTimer);
    noticeTimer = setTimeout(function () { box.hidden = true; box.textContent = ""; }, 8000);
  }

  /* --- the article: found, or made from this page where the site allows it ------------- */
  function canonicalUrl() {
    var link = document.querySelector('link[rel="canonical"]');
    return link ? link.href : window.location.href.split("#")[0];
  }
  function pageTitle() {
    var og = document.querySelector('meta[property="og:title"]');
    return (og && og.content) || document.title || "";
  }
  function hostParagraphs() {
    var body = document.querySelector("[data-article-body]");
    if (!body) return [];
    var ps = Array.prototype.slice.call(body.querySelectorAll("p"));
    return ps.length ? ps : [body];
  }

  /* data-state tells the host page (and its tests) where the embed is: loading, ready,
   * or unavailable (a page the site does not list gets no answer it may read). */
  /* The article text an unknown article is created with: the marked text, else the
   * page's own summary of itself. */
  function pageText() {
    var marked = hostParagraphs().map(function (p) { return p.textContent.trim(); }).join("\n\n");
    var meta = document.querySelector('meta[name="description"], meta[property="og:description"]');
    return marked || (meta && meta.content) || pageTitle();
  }

  function load() {
    root.setAttribute("aria-busy", "true");
    root.setAttribute("data-state", "loading");
    api("GET", "/api/v1/embed/articles/" + encodeURIComponent(externalId) + "/" + query({ site: siteSlug }))
      .then(function (answer) {
        if (answer.status === 404 && answer.data.can_create) {
          return api("POST", "/api/v1/embed/articles/" + query({ site: siteSlug }), {
            external_id: externalId,
            url: canonicalUrl(),
            title: pageTitle(),
            body: pageText(),
          });
        }
        return answer;
      })
      .then(function (answer) {
        root.removeAttribute("aria-busy");
        if (!answer.ok) {
          root.textContent = answer.data.detail || "";
          root.setAttribute("data-state", "unavailable");
          return;
        }
        config = answer.data;
        T = config.strings;
        render();
        root.setAttribute("data-state", "ready");
      })
      .catch(function () {
        root.removeAttribute("aria-busy");
        root.setAttribute("data-state", "unavailable");
      });
  }

  /* --- rendering -------------------------------------------------------------------- */
  function render() {
    root.textContent = "";
    root.classList.add("nrc");
    root.setAttribute("lang", config.language);
    var list = el("ol", { className: "nrc-list" });
    root.appendChild(el("h2", { className: "nrc-heading", text: fill(T.heading, { count: config.comment_count }) }));
    root.appendChild(el("p", { className: "nrc-notice", role: "status", "aria-live": "polite", hidden: true }));
    root.appendChild(list);
    root.appendChild(el("p", { className: "nrc-empty", text: T.no_comments, hidden: config.comment_count > 0 }));
    root.appendChild(el("p", { className: "nrc-more" }));
    root.appendChild(correctionLink());
    root.appendChild(formSection());
    root.appendChild(reportDialog());
    root.appendChild(correctionDialog());
    loadPage(config.endpoints.comments);
  }

  function loadPage(url) {
    var more = $(".nrc-more");
    more.textContent = "";
    api("GET", url).then(function (answer) {
      if (!answer.ok) { notify(answer.data.detail || T.error_server); return; }
      answer.data.results.forEach(function (comment) { place(commentItem(comment, false), comment.parent); });
      if (answer.data.next) {
        var button = el("button", { type: "button", className: "nrc-link", text: T.show_more });
        button.addEventListener("click", function () { loadPage(answer.data.next); });
        more.appendChild(button);
      }
    }, function () { notify(T.error_network); });
  }

  /* Replies go under their parent; one whose parent is not shown stays at the top. */
  function place(item, parentId) {
    var parent = parentId && nodes[parentId];
    if (!parent) { $(".nrc-list").appendChild(item); return; }
    var replies = parent.querySelector(":scope > .nrc-replies");
    if (!replies) {
      replies = el("ol", { className: "nrc-list nrc-replies" });
      parent.appendChild(replies);
    }
    replies.appendChild(item);
  }

  function commentItem(comment, pending) {
    var id = String(comment.id);
    var name = el("bdi", { text: comment.author_name });
    var author = el("span", { className: "nrc-author", id: "nrc-author-" + id }, [name]);
    if (comment.author_verified) {
      var mark = fill(T.verified, { site: config.site.name });
      author.appendChild(el("span", { className: "nrc-verified", title: mark, "aria-label": mark, role: "img", text: "✓" }));
    }
    var when = new Date(comment.created_at);
    var meta = el("header", { className: "nrc-meta" }, [
      author,
      el("time", { className: "nrc-time", datetime: comment.created_at, text: formatTime(when) }),
      comment.edited_at && !comment.is_deleted ? el("span", { className: "nrc-edited", text: T.edited }) : null,
      comment.is_editors_pick ? el("span", { className: "nrc-badge", text: T.editors_pick }) : null,
      pending ? el("span", { className: "nrc-badge", text: T.awaiting }) : null,
    ]);
    var text = el("div", { className: "nrc-body", dir: "auto", text: comment.body });
    var body = comment.is_spoiler
      ? el("details", { className: "nrc-spoiler" }, [el("summary", { text: T.spoiler_summary }), text])
      : text;
    // Deleted by its author: it keeps its place, so its replies still answer something.
    if (comment.is_deleted) body = el("p", { className: "nrc-note", text: T.deleted });
    var card = el("article", { className: "nrc-card", "aria-labelledby": "nrc-author-" + id }, [meta, body]);
    if (pending) {
      card.appendChild(el("p", { className: "nrc-note", text: T.awaiting_note }));
    } else if (!comment.is_deleted) {
      card.appendChild(actions(comment));
    }
    var item = el("li", { className: "nrc-comment" + (pending ? " nrc-comment--pending" : ""), id: "nrc-comment-" + id }, [card]);
    nodes[id] = item;
    return item;
  }

  function formatTime(when) {
    try {
      return when.toLocaleString(config.language, { dateStyle: "medium", timeStyle: "short" });
    } catch (error) {
      return when.toLocaleString();
    }
  }

  function actions(comment) {
    var footer = el("footer", { className: "nrc-actions" });
    var who = { name: comment.author_name };
    if (config.article.accepts_comments) {
      var reply = el("button", { type: "button", className: "nrc-link", "aria-label": fill(T.reply_to, who), text: T.reply });
      // Without a form (the site wants signed-in readers) the reader is told how to get one.
      reply.addEventListener("click", function () { if (form) setReply(comment); else notify(T.sign_in_required); });
      footer.appendChild(reply);
    }
    var report = el("button", { type: "button", className: "nrc-link", "aria-label": fill(T.report_comment_by, who), text: T.report });
    report.addEventListener("click", function () { openReport(comment, report); });
    footer.appendChild(report);
    return footer;
  }

  /* --- the comment form --------------------------------------------------------------- */
  function field(name, label, control, hint, key) {
    var id = "nrc-" + (key || name);
    control.id = id;
    control.name = name;
    var error = el("p", { className: "nrc-error", id: id + "-error", "data-error-for": name, hidden: true });
    control.setAttribute("aria-describedby", id + "-error" + (hint ? " " + hint.id : ""));
    return el("p", { className: "nrc-field", "data-field": name }, [el("label", { for: id, text: label }), control, hint, error]);
  }

  function signedInName() {
    // Only to greet the reader: the server checks the signature, this merely reads.
    try {
      var part = ssoToken.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
      var bytes = atob(part + "===".slice((part.length + 3) % 4));
      return JSON.parse(decodeURIComponent(escape(bytes))).name || "";
    } catch (error) {
      return "";
    }
  }

  function formSection() {
    var section = el("section", { className: "nrc-form-section", "aria-labelledby": "nrc-form-heading" });
    section.appendChild(el("h3", { id: "nrc-form-heading", text: T.form_heading }));
    form = null;
    if (!config.article.accepts_comments) {
      section.appendChild(el("p", { text: T.closed }));
      return section;
    }
    if (!ssoToken && !config.site.allow_anonymous) {
      section.appendChild(el("p", { className: "nrc-signin", text: T.sign_in_required }));
      return section;
    }
    form = el("form", { className: "nrc-form", novalidate: true });
    form.appendChild(el("div", { className: "nrc-errors", "data-form-errors": true, role: "alert", hidden: true }));
    if (ssoToken) {
      form.appendChild(el("p", { className: "nrc-as", text: fill(T.signed_in_as, { name: signedInName() }) }));
    } else {
      form.appendChild(field("author_name", T.name_label, el("input", { type: "text", maxlength: config.limits.name, autocomplete: "name", required: true })));
      form.appendChild(field("author_email", T.email_label, el("input", { type: "email", maxlength: 254, autocomplete: "email" })));
    }
    var replying = el("p", { className: "nrc-replying", hidden: true }, [el("span"), el("button", { type: "button", className: "nrc-link", text: T.cancel_reply })]);
    replying.lastChild.addEventListener("click", function () { setReply(null); form.elements.body.focus(); });
    form.appendChild(replying);
    var count = el("span", { className: "nrc-count", id: "nrc-body-count", "aria-live": "polite" });
    var body = el("textarea", { rows: 5, required: true });
    form.appendChild(field("body", T.body_label, body, count));
    body.addEventListener("input", function () { countChars(body, count); });
    countChars(body, count);
    var spoiler = el("input", { type: "checkbox", id: "nrc-spoiler", name: "spoiler" });
    form.appendChild(el("p", { className: "nrc-check" }, [spoiler, el("label", { for: "nrc-spoiler", text: T.spoiler_label })]));
    // A field people never see and form-filling robots do: the server drops what fills it.
    form.appendChild(el("input", { type: "text", name: "website", className: "nrc-trap", tabindex: "-1", autocomplete: "off", "aria-hidden": "true" }));
    form.appendChild(el("p", {}, [el("button", { type: "submit", className: "nrc-button", text: T.submit })]));
    form.addEventListener("submit", submitComment);
    section.appendChild(form);
    return section;
  }

  function countChars(field, counter) {
    var used = Array.from(field.value).length;
    counter.textContent = fill(T.char_count, { used: used, max: config.limits.body });
    counter.classList.toggle("nrc-count--over", used > config.limits.body);
  }

  function setReply(comment) {
    replyTo = comment;
    var note = $(".nrc-replying", form);
    note.firstChild.textContent = comment ? fill(T.replying_to, { name: comment.author_name }) + " " : "";
    note.hidden = !comment;
    if (comment) form.elements.body.focus();
  }

  function submitComment(event) {
    event.preventDefault();
    var f = form.elements;
    var data = { body: f.body.value, spoiler: f.spoiler.checked, parent: replyTo ? replyTo.id : null, website: f.website.value };
    if (f.author_name) {
      data.author_name = f.author_name.value;
      data.author_email = f.author_email.value;
    }
    send(form, "POST", config.endpoints.comments, data, function (comment) {
      if (comment.id !== null) {
        var mine = commentItem(comment, true);
        place(mine, comment.parent);
        $(".nrc-empty").hidden = true;
        mine.scrollIntoView({ block: "nearest" });
      }
      f.body.value = "";
      f.spoiler.checked = false;
      countChars(f.body, $(".nrc-count"));
      setReply(null);
      notify(T.posted_notice);
    });
  }

  /* Post a form's data; show the server's field errors beside the fields. */
  function send(target, method, path, data, onDone) {
    clearErrors(target);
    var button = target.querySelector('button[type="submit"]');
    button.disabled = true;
    api(method, path, data)
      .then(function (answer) {
        if (answer.ok) onDone(answer.data);
        else if (answer.status === 400) showErrors(target, answer.data);
        else showGeneral(target, answer.data.detail || (answer.status === 429 ? T.error_rate : T.error_server));
      }, function () { showGeneral(target, T.error_network); })
      .then(function () { button.disabled = false; });
  }
  function clearErrors(target) {
    target.querySelectorAll("[data-error-for]").forEach(function (slot) { slot.hidden = true; slot.textContent = ""; });
    target.querySelectorAll("[aria-invalid]").forEach(function (input) { input.removeAttribute("aria-invalid"); });
    var box = target.querySelector("[data-form-errors]");
    box.hidden = true;
    box.textContent = "";
  }
  function showGeneral(target, message) {
    var box = target.querySelector("[data-form-errors]");
    box.appendChild(el("p", { text: message }));
    box.hidden = false;
  }
  function showErrors(target, errors) {
    var first = null;
    Object.keys(errors).forEach(function (name) {
      var message = [].concat(errors[name]).join(" ");
      var slot = target.querySelector('[data-error-for="' + name + '"]');
      if (!slot) { showGeneral(target, message); return; }
      slot.textContent = message;
      slot.hidden = false;
      var input = target.querySelector('[data-field="' + name + '"] input, [data-field="' + name + '"] textarea');
      if (input) { input.setAttribute("aria-invalid", "true"); first = first || input; }
    });
    if (first) first.focus();
  }

  /* --- dialogs ------------------------------------------------------------------------ */
  function dialog(name, heading, content, doneText) {
    var box = el("dialog", { className: "nrc-dialog", id: "nrc-" + name + "-dialog", "aria-labelledby": "nrc-" + name + "-title" });
    var done = el("div", { className: "nrc-done", hidden: true }, [
      el("p", { className: "nrc-done-text", tabindex: "-1", text: doneText }),
      el("button", { type: "button", className: "nrc-button", "data-close": true, text: T.close }),
    ]);
    box.appendChild(el("h3", { id: "nrc-" + name + "-title", text: heading }));
    box.appendChild(content);
    box.appendChild(done);
    box.addEventListener("click", function (event) { if (event.target.closest("[data-close]")) box.close(); });
    box.addEventListener("close", function () {
      if (box.returnTo && box.returnTo.isConnected) box.returnTo.focus();
      box.returnTo = null;
    });
    return box;
  }
  function openDialog(box, returnTo) {
    box.returnTo = returnTo || document.activeElement;
    box.querySelector("form").hidden = false;
    box.querySelector(".nrc-done").hidden = true;
    clearErrors(box);
    box.showModal();
  }
  function finishDialog(box) {
    box.querySelector("form").hidden = true;
    box.querySelector(".nrc-done").hidden = false;
    box.querySelector(".nrc-done-text").focus();
  }
  function formButtons(submitText) {
    return el("p", { className: "nrc-buttons" }, [
      el("button", { type: "submit", className: "nrc-button", text: submitText }),
      el("button", { type: "button", className: "nrc-link", "data-close": true, text: T.cancel }),
    ]);
  }

  /* --- reporting a comment ------------------------------------------------------------ */
  var reporting = null;
  function reportDialog() {
    var f = el("form", { novalidate: true }, [el("div", { className: "nrc-errors", "data-form-errors": true, role: "alert", hidden: true })]);
    var reasons = el("fieldset", { "data-field": "reason" }, [el("legend", { text: T.report_reason })]);
    config.report_reasons.forEach(function (reason, index) {
      var id = "nrc-reason-" + reason.value;
      reasons.appendChild(el("p", { className: "nrc-check" }, [
        el("input", { type: "radio", name: "reason", id: id, value: reason.value, checked: index === 0 }),
        el("label", { for: id, text: reason.label }),
      ]));
    });
    reasons.appendChild(el("p", { className: "nrc-error", "data-error-for": "reason", hidden: true }));
    f.appendChild(reasons);
    f.appendChild(field("text", T.report_text_label, el("textarea", { rows: 3, maxlength: config.limits.report_text }), null, "report-text"));
    f.appendChild(formButtons(T.report_submit));
    var box = dialog("report", T.report_heading, f, T.report_done);
    f.addEventListener("submit", function (event) {
      event.preventDefault();
      var chosen = f.querySelector('input[name="reason"]:checked');
      var target = reporting;
      send(f, "POST", fill(config.endpoints.report, { id: target.comment.id }), { reason: chosen ? chosen.value : "", text: f.elements.text.value }, function () {
        target.button.textContent = T.reported;
        target.button.disabled = true;
        finishDialog(box);
      });
    });
    return box;
  }
  function openReport(comment, button) {
    var box = $("#nrc-report-dialog");
    reporting = { comment: comment, button: button };
    box.querySelector("form").reset();
    openDialog(box, button);
    box.querySelector('input[name="reason"]').focus();
  }

  /* --- corrections: select words in the article, press Ctrl+Enter (Cmd+Enter on a Mac) -- */
  function correctionLink() {
    var link = el("button", { type: "button", className: "nrc-link", text: T.correction_link });
    link.addEventListener("click", function () { openCorrection(null, link); });
    return el("p", { className: "nrc-correction" }, [link, document.createTextNode(" " + fill(T.correction_hint, { shortcut: shortcut() }))]);
  }

  function correctionDialog() {
    var f = el("form", { novalidate: true }, [el("div", { className: "nrc-errors", "data-form-errors": true, role: "alert", hidden: true })]);
    f.appendChild(el("div", { className: "nrc-quoted", hidden: true }, [el("p", { text: T.correction_quoted }), el("blockquote", { dir: "auto" })]));
    f.appendChild(el("p", { className: "nrc-error", "data-error-for": "quote", hidden: true }));
    f.appendChild(field("suggestion", T.suggestion_label, el("textarea", { rows: 4, maxlength: config.limits.suggestion, required: true })));
    f.appendChild(field("email", T.correction_email_label, el("input", { type: "email", maxlength: 254, autocomplete: "email" }), null, "correction-email"));
    f.appendChild(formButtons(T.correction_submit));
    var box = dialog("correction", T.correction_heading, f, T.correction_done);
    f.addEventListener("submit", function (event) {
      event.preventDefault();
      var found = box.found || {};
      send(f, "POST", config.endpoints.correction_requests, {
        quote: found.quote || "",
        paragraph_index: found.paragraphIndex === undefined ? null : found.paragraphIndex,
        offset: found.offset === undefined ? null : found.offset,
        suggestion: f.elements.suggestion.value,
        email: f.elements.email.value,
      }, function () { finishDialog(box); });
    });
    return box;
  }

  function openCorrection(found, returnTo) {
    var box = $("#nrc-correction-dialog");
    var f = box.querySelector("form");
    f.reset();
    box.found = found;
    var quoted = box.querySelector(".nrc-quoted");
    quoted.hidden = !found;
    quoted.querySelector("blockquote").textContent = found ? found.quote : "";
    openDialog(box, returnTo);
    f.elements.suggestion.focus();
  }

  function offsetIn(node, container, offset) {
    var range = document.createRange();
    range.selectNodeContents(node);
    range.setEnd(container, offset);
    return range.toString().length;
  }

  /* The selection as the server anchors it: words of one paragraph, with its index and
   * offset when the host marks its article; otherwise words the service's own copy of
   * the article holds, which the server then finds itself. */
  function articleSelection() {
    var selection = window.getSelection();
    var text = selection ? selection.toString().trim() : "";
    if (!text) return { error: "none" };
    var range = selection.getRangeAt(0);
    if (root.contains(range.commonAncestorContainer)) return { error: "outside" };
    var marked = hostParagraphs();
    if (!marked.length) {
      var inSynced = config.article.paragraphs.some(function (p) { return p.indexOf(text) !== -1; });
      return inSynced ? { quote: text.slice(0, config.limits.quote) } : { error: "outside" };
    }
    for (var i = 0; i < marked.length; i++) {
      var p = marked[i];
      if (!range.intersectsNode(p)) continue;
      var all = p.textContent;
      var start = p.contains(range.startContainer) ? offsetIn(p, range.startContainer, range.startOffset) : 0;
      var end = p.contains(range.endContainer) ? offsetIn(p, range.endContainer, range.endOffset) : all.length;
      while (start < end && /\s/.test(all.charAt(start))) start++;
      while (end > start && /\s/.test(all.charAt(end - 1))) end--;
      if (end <= start) continue;
      end = Math.min(end, start + config.limits.quote);
      return { quote: all.slice(start, end), paragraphIndex: i, offset: start };
    }
    return { error: "outside" };
  }

  document.addEventListener("keydown", function (event) {
    if (!config || event.key !== "Enter" || !(event.ctrlKey || event.metaKey) || event.isComposing) return;
    var target = event.target;
    // In a form field Ctrl+Enter belongs to the field, and an open dialog keeps its own keys.
    if (target.closest && target.closest("input, textarea, select, [contenteditable], dialog[open]")) return;
    var found = articleSelection();
    event.preventDefault();
    if (found.error === "none") notify(fill(T.select_first, { shortcut: shortcut() }));
    else if (found.error === "outside") notify(fill(T.outside, { shortcut: shortcut() }));
    else openCorrection(found, document.activeElement);
  });

  /* --- signing in from the host's script ------------------------------------------------ */
  function replaceForm() {
    if (!config) return;
    var old = $(".nrc-form-section");
    old.parentNode.replaceChild(formSection(), old);
  }
  window.NewsroomComments = {
    signIn: function (token) { ssoToken = String(token || ""); replaceForm(); },
    signOut: function () { ssoToken = ""; replaceForm(); },
  };

  if (!externalId) return;
  var sheet = el("link", { rel: "stylesheet", href: base + "/embed.css" });
  document.head.appendChild(sheet);
  load();
})();
