// Runs after the design system's module (module scripts run in document order).
// Every page works without this file; it only adds the design system's behaviour.
window.DS.initAll();
