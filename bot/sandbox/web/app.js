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
 *   reply-to                  staff pane: on the bot's messages, answers that message (a reply,
 *                             as caseworkers answer a handed-off conversation in a plain group);
 *                             in a topic it also picks that topic
 *   staff-replying, staff-replying-cancel   the message being answered, and dropping the reply
 *   staff-topic               forum staff groups only: the topic the caseworker posts into;
 *                             bubbles of a topic carry data-thread and a "# name" line
 *   toast, staff-toast        the last callback answer (answerCallbackQuery) of a press in that pane
 *   empty-hint, start-button  shown while the private chat is empty; the button sends /start
 *   staff-intro               what the staff pane is; staff-try-queue / staff-try-help send those
 *   pane-tabs                 narrow screens only: pane-tab-private / pane-tab-staff switch panes,
 *                             private-unread / staff-unread count bot messages the hidden pane got
 *   status                    connection status line
 *
 * JSON API: see bot/sandbox/ui.py.
 */
"use strict";

const state = {
  bots: [], bot: null, version: 0, messages: new Map(), poll: null, generation: 0,
  unread: { private: 0, staff: 0 }, replyTo: null,
};
const PANES = { private: "private-pane", staff: "staff-pane" };
const TOASTS = { private: "toast", staff: "staff-toast" };
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
  $("staff-name").textContent = `(${[info.staff.first_name, info.staff.last_name].filter(Boolean).join(" ")})`;
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
  dropReply();  // its message belongs to the other bot's group
  $("staff-pane").hidden = !bot.staff_group_id;
  $("pane-tab-staff").hidden = !bot.staff_group_id;
  if (!bot.staff_group_id) selectPane("private");
  $("empty-hint").hidden = true;
  for (const chat of Object.keys(state.unread)) setUnread(chat, 0);
  for (const id of Object.values(TOASTS)) $(id).hidden = true;
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
  // The first answer after loading (or switching messenger) is history, not news.
  const catchingUp = state.version === 0;
  state.version = data.version;
  // Edits grow bubbles and a new reply keyboard shrinks the list: follow the bottom if the
  // reader was there, else the new question hides below the fold.
  const lists = [$("private-messages"), $("staff-messages")];
  const pinned = lists.map((list) => list.scrollHeight - list.scrollTop - list.clientHeight < 48);
  for (const message of data.messages) {
    const key = `${message.chat}:${message.id}`;
    const isNew = !state.messages.has(key);
    state.messages.set(key, message);
    renderMessage(message);
    if (isNew && !catchingUp && message.outgoing && !paneVisible(message.chat)) {
      setUnread(message.chat, state.unread[message.chat] + 1);
    }
  }
  renderReplyKeyboard(data.reply_keyboard);
  renderTopics(data.forum, data.topics || []);
  const empty = ![...state.messages.keys()].some((key) => key.startsWith("private:"));
  $("empty-hint").hidden = !empty;
  $("private-messages").classList.toggle("empty", empty);
  lists.forEach((list, i) => { if (pinned[i]) list.scrollTop = list.scrollHeight; });
  for (const toast of data.toasts) showToast(toast.chat, toast.text);
}

function paneVisible(chat) {
  return $(PANES[chat]).getClientRects().length > 0;
}

function setUnread(chat, count) {
  state.unread[chat] = count;
  const badge = document.querySelector(`[data-testid=${chat}-unread]`);
  badge.textContent = count.toLocaleString("fa-IR");
  badge.hidden = count === 0;
}

function selectPane(chat) {
  $("panes").dataset.activePane = chat;
  for (const tab of $("pane-tabs").children) {
    tab.setAttribute("aria-selected", String(tab.dataset.pane === chat));
  }
  setUnread(chat, 0);
  const list = $(chat === "staff" ? "staff-messages" : "private-messages");
  list.scrollTop = list.scrollHeight;
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
  if (message.thread) {
    bubble.dataset.thread = String(message.thread);
    const name = message.topic_created || state.topicNames?.get(message.thread) || message.thread;
    const topic = line(message.topic_created ? `🗂 تاپیک تازه: ${name}` : `# ${name}`);
    topic.className = "topic";
    bubble.appendChild(topic);
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
  if (message.chat === "staff" && message.outgoing && !message.deleted && !message.topic_created) {
    const reply = document.createElement("button");
    reply.type = "button";
    reply.className = "reply-to";
    reply.dataset.testid = "reply-to";
    reply.textContent = "↩️ پاسخ";
    reply.addEventListener("click", () => replyTo(message));
    bubble.appendChild(reply);
  }
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

function sendText(chat, text, thread, replyTo) {
  if (!text.trim()) return Promise.resolve();
  return post("/ui/api/send", { chat, text, thread: thread || null, reply_to: replyTo || null })
    .catch(report);
}

// The staff pane answers one of the bot's messages: a reply (and, in a forum, its topic).
function replyTo(message) {
  state.replyTo = message.id;
  $("staff-replying-text").textContent = "↩️ " + (message.text ?? message.caption ?? "").slice(0, 80);
  $("staff-replying").hidden = false;
  if (message.thread && !$("staff-topic").hidden) $("staff-topic").value = String(message.thread);
  $("staff-input").focus();
}

function dropReply() {
  state.replyTo = null;
  $("staff-replying").hidden = true;
}

// A forum staff group: the topics to post into (closed ones are left out) and their names.
function renderTopics(forum, topics) {
  const select = $("staff-topic");
  select.hidden = !forum;
  state.topicNames = new Map(topics.map((topic) => [topic.id, topic.name]));
  const chosen = select.value;
  const options = [new Option("عمومی", "")].concat(
    topics.filter((topic) => !topic.closed).map((topic) => new Option(`# ${topic.name}`, topic.id)));
  select.replaceChildren(...options);
  select.value = [...select.options].some((option) => option.value === chosen) ? chosen : "";
}

const toastTimers = {};
function showToast(chat, text) {
  const toast = $(TOASTS[chat]);
  toast.textContent = text;
  toast.hidden = false;
  clearTimeout(toastTimers[chat]);
  toastTimers[chat] = setTimeout(() => { toast.hidden = true; }, 4000);
}

function report(error) { setStatus(String(error.message || error)); }

$("private-composer").addEventListener("submit", (event) => {
  event.preventDefault();
  const input = $("composer-input");
  sendText("private", input.value);
  input.value = "";
});

$("start-button").addEventListener("click", () => sendText("private", "/start"));

for (const button of document.querySelectorAll("#staff-intro [data-command]")) {
  button.addEventListener("click", () => sendText("staff", button.dataset.command));
}

for (const tab of $("pane-tabs").children) {
  tab.addEventListener("click", () => selectPane(tab.dataset.pane));
}

$("staff-composer").addEventListener("submit", (event) => {
  event.preventDefault();
  const input = $("staff-input");
  sendText("staff", input.value, $("staff-topic").value, state.replyTo);
  input.value = "";
  dropReply();
});

$("staff-replying-cancel").addEventListener("click", dropReply);

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
