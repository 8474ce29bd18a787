// Runs after the design system's module (module scripts run in document order).
// Every page works without this file; it only adds the design system's behaviour and a few kindnesses.

// The design system shows JavaScript-only hints (such as "Or press Esc" by "Leave this site") under .js-enabled.
document.body.classList.add("js-enabled");

// "Leave this site" listens for Escape on the whole document. People also press Escape to close a list or undo a
// slip while typing, and leaving then would throw away what they wrote: in a form field, Escape stays with the field.
// Stopped on <body>, after the field's own handlers have run and before the event reaches the document.
document.body.addEventListener("keyup", (event) => {
  if (event.key === "Escape" && event.target instanceof Element && event.target.closest("input, textarea, select")) {
    event.stopPropagation();
  }
});

window.DS.initAll();

// After a form comes back with problems, take the person straight to the summary of what to change.
const errorSummary = document.querySelector(".ds_error-summary");
if (errorSummary) {
  // The browser scrolls only when the summary is out of view, and then stops clear of the sticky "Leave this site"
  // bar (html's scroll-padding-top in portal.css). Scrolling when it is already in view would tuck the breadcrumbs
  // under the bar for no reason.
  errorSummary.focus();
}
