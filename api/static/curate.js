// The curator's page (/curate/themes): Confirm and Reject post a decision to
// /api/theme-decisions with the curator's token, then show who decided, when, and the theme's
// state in the row. The token stays in this tab's sessionStorage and goes only in the
// Authorization header. Every text written into the page is set as textContent (never HTML).
"use strict";

(function () {
  const KEY = "lrkg-curator-token";
  const field = document.getElementById("curator-token");
  const forget = document.getElementById("forget-token");
  if (!field) {
    return;
  }
  field.value = sessionStorage.getItem(KEY) || "";
  field.addEventListener("input", function () {
    sessionStorage.setItem(KEY, field.value.trim());
  });
  forget.addEventListener("click", function () {
    sessionStorage.removeItem(KEY);
    field.value = "";
  });

  function say(row, text, kind) {
    const state = row.querySelector(".state");
    state.textContent = text;
    state.className = "state " + kind;
  }

  async function decide(button) {
    const row = button.closest("tr");
    const token = field.value.trim();
    if (!token) {
      say(row, "Give your curator's token above first.", "refused");
      field.focus();
      return;
    }
    const buttons = row.querySelectorAll("button.decide");
    buttons.forEach(function (b) { b.disabled = true; });
    say(row, "Sending…", "pending");
    let answer;
    let body = {};
    try {
      answer = await fetch("/api/theme-decisions", {
        method: "POST",
        headers: {"Content-Type": "application/json", "Authorization": "Bearer " + token},
        body: JSON.stringify({finding: row.dataset.item, theme: row.dataset.theme, verdict: button.dataset.verdict}),
      });
      body = await answer.json();
    } catch (error) {
      say(row, "Not sent: " + error, "refused");
      buttons.forEach(function (b) { b.disabled = false; });
      return;
    }
    if (answer.status === 201) {
      const decision = body.decision;
      const state = decision.verdict === "rejected" ? "rejected: taken off the item" : "confirmed";
      say(row, state + " by " + decision.curator + ", " + decision.created, decision.verdict);
      row.classList.add("decided");
      return;
    }
    say(row, "Refused (" + answer.status + "): " + (body.error || answer.statusText), "refused");
    if (answer.status !== 409) {
      buttons.forEach(function (b) { b.disabled = false; });
    }
  }

  document.querySelectorAll("tr.proposal button.decide").forEach(function (button) {
    button.addEventListener("click", function () { decide(button); });
  });
})();
