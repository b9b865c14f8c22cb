// Review workspace: keyboard shortcuts, card <-> highlight linking, creating from a selection.
// Every action here also has a visible button; this file only makes them faster.
(function () {
  "use strict";

  var currentId = null;

  function cards() {
    return Array.prototype.slice.call(document.querySelectorAll(".statement-card[data-statement]"));
  }

  function cardById(id) {
    return document.getElementById("statement-" + id);
  }

  function marksFor(id) {
    return Array.prototype.slice.call(document.querySelectorAll("mark.ev")).filter(function (mark) {
      return (mark.dataset.statements || "").split(" ").indexOf(String(id)) !== -1;
    });
  }

  function setCurrent(card, scroll) {
    document.querySelectorAll(".statement-card.current").forEach(function (el) { el.classList.remove("current"); });
    document.querySelectorAll("mark.ev.active").forEach(function (el) { el.classList.remove("active"); });
    if (!card) { currentId = null; return; }
    currentId = card.dataset.statement || card.id.replace("statement-", "");
    card.classList.add("current");
    var target = document.getElementById("add-evidence-statement");
    if (target) { target.value = currentId; }
    var marks = marksFor(currentId);
    marks.forEach(function (mark) { mark.classList.add("active"); });
    if (scroll) {
      reveal(card);
      if (marks.length) { marks[0].scrollIntoView({ block: "nearest" }); }
    }
  }

  // The toolbar sticks to the top of the window: a card is in view only below it. Scroll
  // just enough that the whole card (or, when taller than the room, its top) shows there.
  function reveal(card) {
    var bar = document.querySelector(".review-toolbar");
    var top = bar ? bar.getBoundingClientRect().bottom : 0;
    var gap = 8;
    var box = card.getBoundingClientRect();
    if (box.top < top + gap) {
      window.scrollBy(0, box.top - top - gap);
    } else if (box.bottom > window.innerHeight - gap) {
      window.scrollBy(0, Math.min(box.bottom - window.innerHeight + gap, box.top - top - gap));
    }
  }

  // Put the focus (and the current mark) on a card without scrolling past the toolbar.
  // The browser may still move the focus to the page once it notices that the focused
  // element it had was removed (its focus fix-up, at the next rendering): check after it.
  function focusCard(card) {
    setCurrent(card, true);
    card.focus({ preventScroll: true });
    window.requestAnimationFrame(function () {
      window.setTimeout(function () {
        var active = document.activeElement;
        if (card.isConnected && (!active || active === document.body)) { card.focus({ preventScroll: true }); }
      }, 0);
    });
  }

  // Remember when a swap replaces the element holding the focus (a card's edit form).
  var refocus = null;
  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    var active = document.activeElement;
    if (target && active && active !== document.body && target.contains(active) && /^statement-\d+$/.test(target.id)) {
      refocus = target.id;
    }
  });

  function current() {
    return currentId ? cardById(currentId) : null;
  }

  function move(step) {
    var list = cards();
    if (!list.length) { return; }
    var index = list.indexOf(current());
    var next = index === -1 ? (step > 0 ? 0 : list.length - 1) : Math.min(Math.max(index + step, 0), list.length - 1);
    focusCard(list[next]);
  }

  function nextDraftAfter(card) {
    var list = cards();
    var index = list.indexOf(card);
    for (var i = index + 1; i < list.length; i++) {
      if (list[i].classList.contains("status-draft")) { return list[i]; }
    }
    return null;
  }

  function click(selector) {
    var card = current();
    var target = card && card.querySelector(selector);
    if (target && !target.disabled) { target.click(); return true; }
    return false;
  }

  function typing(event) {
    var el = event.target;
    return el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) { return; }
    if (event.key === "Escape") {
      document.querySelectorAll("details[open]").forEach(function (d) { d.open = false; });
      var cancel = document.querySelector(".statement-card.editing [data-action=cancel]");
      var editing = cancel && cancel.closest("form.statement-card.editing");
      // Through htmx itself: a form swapped in a moment ago may not be bound yet, and a
      // plain click would then leave the page.
      if (editing && window.htmx) {
        window.htmx.ajax("GET", cancel.getAttribute("hx-get"), { target: "#" + editing.id, swap: "outerHTML" });
      } else if (cancel) { cancel.click(); }
      return;
    }
    // Shift+Enter in an edit form (not in a text area): save and approve in one step.
    if (event.key === "Enter" && event.shiftKey && event.target.tagName !== "TEXTAREA") {
      var form = event.target.closest && event.target.closest("form.statement-card.editing");
      var both = form && form.querySelector("[data-action=save-approve]");
      if (both) { event.preventDefault(); both.click(); return; }
    }
    if (typing(event)) { return; }
    var handled = true;
    switch (event.key) {
      case "j": move(1); break;
      case "k": move(-1); break;
      case "a": handled = click("[data-action=approve]"); break;
      case "e": handled = click("[data-action=edit]"); break;
      case "p": {
        var field = current() && current().querySelector("[data-field=proposal]");
        if (field) { field.focus(); field.select(); } else { handled = false; }
        break;
      }
      case "R": handled = click("details.reject button[type=submit]"); break;
      case "v": {
        var form = document.getElementById("add-evidence");
        var text = document.getElementById("add-evidence-text");
        if (form && text && text.value && currentId) {
          document.getElementById("add-evidence-statement").value = currentId;
          form.requestSubmit();
        } else { handled = false; }
        break;
      }
      case "r": {
        var card = current();
        var details = card && card.querySelector("details.reject");
        if (details) {
          details.open = true;
          var input = details.querySelector("input[name=reason]");
          if (input) { input.focus(); }
        } else { handled = false; }
        break;
      }
      case "m":
      case "s": {
        var link = current() && current().querySelector("a[href*='/statements/']:not([data-action])");
        var section = event.key === "s" ? "#split" : "#merge";
        if (link) { window.location.href = link.getAttribute("href") + section; } else { handled = false; }
        break;
      }
      case "c": {
        var create = document.querySelector("[data-action=new-from-selection]");
        var selected = document.getElementById("selection-text");
        if (create && selected && selected.value.trim()) { create.click(); } else { handled = false; }
        break;
      }
      case "u": {
        var undo = document.querySelector("[data-action=undo]");
        if (undo) { undo.click(); } else { handled = false; }
        break;
      }
      case "n": {
        var nextArticle = document.getElementById("next-article");
        if (nextArticle) { nextArticle.click(); } else { handled = false; }
        break;
      }
      case "?": {
        var help = document.getElementById("keys-help");
        if (help) { help.open = !help.open; } else { handled = false; }
        break;
      }
      default: handled = false;
    }
    if (handled) { event.preventDefault(); }
  });

  // Focusing or clicking a card marks its evidence; clicking a highlight selects its card.
  document.addEventListener("focusin", function (event) {
    var card = event.target.closest && event.target.closest(".statement-card[data-statement]");
    if (card && card.dataset.statement !== currentId) { setCurrent(card, false); }
  });
  document.addEventListener("click", function (event) {
    var mark = event.target.closest && event.target.closest("mark.ev");
    if (!mark) { return; }
    var id = (mark.dataset.statements || "").split(" ")[0];
    var card = id && cardById(id);
    if (card) { focusCard(card); }
  });

  // Text selected in the article fills the "new statement from selection" form.
  document.addEventListener("mouseup", function () {
    var body = document.getElementById("article-body");
    var field = document.getElementById("selection-text");
    var selection = window.getSelection();
    if (!body || !field || !selection || selection.isCollapsed) { return; }
    var range = selection.getRangeAt(0);
    if (!body.contains(range.startContainer)) { return; }
    var holder = range.startContainer.nodeType === 3 ? range.startContainer.parentElement : range.startContainer;
    var base = holder && holder.dataset ? parseInt(holder.dataset.start || "", 10) : NaN;
    field.value = selection.toString();
    var start = document.getElementById("selection-start");
    if (start) { start.value = isNaN(base) ? "" : String(base + range.startOffset); }
    var added = document.getElementById("add-evidence-text");
    var addedStart = document.getElementById("add-evidence-start");
    if (added) { added.value = field.value; }
    if (addedStart && start) { addedStart.value = start.value; }
  });

  // The server answers a stale save with 409 and a form error with 422, both with the
  // fragment to show: swap them in like a success.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    if (status === 409 || status === 422) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  // After a decision the workspace moves on to the next draft; after an edit form opens,
  // its first field gets the focus.
  var pendingAdvance = null;
  var approvedFromForm = null;
  document.addEventListener("click", function (event) {
    var both = event.target.closest && event.target.closest("[data-action=save-approve]");
    var form = both && both.closest("form.statement-card.editing");
    if (form) { approvedFromForm = form.id; }
  }, true);
  document.addEventListener("htmx:beforeRequest", function (event) {
    var card = event.target.closest && event.target.closest(".statement-card[data-statement]");
    var verb = (event.detail.requestConfig && event.detail.requestConfig.verb) || "";
    // Other requests (the progress refresh that a decision triggers) leave it alone.
    if (card && verb.toLowerCase() === "post" && card === current()) { pendingAdvance = card.dataset.statement; }
  });
  // The new-statement card: opened or filled in, the keyboard is on its first field; saved,
  // on the new statement's card.
  document.addEventListener("htmx:afterSwap", function (event) {
    if (!event.detail.target || event.detail.target.id !== "new-statement-card") { return; }
    var focusable = document.querySelector(
      "#new-statement-card .statement-card, #new-statement-card select, #new-statement-card input:not([type=hidden])");
    if (focusable) { focusable.focus(); }
  });
  // A proposal's name typed, its clauses came in (or the new-proposal form opened): the
  // keyboard goes on to them rather than back to the top of the page.
  document.addEventListener("htmx:afterSwap", function (event) {
    var region = event.detail.target;
    if (!region || !/^proposal-\d+$/.test(region.id)) { return; }
    var fresh = document.getElementById(region.id);
    var active = document.activeElement;
    if (fresh && (!active || active === document.body || !active.isConnected)) {
      var next = fresh.querySelector("input[name=clauses], [data-action=save-proposal], input[name=name]");
      if (next) { next.focus(); }
    }
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    var editing = document.querySelector("form.statement-card.editing");
    if (editing && event.target === editing) {
      var first = editing.querySelector("select, input:not([type=hidden]), textarea");
      if (first) { first.focus(); }
    }
  });
  // Settling comes after htmx has put the focus back on the swapped card: move on from there.
  document.addEventListener("htmx:afterSettle", function (event) {
    // Out-of-band swaps (the undo bar) settle too: wait for the card's own swap.
    if (!pendingAdvance || event.target.id !== "statement-" + pendingAdvance) {
      var swapped = event.target;
      // The focus was inside what this swap replaced (an edit form), or is nowhere.
      var active = document.activeElement;
      var lost = refocus === swapped.id || !active || active === document.body || !active.isConnected;
      if (refocus === swapped.id) { refocus = null; }
      if (swapped.matches && swapped.matches(".statement-card[data-statement]") && lost) {
        // A saved or cancelled edit form became the card again: the focus goes back to it,
        // or after "save and approve" on to the next draft, as after a decision.
        var advance = approvedFromForm === swapped.id && swapped.classList.contains("status-approved");
        approvedFromForm = null;
        focusCard(advance ? (nextDraftAfter(swapped) || swapped) : swapped);
        return;
      }
      if (currentId && cardById(currentId) && !cardById(currentId).classList.contains("current")) {
        setCurrent(cardById(currentId), false);
      }
      return;
    }
    var card = cardById(pendingAdvance);
    pendingAdvance = null;
    if (card && card.dataset.statement && !card.classList.contains("status-draft") && !card.querySelector(".conflict")) {
      focusCard(nextDraftAfter(card) || card);
    } else if (card) {
      focusCard(card);
    }
  });

  // Back from the statement page (a merge, a split, the speaker) the page opens at
  // #statement-N: that card has the focus, below the toolbar.
  // The browser's own jump to #statement-N may come after: the cards' scroll margin is
  // the toolbar's height, and the card is revealed again once the page has loaded.
  function measureToolbar() {
    var bar = document.querySelector(".review-toolbar");
    if (bar) {
      document.documentElement.style.setProperty("--toolbar-height", bar.getBoundingClientRect().height + "px");
    }
  }
  function hashCard() {
    var hash = window.location.hash.match(/^#statement-(\d+)$/);
    return hash ? cardById(hash[1]) : null;
  }
  // On a statement's page, #split puts the keyboard on the split form's first choice.
  function focusSplit() {
    var choice = window.location.hash === "#split" && document.querySelector("#split-form select");
    if (choice) { choice.focus(); }
  }
  window.addEventListener("hashchange", focusSplit);
  document.addEventListener("DOMContentLoaded", function () {
    focusSplit();
    measureToolbar();
    var target = hashCard();
    var first = target || document.querySelector(".statement-card.status-draft");
    if (target) { focusCard(target); } else if (first) { setCurrent(first, false); }
  });
  window.addEventListener("load", function () {
    focusSplit();  // again: the browser's own jump to #split may have taken the focus
    var target = hashCard();
    if (target && document.activeElement === target) { reveal(target); }
  });
  window.addEventListener("resize", measureToolbar);
})();
