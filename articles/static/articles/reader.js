/* Kyiv Daily reader pages: small enhancements over server-rendered forms.
 * Everything here has a plain HTML fallback: the correction and report links lead to
 * their own pages, spoilers are <details>, "Reply" and "Next comments" are links.
 */
(function () {
  "use strict";

  var QUOTE_MAX = 1000;
  var isMac = /Mac|iPhone|iPad|iPod/.test(navigator.platform || navigator.userAgent);

  function $(selector, root) { return (root || document).querySelector(selector); }
  function $all(selector, root) { return Array.prototype.slice.call((root || document).querySelectorAll(selector)); }

  /* The words this script shows come from the page, translated by the server. */
  function readJSON(id, fallback) {
    var el = document.getElementById(id);
    if (!el) return fallback;
    try { return JSON.parse(el.textContent); } catch (e) { return fallback; }
  }
  var T = readJSON("reader-strings", {});
  function t(key, values) {
    var text = T[key] || key;
    Object.keys(values || {}).forEach(function (name) {
      text = text.split("%(" + name + ")s").join(String(values[name]));
    });
    return text;
  }

  /* --- a short spoken and shown notice ------------------------------------------- */
  var noticeTimer = null;
  function notify(message) {
    var el = $("#reader-notice");
    if (!el) return;
    el.hidden = false;
    el.textContent = message;
    clearTimeout(noticeTimer);
    noticeTimer = setTimeout(function () { el.hidden = true; el.textContent = ""; }, 7000);
  }

  /* --- the shortcut's name on a Mac ---------------------------------------------- */
  if (isMac) $all("[data-shortcut-key]").forEach(function (k) { k.textContent = "Cmd"; });

  /* --- live character count ------------------------------------------------------ */
  $all("[data-char-count-for]").forEach(function (counter) {
    var field = document.getElementById(counter.getAttribute("data-char-count-for"));
    var max = parseInt(counter.getAttribute("data-max"), 10);
    if (!field || !max) return;
    function update() {
      var used = Array.from(field.value).length;
      counter.textContent = t("charCount", { used: used, max: max });
      counter.classList.toggle("char-count--over", used > max);
    }
    counter.hidden = false;
    field.addEventListener("input", update);
    update();
  });

  /* --- replies: point the comment form at the comment ----------------------------- */
  var commentForm = $("#comment-form");
  function setReply(id, author) {
    if (!commentForm) return;
    commentForm.elements.parent.value = id || "";
    var note = $("[data-replying]", commentForm);
    $("[data-replying-name]", note).textContent = author || "";
    note.hidden = !id;
  }
  document.addEventListener("click", function (event) {
    var reply = event.target.closest("[data-reply-to]");
    if (reply && commentForm) {
      event.preventDefault();
      setReply(reply.getAttribute("data-reply-to"), reply.getAttribute("data-reply-author"));
      commentForm.elements.body.focus();
      return;
    }
    if (event.target.closest("[data-reply-cancel]")) {
      event.preventDefault();
      setReply("", "");
      commentForm.elements.body.focus();
    }
  });

  /* --- dialogs: open, close, give focus back ------------------------------------- */
  function resetDialog(dialog) {
    $("[data-dialog-body]", dialog).hidden = false;
    $("[data-dialog-done]", dialog).hidden = true;
    clearErrors($("form", dialog));
  }
  function openDialog(dialog, returnTo) {
    dialog.returnTo = returnTo || document.activeElement;
    resetDialog(dialog);
    dialog.showModal();
  }
  $all("dialog.dialog").forEach(function (dialog) {
    dialog.addEventListener("close", function () {
      var back = dialog.returnTo;
      dialog.returnTo = null;
      if (dialog.restoreRange) {
        var selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(dialog.restoreRange);
        dialog.restoreRange = null;
      }
      if (back && back.isConnected && typeof back.focus === "function") back.focus();
    });
    dialog.addEventListener("click", function (event) {
      if (event.target.closest("[data-dialog-close]")) dialog.close();
    });
  });

  function clearErrors(form) {
    $all("[data-error-for]", form).forEach(function (el) { el.hidden = true; el.textContent = ""; });
    $all("[aria-invalid]", form).forEach(function (el) { el.removeAttribute("aria-invalid"); });
    var box = $("[data-form-errors]", form);
    box.hidden = true;
    box.textContent = "";
  }
  function showGeneralError(form, message) {
    var box = $("[data-form-errors]", form);
    var p = document.createElement("p");
    p.textContent = message;
    box.appendChild(p);
    box.hidden = false;
  }
  function showErrors(form, errors) {
    var first = null;
    Object.keys(errors).forEach(function (name) {
      var message = errors[name].join(" ");
      var slot = $('[data-error-for="' + name + '"]', form);
      if (!slot) { showGeneralError(form, message); return; }
      slot.textContent = message;
      slot.hidden = false;
      var field = $('[data-field="' + name + '"] textarea, [data-field="' + name + '"] input', form);
      if (field) {
        field.setAttribute("aria-invalid", "true");
        first = first || field;
      }
    });
    if (first) first.focus();
  }

  /* Post a dialog's form with fetch(); the server answers JSON to Accept: application/json. */
  function postDialogForm(form, onDone) {
    clearErrors(form);
    var submit = $('button[type="submit"]', form);
    submit.disabled = true;
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { Accept: "application/json", "X-CSRFToken": form.elements.csrfmiddlewaretoken.value },
    })
      .then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (data) {
          if (response.ok) {
            var dialog = form.closest("dialog");
            $("[data-dialog-body]", dialog).hidden = true;
            $("[data-dialog-done]", dialog).hidden = false;
            var message = $("[data-done-message]", dialog);
            message.textContent = data.message || t("thanks");
            message.focus();
            if (onDone) onDone();
          } else if (response.status === 400 && data.errors) {
            showErrors(form, data.errors);
          } else if (response.status === 429) {
            showGeneralError(form, data.detail || t("tryLater"));
          } else {
            showGeneralError(form, t("serverError"));
          }
        });
      })
      .catch(function () {
        showGeneralError(form, t("offline"));
      })
      .then(function () { submit.disabled = false; });
  }

  /* --- corrections: select words, press Ctrl+Enter (Cmd+Enter on a Mac) ------------ */
  var correctionDialog = $("#correction-dialog");
  var paragraphSelector = ".article-body p[data-paragraph]";

  function textOffset(paragraph, container, offset) {
    var range = document.createRange();
    range.selectNodeContents(paragraph);
    range.setEnd(container, offset);
    return range.toString().length;
  }

  /* The selection as the server anchors it: the exact words in one paragraph, the
   * paragraph's index and the words' offset in it (the server takes about 60 characters
   * either side from its own copy). A selection over several paragraphs keeps the part
   * in the first. */
  function articleSelection() {
    var selection = window.getSelection();
    if (!selection || selection.rangeCount === 0 || selection.isCollapsed || !selection.toString().trim()) {
      return { error: "none" };
    }
    var range = selection.getRangeAt(0);
    var paragraphs = $all(paragraphSelector).filter(function (p) { return range.intersectsNode(p); });
    for (var i = 0; i < paragraphs.length; i++) {
      var p = paragraphs[i];
      var text = p.textContent;
      var start = p.contains(range.startContainer) ? textOffset(p, range.startContainer, range.startOffset) : 0;
      var end = p.contains(range.endContainer) ? textOffset(p, range.endContainer, range.endOffset) : text.length;
      while (start < end && /\s/.test(text.charAt(start))) start++;
      while (end > start && /\s/.test(text.charAt(end - 1))) end--;
      if (end <= start) continue;
      end = Math.min(end, start + QUOTE_MAX);
      return {
        range: range.cloneRange(),
        quote: text.slice(start, end),
        paragraphIndex: p.getAttribute("data-paragraph"),
        offset: start,
      };
    }
    return { error: "outside" };
  }

  function openCorrection(found, returnTo) {
    var form = $("form", correctionDialog);
    var quoted = !!(found && found.quote);
    form.elements.quote.value = quoted ? found.quote : "";
    form.elements.paragraph_index.value = quoted ? found.paragraphIndex : "";
    form.elements.offset.value = quoted ? found.offset : "";
    form.elements.suggestion.value = "";
    $("[data-quoted-text]", form).textContent = quoted ? found.quote : "";
    $("[data-quoted]", form).hidden = !quoted;
    $("[data-no-quote]", form).hidden = quoted;
    openDialog(correctionDialog, returnTo);
    correctionDialog.restoreRange = quoted ? found.range : null;
    form.elements.suggestion.focus();
  }

  if (correctionDialog) {
    var correctionForm = $("form", correctionDialog);
    $all("[data-correction-open]").forEach(function (link) {
      link.addEventListener("click", function (event) {
        event.preventDefault();
        openCorrection(null, link);
      });
    });
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Enter" || !(event.ctrlKey || event.metaKey) || event.isComposing) return;
      var target = event.target;
      // In a form field Ctrl+Enter belongs to the field, and an open dialog keeps its own keys.
      if (target.closest && target.closest("input, textarea, select, [contenteditable], dialog")) return;
      var found = articleSelection();
      var shortcut = isMac ? "Cmd + Enter" : "Ctrl + Enter";
      if (found.error === "none") {
        event.preventDefault();
        notify(t("selectWords", { shortcut: shortcut }));
        return;
      }
      if (found.error === "outside") {
        event.preventDefault();
        notify(t("outsideArticle", { shortcut: shortcut }));
        return;
      }
      event.preventDefault();
      openCorrection(found, document.activeElement);
    });
    correctionForm.addEventListener("submit", function (event) {
      event.preventDefault();
      postDialogForm(correctionForm, function () { correctionDialog.restoreRange = null; });
    });
  }

  /* --- reporting a comment ----------------------------------------------------------- */
  var reportDialog = $("#report-dialog");
  if (reportDialog) {
    var reportForm = $("form", reportDialog);
    var reportLink = null;
    document.addEventListener("click", function (event) {
      var link = event.target.closest("[data-report]");
      if (!link) return;
      event.preventDefault();
      if (link.getAttribute("aria-disabled") === "true") return;
      reportLink = link;
      reportForm.action = link.href;
      reportForm.reset();
      openDialog(reportDialog, link);
      var firstChoice = $('input[name="reason"]', reportForm);
      if (firstChoice) firstChoice.focus();
    });
    reportForm.addEventListener("submit", function (event) {
      event.preventDefault();
      postDialogForm(reportForm, function () {
        if (!reportLink) return;
        reportLink.textContent = t("reported");
        reportLink.setAttribute("aria-disabled", "true");
      });
    });
  }

  /* --- "Recommend": one per reader, counted once however often it is pressed ------------ */
  var recommended = readJSON("reader-recommended", []);
  var csrfInput = $('input[name="csrfmiddlewaretoken"]');
  function markRecommend(link, pressed, count) {
    link.setAttribute("role", "button");
    link.setAttribute("aria-pressed", pressed ? "true" : "false");
    $("[data-recommend-label]", link).textContent = pressed ? t("recommended") : t("recommend");
    if (count !== undefined) $("[data-recommend-count]", link).textContent = String(count);
  }
  function enhanceRecommend(root) {
    $all("[data-recommend]", root).forEach(function (link) {
      var id = parseInt(link.getAttribute("data-recommend"), 10);
      markRecommend(link, recommended.indexOf(id) !== -1);
    });
  }
  enhanceRecommend(document);
  document.addEventListener("click", function (event) {
    var link = event.target.closest("[data-recommend]");
    if (!link || !csrfInput) return;
    event.preventDefault();
    if (link.getAttribute("aria-busy") === "true") return;
    var pressed = link.getAttribute("aria-pressed") === "true";
    var body = new FormData();
    if (pressed) body.append("undo", "1");
    link.setAttribute("aria-busy", "true");
    fetch(link.href, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { Accept: "application/json", "X-CSRFToken": csrfInput.value },
    })
      .then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (data) {
          if (response.ok) {
            var id = parseInt(link.getAttribute("data-recommend"), 10);
            recommended = recommended.filter(function (other) { return other !== id; });
            if (data.recommended) recommended.push(id);
            markRecommend(link, data.recommended, data.recommend_count);
          } else if (response.status === 429) {
            notify(data.detail || t("tryLater"));
          } else {
            notify(t("serverError"));
          }
        });
      })
      .catch(function () { notify(t("offline")); })
      .then(function () { link.removeAttribute("aria-busy"); });
  });

  /* --- "Next comments" becomes "Show more comments" ------------------------------------ */
  function enhanceLoadMore(root) {
    $all("[data-load-more]", root).forEach(function (link) {
      link.textContent = t("showMore");
      var count = link.parentNode.querySelector("span");
      if (count) count.hidden = true;
    });
  }
  enhanceLoadMore(document);
  document.addEventListener("click", function (event) {
    var link = event.target.closest("[data-load-more]");
    if (!link) return;
    event.preventDefault();
    var url = new URL(link.href, window.location.href);
    url.searchParams.set("fragment", "comments");
    url.hash = "";
    link.setAttribute("aria-busy", "true");
    fetch(url.toString(), { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.text();
      })
      .then(function (html) {
        var holder = document.createElement("template");
        holder.innerHTML = html;
        var page = holder.content.querySelector(".comment-page");
        var list = document.querySelector(".comment-page > .comment-list");
        var firstNew = null;
        $all(".comment-page > .comment-list > li", holder.content).forEach(function (item) {
          if (document.getElementById(item.id)) return; // already shown: new comments shift pages
          list.appendChild(item);
          firstNew = firstNew || item;
        });
        var oldNav = link.closest("nav");
        var newNav = page.querySelector(".comment-pages");
        var prev = oldNav.querySelector('[rel="prev"]');
        if (newNav) {
          var newPrev = newNav.querySelector('[rel="prev"]');
          if (newPrev) newPrev.remove();
          if (prev) newNav.insertBefore(prev, newNav.firstChild);
          oldNav.replaceWith(newNav);
          enhanceLoadMore(newNav);
        } else {
          oldNav.remove();
        }
        enhanceRecommend(list);
        if (firstNew) {
          var card = firstNew.querySelector(".comment__card");
          card.setAttribute("tabindex", "-1");
          card.focus();
        }
      })
      .catch(function () {
        window.location.href = link.href; // fall back to the plain next page
      });
  });
})();
