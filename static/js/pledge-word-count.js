// A word counter for text areas with a word limit (the pledge statement, progress updates). The design system's
// character count only counts characters, so this shows words in the same markup and wording. The server counts
// the same way (runs of characters between spaces) and always has the last word; without JavaScript the limit is in
// the hint and the server says if it is passed.
document.querySelectorAll("[data-word-limit]").forEach((wrapper, index) => {
  const input = wrapper.querySelector("textarea, input");
  const limit = Number(wrapper.dataset.wordLimit);
  if (!input || !limit) {
    return;
  }
  const startedInvalid = input.getAttribute("aria-invalid") === "true";
  const visible = document.createElement("div");
  visible.className = "ds_input__message ds_hint-text";
  visible.setAttribute("aria-hidden", "true");
  const spoken = document.createElement("div");
  spoken.className = "visually-hidden";
  spoken.id = `word-count-${index}`;
  wrapper.append(visible, spoken);
  const describedBy = (input.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
  input.setAttribute("aria-describedby", [...describedBy, spoken.id].join(" "));

  let timer = 0;
  const message = () => {
    const text = input.value.trim();
    const left = limit - (text ? text.split(/\s+/).length : 0);
    const noun = Math.abs(left) === 1 ? "word" : "words";
    return { left, text: left >= 0 ? `You have ${left} ${noun} remaining` : `You have ${-left} ${noun} too many` };
  };
  const update = (announce) => {
    const { left, text } = message();
    visible.textContent = text;
    visible.classList.toggle("ds_input__message--error", left < 0);
    if (!startedInvalid) {
      input.classList.toggle("ds_input--error", left < 0);
      input.setAttribute("aria-invalid", String(left < 0));
    }
    if (announce) {
      // Wait until typing pauses, so a screen reader reads what was typed before the count.
      spoken.setAttribute("aria-live", "polite");
      window.clearTimeout(timer);
      timer = window.setTimeout(() => {
        spoken.textContent = text;
      }, 1000);
    } else {
      spoken.textContent = text;
    }
  };
  input.addEventListener("input", () => update(true));
  update(false);
});
