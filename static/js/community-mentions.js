// Suggests members as someone types @ and two or more letters in a community post (a new topic, a reply, an edit).
// Without this file, typing @handle works exactly the same: the server links the handles it finds when the post is
// saved. The text box keeps its own role and gains the ARIA 1.2 combobox's attributes (aria-autocomplete,
// aria-controls, aria-activedescendant) over a listbox of suggestions, with a polite live region saying how many
// there are. Up and Down choose, Enter or Tab inserts the chosen handle, Escape closes the list. Names arrive as JSON
// and are only ever set as text.

const TOKEN = /(?:^|[^\w@/\[`])@([\p{L}\p{N}][\p{L}\p{N}-]{1,39})$/u;
const WAIT_MS = 150;

document.querySelectorAll("textarea[data-mention-suggest]").forEach((field, index) => {
  const endpoint = field.dataset.mentionSuggest;
  const listId = `${field.id || "post"}-mentions-${index}`;

  const list = document.createElement("ul");
  list.id = listId;
  list.className = "portal-mentions";
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", "Members you can mention");
  list.hidden = true;

  const status = document.createElement("div");
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  status.setAttribute("aria-live", "polite");

  const hintId = `${listId}-hint`;
  const hint = document.createElement("p");
  hint.id = hintId;
  hint.className = "visually-hidden";
  hint.textContent = "Type @ and the start of a member's name to see suggestions.";

  field.after(list, status, hint);
  field.setAttribute("aria-autocomplete", "list");
  field.setAttribute("aria-controls", listId);
  const describedBy = (field.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
  field.setAttribute("aria-describedby", [...describedBy, hintId].join(" "));

  let members = [];
  let active = -1;
  let token = null; // {start, end, text}: the "@letters" being completed
  let timer = 0;
  let request = null;

  const close = () => {
    members = [];
    active = -1;
    list.replaceChildren();
    list.hidden = true;
    field.removeAttribute("aria-activedescendant");
  };

  const show = (found) => {
    members = found;
    active = -1;
    list.replaceChildren(
      ...found.map((member, position) => {
        const option = document.createElement("li");
        option.id = `${listId}-option-${position}`;
        option.className = "portal-mentions__option";
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.textContent = `${member.name} (@${member.handle})`;
        // mousedown, not click: the text box keeps focus, so the list is still open when the choice lands.
        option.addEventListener("mousedown", (event) => {
          event.preventDefault();
          choose(position);
        });
        return option;
      }),
    );
    list.hidden = found.length === 0;
    field.removeAttribute("aria-activedescendant");
    if (found.length === 0) {
      status.textContent = "No members found with that name.";
    } else {
      const noun = found.length === 1 ? "member" : "members";
      status.textContent = `${found.length} ${noun} found. Use the up and down arrow keys to choose one, then Enter.`;
    }
  };

  const highlight = (position) => {
    active = position;
    list.querySelectorAll("[role=option]").forEach((option, n) => {
      option.setAttribute("aria-selected", String(n === position));
      option.classList.toggle("portal-mentions__option--active", n === position);
    });
    if (position < 0) {
      field.removeAttribute("aria-activedescendant");
      return;
    }
    const option = list.children[position];
    field.setAttribute("aria-activedescendant", option.id);
    option.scrollIntoView({ block: "nearest" });
  };

  const choose = (position) => {
    const member = members[position];
    if (!member || !token) {
      return;
    }
    const inserted = `@${member.handle} `;
    const value = field.value;
    field.value = value.slice(0, token.start) + inserted + value.slice(token.end);
    const caret = token.start + inserted.length;
    field.setSelectionRange(caret, caret);
    status.textContent = `Inserted @${member.handle}.`;
    token = null;
    close();
    field.dispatchEvent(new Event("input", { bubbles: true }));
  };

  const tokenAtCaret = () => {
    if (field.selectionStart !== field.selectionEnd) {
      return null;
    }
    const end = field.selectionStart;
    const match = TOKEN.exec(field.value.slice(0, end));
    if (!match) {
      return null;
    }
    return { start: end - match[1].length - 1, end, text: match[1] };
  };

  const lookUp = async (wanted) => {
    if (request) {
      request.abort();
    }
    request = new AbortController();
    try {
      const url = `${endpoint}?${new URLSearchParams({ q: wanted.text })}`;
      const response = await fetch(url, {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
        signal: request.signal,
      });
      if (!response.ok) {
        close();
        return;
      }
      const data = await response.json();
      // Only if the person is still typing the same handle.
      const now = tokenAtCaret();
      if (now && now.start === wanted.start && now.text === wanted.text && document.activeElement === field) {
        token = now;
        show(Array.isArray(data.members) ? data.members : []);
      }
    } catch (error) {
      if (error.name !== "AbortError") {
        close();
      }
    }
  };

  field.addEventListener("input", () => {
    window.clearTimeout(timer);
    token = tokenAtCaret();
    if (!token) {
      close();
      return;
    }
    const wanted = token;
    timer = window.setTimeout(() => lookUp(wanted), WAIT_MS);
  });

  field.addEventListener("keydown", (event) => {
    if (list.hidden || members.length === 0) {
      return;
    }
    if (event.key === "ArrowDown") {
      event.preventDefault();
      highlight(active + 1 >= members.length ? 0 : active + 1);
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      highlight(active <= 0 ? members.length - 1 : active - 1);
    } else if ((event.key === "Enter" || event.key === "Tab") && active >= 0) {
      event.preventDefault();
      choose(active);
    } else if (event.key === "Escape") {
      // The list closes; portal.js keeps this Escape from reaching "Leave this site", as for any key in a field.
      event.preventDefault();
      close();
      status.textContent = "Suggestions closed.";
    } else if (event.key === "Tab") {
      close();
    }
  });

  field.addEventListener("blur", close);
  field.addEventListener("click", () => {
    if (!tokenAtCaret()) {
      close();
    }
  });
});
