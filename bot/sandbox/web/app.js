/*
 * Maharatyar sandbox web chat. Plain JS, no build step, no network beyond this server.
 *
 * Stable hooks for Playwright (data-testid):
 *   flavour-switch            container of the messenger tabs; each tab: data-testid="flavour-<flavour>"
 *                             (flavour-telegram / flavour-bale), aria-selected="true" on the active one
 *   private-chat, private-messages   the beneficiary's pane and its message list
 *   staff-chat, staff-messages       the staff group pane and its message list
 *   bubble                    one message; data-chat="private|staff", data-message-id,
 *                             data-outgoing="true" for bot messages, class "deleted" once deleted
 *   bubble-text               the text/caption inside a bubble
 *   inline-button             a button under a bubble; data-callback-data holds its callback data
 *   reply-keyboard, reply-button     the current reply keyboard and its buttons
 *   share-contact             the reply button that shares the demo user's phone (request_contact)
 *   composer-input, send-button      the beneficiary's text box and send button
 *   attach-input, attach-kind        file input (uploads at once) and photo/document choice
 *   staff-input, staff-send-button   the caseworker's text box and send button
 *   toast                     the last callback answer text (answerCallbackQuery)
 *   status                    connection status line
 *
 * JSON API: see bot/sandbox/ui.py.
 */
"use strict";

const state = { bots: [], bot: null, version: 0, messages: new Map(), poll: null, generation: 0 };
const $ = (id) => document.getElementById(id);

async function api(path, options = {}) {
  const response = await fetch(path, options);
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

function post(path, body) {
  return api(path, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ bot: state.bot.id, ...body }),
  });
}

function setStatus(text) { $("status").textContent = text; }

async function start() {
  const info = await api("/ui/api/bots");
  state.bots = info.bots;
  $("user-name").textContent = `(${info.user.first_name})`;
  const wanted = new URLSearchParams(location.search).get("flavour");
  const tabs = $("flavour-switch");
  for (const bot of state.bots) {
    const tab = document.createElement("button");
    tab.type = "button";
    tab.textContent = bot.title;
    tab.dataset.testid = `flavour-${bot.flavour}`;
    tab.dataset.flavour = bot.flavour;
    tab.setAttribute("role", "tab");
    tab.addEventListener("click", () => selectBot(bot));
    tabs.appendChild(tab);
  }
  const first = state.bots.find((b) => b.flavour === wanted) || state.bots[0];
  if (first) selectBot(first);
  else setStatus("هیچ باتی تعریف نشده است");
}

function selectBot(bot) {
  state.bot = bot;
  state.version = 0;
  state.messages = new Map();
  state.generation += 1;
  for (const tab of $("flavour-switch").children) {
    tab.setAttribute("aria-selected", String(tab.dataset.flavour === bot.flavour));
  }
  $("private-messages").replaceChildren();
  $("staff-messages").replaceChildren();
  $("staff-pane").hidden = !bot.staff_group_id;
  renderReplyKeyboard(null);
  pollLoop(state.generation);
}

