// Runs after the design system's module (module scripts run in document order).
// Every page works without this file; it only adds the design system's behaviour.
// The design system shows JavaScript-only hints (such as "Or press Esc" by "Leave this site") under .js-enabled.
document.body.classList.add("js-enabled");
window.DS.initAll();