async function pollLoop(generation) {
  let wait = 0;
  while (generation === state.generation) {
    try {
      const data = await api(`/ui/api/poll?bot=${state.bot.id}&since=${state.version}&wait=${wait}`);
      if (generation !== state.generation) return;
      applyPoll(data);
      // The Latin @username sits in an isolate, else the RTL line shows it as "name@".
      setStatus(`${state.bot.title} · \u2068@${state.bot.username}\u2069`);
      wait = 20;
    } catch (error) {
      setStatus("اتصال قطع است؛ دوباره تلاش می‌کنیم…");
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
}

function applyPoll(data) {
  state.version = data.version;
  // Edits grow bubbles and a new reply keyboard shrinks the list: follow the bottom if the
  // reader was there, else the new question hides below the fold.
  const lists = [$("private-messages"), $("staff-messages")];
  const pinned = lists.map((list) => list.scrollHeight - list.scrollTop - list.clientHeight < 48);
  for (const message of data.messages) {
    state.messages.set(`${message.chat}:${message.id}`, message);
    renderMessage(message);
  }
  renderReplyKeyboard(data.reply_keyboard);
  lists.forEach((list, i) => { if (pinned[i]) list.scrollTop = list.scrollHeight; });
  if (data.toasts.length) showToast(data.toasts[data.toasts.length - 1]);
}

function renderMessage(message) {
  const list = $(message.chat === "staff" ? "staff-messages" : "private-messages");
  const domId = `msg-${message.chat}-${message.id}`;
  let bubble = document.getElementById(domId);
  const isNew = !bubble;
  if (isNew) {
    bubble = document.createElement("div");
    bubble.id = domId;
    bubble.dataset.testid = "bubble";
    bubble.dataset.chat = message.chat;
    bubble.dataset.messageId = String(message.id);
    bubble.dataset.outgoing = String(message.outgoing);
  }
  bubble.className = "bubble" + (message.outgoing ? "" : " mine") + (message.deleted ? " deleted" : "");
  bubble.replaceChildren();
  if (message.chat === "staff" || message.forwarded) {
    const sender = document.createElement("div");
    sender.className = "sender";
    sender.textContent = (message.forwarded ? "↪ " : "") + message.from;
    bubble.appendChild(sender);
  }
  if (message.photo) {
    const img = document.createElement("img");
    img.alt = "عکس";
    img.src = `/ui/api/file?bot=${state.bot.id}&file_id=${encodeURIComponent(message.photo)}`;
    bubble.appendChild(img);
  }
  if (message.document) bubble.appendChild(line(`📄 ${message.document.name || "سند"}`));
  if (message.contact) bubble.appendChild(line(`📱 ${message.contact}`));
  if (message.sticker) bubble.appendChild(line("🖼 استیکر"));
  if (message.voice) bubble.appendChild(line("🎤 پیام صوتی"));
  const text = message.text ?? message.caption;
  if (text) {
    const body = line(text);
    body.dataset.testid = "bubble-text";
    bubble.appendChild(body);
  }
  if (message.inline && !message.deleted) bubble.appendChild(inlineKeyboard(message));
  const meta = document.createElement("div");
  meta.className = "meta";
  meta.textContent = [message.edited ? "ویرایش‌شده" : "", message.deleted ? "حذف‌شده" : "",
    new Date(message.date * 1000).toLocaleTimeString("fa-IR", { hour: "2-digit", minute: "2-digit" }),
  ].filter(Boolean).join(" · ");
  bubble.appendChild(meta);
  if (isNew) {
    list.appendChild(bubble);
    list.scrollTop = list.scrollHeight;
  }
}

function line(text) {
  const div = document.createElement("div");
  div.textContent = text;
  div.dir = "auto";
  return div;
}

function inlineKeyboard(message) {
  const box = document.createElement("div");
  box.className = "inline-keyboard";
  for (const row of message.inline) {
    const rowDiv = document.createElement("div");
    rowDiv.className = "inline-row";
    for (const button of row) {
      const el = document.createElement("button");
      el.type = "button";
      el.textContent = button.text;
      el.dataset.testid = "inline-button";
      if (button.callback_data !== undefined) {
        el.dataset.callbackData = button.callback_data;
        el.addEventListener("click", () =>
          post("/ui/api/press", { chat: message.chat, message_id: message.id, data: button.callback_data })
            .catch(report));
      } else if (button.url) {
        el.addEventListener("click", () => window.open(button.url, "_blank"));
      }
      rowDiv.appendChild(el);
    }
    box.appendChild(rowDiv);
  }
  return box;
}

function renderReplyKeyboard(markup) {
  const box = $("reply-keyboard");
  const signature = JSON.stringify(markup);
  if (box.dataset.signature === signature) return;
  box.dataset.signature = signature;
  box.replaceChildren();
  if (!markup || !markup.keyboard) return;
  for (const row of markup.keyboard) {
    const rowDiv = document.createElement("div");
    rowDiv.className = "reply-row";
    for (const raw of row) {
      const button = typeof raw === "string" ? { text: raw } : raw;
      const el = document.createElement("button");
      el.type = "button";
      el.textContent = button.text;
      if (button.request_contact) {
        el.className = "contact";
        el.dataset.testid = "share-contact";
        el.addEventListener("click", () => post("/ui/api/contact", {}).catch(report));
      } else {
        el.dataset.testid = "reply-button";
        el.addEventListener("click", () => sendText("private", button.text));
      }
      rowDiv.appendChild(el);
    }
    box.appendChild(rowDiv);
  }
}

function sendText(chat, text) {
  if (!text.trim()) return Promise.resolve();
  return post("/ui/api/send", { chat, text }).catch(report);
}

let toastTimer = null;
function showToast(text) {
  const toast = $("toast");
  toast.textContent = text;
  toast.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { toast.hidden = true; }, 4000);
}

function report(error) { setStatus(String(error.message || error)); }

$("private-composer").addEventListener("submit", (event) => {
  event.preventDefault();
  const input = $("composer-input");
  sendText("private", input.value);
  input.value = "";
});

$("staff-composer").addEventListener("submit", (event) => {
  event.preventDefault();
  const input = $("staff-input");
  sendText("staff", input.value);
  input.value = "";
});

$("attach-input").addEventListener("change", async (event) => {
  const file = event.target.files[0];
  if (!file) return;
  const form = new FormData();
  form.append("bot", state.bot.id);
  form.append("chat", "private");
  form.append("kind", $("attach-kind").value);
  form.append("file", file, file.name);
  const caption = $("composer-input").value.trim();
  if (caption) form.append("caption", caption);
  $("composer-input").value = "";
  event.target.value = "";
  await api("/ui/api/upload", { method: "POST", body: form }).catch(report);
});

start().catch(report);
