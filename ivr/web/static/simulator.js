// The phone in the browser. The server runs the call with the simulator's own
// interpreter; this page only shows what it reports and sends what the caller does.

const API = document.body.dataset.api;
const $ = (id) => document.getElementById(id);

const ui = {
  from: $("from"), lang: $("lang"), at: $("at"), presets: $("presets"),
  status: $("status"), prompt: $("prompt"), digits: $("digits"), call: $("call"), silence: $("silence"),
  mute: $("mute"), speechForm: $("speech-form"), speech: $("speech"),
  transfer: $("transfer"), messageForm: $("message-form"), message: $("message"),
  transcript: $("transcript"), plain: $("plain"), diagram: $("diagram"), fit: $("fit"),
  voiceNote: $("voice-note"),
};

const call = {
  id: null,        // the server's session id; one call at a time per tab
  next: 0,         // index of the next transcript event to fetch
  state: "idle",   // idle | starting | running | waiting | ended
  waiting: null,   // what the call waits for, as the server said
  keys: "",        // keys pressed and not sent yet
  keyTimer: null,
  busy: false,     // a request is on its way
};
let queue = Promise.resolve();  // requests go one after another
const graph = { nodes: new Map(), current: null };

class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

async function request(method, path, body) {
  const init = { method, headers: { Accept: "application/json" }, credentials: "same-origin" };
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(API + path, init);
  } catch {
    throw new ApiError(0, "The server cannot be reached.");
  }
  let data = null;
  try {
    data = await response.json();
  } catch {
    // a proxy's HTML error page: the status says enough
  }
  if (!response.ok) {
    throw new ApiError(response.status, (data && data.error) || `HTTP ${response.status}`);
  }
  return data;
}

function enqueue(task) {
  queue = queue.then(task).catch(showError);
  return queue;
}

function setStatus(text, isError = false) {
  ui.status.textContent = text;
  ui.status.classList.toggle("error", isError);
}

function showError(error) {
  call.busy = false;
  if (error instanceof ApiError && error.status === 404 && call.id) {
    endLocally("This call is no longer on the server. Press Call to start again.");
    return;
  }
  setStatus(error.message || String(error), true);
  updateControls();
  if (error instanceof ApiError && error.status === 409 && call.id) {
    // The page and the call disagree about what the call waits for: ask the call.
    const id = call.id;
    enqueue(async () => {
      if (call.id === id) show(await request("GET", `/calls/${id}?since=${call.next}`));
    });
  }
}

// -- placing and ending calls --------------------------------------------------------

function placeCall() {
  if (call.state !== "idle" && call.state !== "ended") return;
  stopSpeaking();
  clearTranscript();
  call.id = null;
  call.next = 0;
  call.keys = "";
  call.waiting = null;
  call.state = "starting";
  showDigits();
  markVisited(null);
  setStatus("Calling…");
  updateControls();
  enqueue(async () => {
    call.busy = true;
    const snapshot = await request("POST", "/calls", {
      from: ui.from.value.trim(), lang: ui.lang.value, at: ui.at.value,
    }).catch((error) => {
      call.state = "idle";
      clearKeys();
      throw error;
    });
    call.busy = false;
    call.id = snapshot.id;
    show(snapshot);
  });
}

function hangUp() {
  if (!call.id || call.state === "ended") return;
  stopSpeaking();
  clearKeys();
  const id = call.id;
  enqueue(async () => {
    if (call.id !== id || call.state === "ended") return;
    call.busy = true;
    show(await request("DELETE", `/calls/${id}?since=${call.next}`));
  });
}

function endLocally(text) {
  call.state = "ended";
  call.waiting = null;
  call.busy = false;
  setStatus(text, true);
  updateControls();
}

// -- what the caller does ------------------------------------------------------------

function send(action) {
  const id = call.id;
  stopSpeaking();  // barge-in: acting cuts the prompt off, as on a real phone
  enqueue(async () => {
    if (call.id !== id || call.state !== "waiting") return;
    call.busy = true;
    call.state = "running";
    updateControls();
    show(await request("POST", `/calls/${id}/actions`, { ...action, since: call.next }));
  });
}

function pressKey(key) {
  tone(key);
  stopSpeaking();
  flashKey(key);
  if (call.state === "ended" || call.state === "idle") {
    setStatus(`You pressed ${key}, but there is no call. Press Call first.`);
    return;
  }
  if (call.waiting && call.waiting.kind !== "gather") {
    setStatus(call.waiting.kind === "record"
      ? "The call is recording: type a message below and press Leave message."
      : "The call is transferring: choose how the transfer ends.");
    return;
  }
  call.keys += key;
  showDigits();
  sendKeysWhenReady();
}

// Send keys as Twilio would collect them: at numDigits, at finishOnKey, or after a pause.
function sendKeysWhenReady() {
  clearTimeout(call.keyTimer);
  const wait = call.waiting;
  if (!call.keys || call.busy || !wait || wait.kind !== "gather") return;
  const finish = wait.finish_on_key ? call.keys.indexOf(wait.finish_on_key) : -1;
  let count = 0;
  if (wait.num_digits && call.keys.length >= wait.num_digits) count = wait.num_digits;
  if (finish >= 0 && (count === 0 || finish < count)) count = finish + 1;
  if (count === 0) {
    call.keyTimer = setTimeout(() => sendKeys(call.keys.length), (wait.timeout || 5) * 1000);
    return;
  }
  sendKeys(count);
}

function sendKeys(count) {
  const keys = call.keys.slice(0, count);
  call.keys = call.keys.slice(count);
  showDigits();
  if (keys) send({ type: "keys", keys });
}

function clearKeys() {
  clearTimeout(call.keyTimer);
  call.keys = "";
  showDigits();
}

function showDigits() {
  ui.digits.textContent = call.keys;
}

// -- showing what the server reports -------------------------------------------------

function show(snapshot) {
  call.busy = false;
  const fresh = snapshot.events.filter((event) => event.n >= call.next);
  for (const event of fresh) addEvent(event);
  call.next = Math.max(call.next, snapshot.next);
  call.waiting = snapshot.waiting;
  call.state = snapshot.state;
  highlight(snapshot.node);
  if (snapshot.state === "ended") {
    clearKeys();
    setStatus(`Call ended: ${snapshot.ended.text}.`);
  } else if (snapshot.state === "waiting") {
    setStatus(describeWait(snapshot.waiting));
  } else {
    setStatus("The call is running…");
    setTimeout(() => enqueue(poll), 300);
  }
  updateControls();
  sendKeysWhenReady();
}

async function poll() {
  if (!call.id || call.state !== "running" || call.busy) return;
  show(await request("GET", `/calls/${call.id}?since=${call.next}`));
}

function describeWait(wait) {
  const where = wait.node ? ` in ${wait.node}` : "";
  if (wait.kind === "dial") return `Transferring to ${wait.number}: choose the outcome.`;
  if (wait.kind === "record") return `Recording${where}: leave a message (max ${wait.max_length} s).`;
  const ways = [];
  if (wait.input.includes("dtmf")) {
    let keys = wait.num_digits ? `${wait.num_digits} key${wait.num_digits > 1 ? "s" : ""}` : "keys";
    if (wait.finish_on_key) keys += `, then ${wait.finish_on_key}`;
    ways.push(keys);
  }
  if (wait.input.includes("speech")) ways.push("speech");
  return `Listening${where} for ${ways.join(" or ")}.`;
}

function addEvent(event) {
  const item = document.createElement("li");
  item.className = `ev ev-${event.verb === "End" ? "end" : event.who} ev-${event.verb.toLowerCase()}`;
  const head = element("div", "ev-head");
  head.append(element("span", "verb", event.who === "caller" ? "You" : event.verb));
  if (event.voice) head.append(element("span", "who", event.voice));
  if (event.language) head.append(element("span", "lang", event.language));
  // A document's events name every node it passed; the caller is in the last one.
  const path = event.nodes && event.nodes.length ? event.nodes : [event.node].filter(Boolean);
  const nodes = event.who === "caller" ? path.slice(-1) : path;
  if (nodes.length) head.append(element("span", "node", nodes.join(" → ")));
  item.append(head);
  if (event.verb === "Say" || event.who === "caller" || event.verb === "End") {
    const text = element("p", "ev-text", event.text);
    const lang = browserLanguage(event.language);
    if (lang) text.lang = lang;
    else if (/[\u3400-\u9fff]/.test(event.text)) text.lang = "zh-CN";
    item.append(text);
  } else {
    item.append(element("p", "ev-line", event.line));
  }
  if (event.problems.length) {
    const list = element("ul", "problems");
    for (const problem of event.problems) list.append(problemItem(problem));
    item.append(list);
  }
  ui.transcript.append(item);
  item.scrollIntoView({ block: "nearest" });
  ui.plain.textContent += [event.line, ...event.problems.map((p) => p.line)].join("\n") + "\n";
  if (event.verb === "Say") {
    ui.prompt.textContent = event.text;
    ui.prompt.lang = browserLanguage(event.language) || "";
    speak(event.text, event.language);
  }
  if (event.nodes) for (const node of event.nodes) markVisited(node);
}

function problemItem(problem) {
  const item = element("li", `problem ${problem.severity}`);
  const code = String(problem.code);
  if (/^\d+$/.test(code)) {
    const link = element("a", "code", code);
    link.href = `https://www.twilio.com/docs/api/errors/${code}`;
    link.target = "_blank";
    link.rel = "noreferrer noopener";
    item.append(link);
  } else {
    item.append(element("span", "code", code));
  }
  const title = problem.title ? `${problem.title}: ` : "";
  const where = problem.element ? ` (${problem.element})` : "";
  item.append(`${problem.severity} ${title}${problem.message}${where}`);
  return item;
}

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function clearTranscript() {
  ui.transcript.replaceChildren();
  ui.prompt.textContent = "";
  ui.plain.textContent = "";
}

function updateControls() {
  const active = ["starting", "running", "waiting"].includes(call.state);
  const wait = call.state === "waiting" && !call.busy ? call.waiting : null;
  ui.call.textContent = active ? "Hang up" : "Call";
  ui.call.classList.toggle("hangup", active);
  ui.call.setAttribute("aria-disabled", String(call.state === "starting"));
  for (const field of [ui.from, ui.lang, ui.at]) field.disabled = active;
  for (const button of ui.presets.querySelectorAll("button")) button.disabled = active;
  const gather = wait && wait.kind === "gather";
  const speech = gather && wait.input.includes("speech");
  ui.silence.disabled = !(gather || (wait && wait.kind === "record"));
  setFormEnabled(ui.speechForm, speech);
  setFormEnabled(ui.messageForm, wait && wait.kind === "record");
  ui.transfer.disabled = !(wait && wait.kind === "dial");
  ui.transfer.classList.toggle("waiting-for", !ui.transfer.disabled);
  ui.messageForm.classList.toggle("waiting-for", Boolean(wait && wait.kind === "record"));
}

function setFormEnabled(form, enabled) {
  for (const field of form.querySelectorAll("input, button")) field.disabled = !enabled;
}

// -- sound: the prompts, and key tones -----------------------------------------------

let muted = localStorage.getItem("ivr-simulator-muted") === "1";
let toneContext = null;

function browserLanguage(language) {
  if (!language) return null;
  if (/^(cmn|zh)/i.test(language)) return /TW|Hant/i.test(language) ? "zh-TW" : "zh-CN";
  if (/^yue/i.test(language)) return "zh-HK";
  return language;
}

function voiceFor(lang) {
  const voices = window.speechSynthesis ? speechSynthesis.getVoices() : [];
  const norm = (tag) => tag.replace("_", "-").toLowerCase();
  return voices.find((v) => norm(v.lang) === lang.toLowerCase())
    || voices.find((v) => norm(v.lang).split("-")[0] === lang.toLowerCase().split("-")[0])
    || null;
}

function speak(text, language) {
  if (muted || !window.speechSynthesis || !text) return;
  const lang = browserLanguage(language) || "en-US";
  const utterance = new SpeechSynthesisUtterance(text);
  utterance.lang = lang;
  const voice = voiceFor(lang);
  if (voice) utterance.voice = voice;
  speechSynthesis.speak(utterance);
}

function stopSpeaking() {
  if (window.speechSynthesis) speechSynthesis.cancel();
}

function noteVoices() {
  if (!window.speechSynthesis) {
    ui.voiceNote.textContent = "This browser cannot speak: the prompts are shown, not heard.";
  } else if (speechSynthesis.getVoices().length && !voiceFor("zh-CN")) {
    ui.voiceNote.textContent = "No Mandarin voice in this browser: Chinese prompts may be read "
      + "by another voice or not at all.";
  } else {
    ui.voiceNote.hidden = true;
    return;
  }
  ui.voiceNote.hidden = false;
}

const DTMF = {
  1: [697, 1209], 2: [697, 1336], 3: [697, 1477], 4: [770, 1209], 5: [770, 1336],
  6: [770, 1477], 7: [852, 1209], 8: [852, 1336], 9: [852, 1477], "*": [941, 1209],
  0: [941, 1336], "#": [941, 1477],
};

function tone(key) {
  if (muted || !window.AudioContext) return;
  toneContext = toneContext || new AudioContext();
  const end = toneContext.currentTime + 0.12;
  const gain = toneContext.createGain();
  gain.gain.value = 0.08;
  gain.connect(toneContext.destination);
  for (const frequency of DTMF[key]) {
    const oscillator = toneContext.createOscillator();
    oscillator.frequency.value = frequency;
    oscillator.connect(gain);
    oscillator.start();
    oscillator.stop(end);
  }
}

function setMuted(value) {
  muted = value;
  localStorage.setItem("ivr-simulator-muted", value ? "1" : "0");
  ui.mute.setAttribute("aria-checked", String(!value));
  ui.mute.textContent = value ? "Sound off" : "Sound on";
  if (value) stopSpeaking();
}

function flashKey(key) {
  const button = document.querySelector(`.key[data-key="${CSS.escape(key)}"]`);
  if (!button) return;
  button.classList.add("pressed");
  setTimeout(() => button.classList.remove("pressed"), 150);
}

// -- the menu diagram ----------------------------------------------------------------

async function drawMenu() {
  let menu;
  try {
    menu = await request("GET", "/menu");
  } catch (error) {
    ui.diagram.textContent = `The menu could not be loaded: ${error.message}`;
    return;
  }
  addPresets(menu.presets);
  if (!window.mermaid) {
    ui.diagram.textContent = "The diagram library did not load.";
    return;
  }
  try {
    window.mermaid.initialize({
      startOnLoad: false, securityLevel: "strict", theme: "neutral",
      flowchart: { useMaxWidth: false },
      fontFamily: getComputedStyle(document.body).fontFamily,
    });
    const { svg } = await window.mermaid.render("menu-graph", menu.mermaid);
    ui.diagram.innerHTML = svg;  // Mermaid's own output, sanitised in strict mode
  } catch (error) {
    ui.diagram.textContent = `The diagram could not be drawn: ${error.message || error}`;
    return;
  }
  // Mermaid names each node's group "flowchart-<node id>-<n>".
  for (const group of ui.diagram.querySelectorAll("g.node[id]")) {
    const match = /flowchart-(.+)-\d+$/.exec(group.id);
    if (match) {
      graph.nodes.set(match[1], group);
      group.dataset.node = match[1];
    }
  }
  highlight(graph.current);
}

function highlight(node) {
  graph.current = node;
  for (const group of ui.diagram.querySelectorAll("g.node.current")) {
    group.classList.remove("current");
  }
  const group = node && graph.nodes.get(node);
  if (!group) return;
  group.classList.add("current", "visited");
  // Scroll the diagram pane, never the page, so the phone stays where it is.
  const pane = ui.diagram.getBoundingClientRect();
  const box = group.getBoundingClientRect();
  if (box.top < pane.top || box.bottom > pane.bottom) {
    ui.diagram.scrollTop += box.top - pane.top - pane.height / 2 + box.height / 2;
  }
  if (box.left < pane.left || box.right > pane.right) {
    ui.diagram.scrollLeft += box.left - pane.left - pane.width / 2 + box.width / 2;
  }
}

function markVisited(node) {
  if (node === null) {
    for (const group of ui.diagram.querySelectorAll("g.node.visited")) {
      group.classList.remove("visited", "current");
    }
    return;
  }
  const group = graph.nodes.get(node);
  if (group) group.classList.add("visited");
}

function addPresets(presets) {
  for (const preset of presets) {
    const button = element("button", "", preset.label);
    button.type = "button";
    button.dataset.at = preset.at;
    button.title = `The line is ${preset.open} at this time`;
    ui.presets.append(button);
  }
  markPreset();
}

function markPreset() {
  for (const button of ui.presets.querySelectorAll("button")) {
    button.setAttribute("aria-pressed", String(button.dataset.at === ui.at.value));
  }
}

// -- wiring --------------------------------------------------------------------------

function isTextField(target) {
  return target instanceof HTMLElement
    && (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName));
}

document.addEventListener("keydown", (event) => {
  if (event.ctrlKey || event.metaKey || event.altKey || isTextField(event.target)) return;
  if (/^[0-9*#]$/.test(event.key)) {
    event.preventDefault();
    pressKey(event.key);
  }
});

for (const button of document.querySelectorAll(".key")) {
  button.addEventListener("click", () => pressKey(button.dataset.key));
}

ui.call.addEventListener("click", () => {
  if (call.state === "starting") return;  // not disabled: that would take the focus away
  if (["running", "waiting"].includes(call.state)) hangUp();
  else placeCall();
});

ui.silence.addEventListener("click", () => {
  if (!call.waiting) return;
  clearKeys();
  send(call.waiting.kind === "record" ? { type: "message", text: "" } : { type: "silence" });
});

ui.speechForm.addEventListener("submit", (event) => {
  event.preventDefault();
  const text = ui.speech.value.trim();
  if (!text) return;
  ui.speech.value = "";
  send({ type: "speech", text });
});

ui.messageForm.addEventListener("submit", (event) => {
  event.preventDefault();
  const text = ui.message.value.trim();
  ui.message.value = "";
  send({ type: "message", text });
});

for (const button of ui.transfer.querySelectorAll("button")) {
  button.addEventListener("click", () => send({ type: "dial", status: button.dataset.dial }));
}

ui.presets.addEventListener("click", (event) => {
  const button = event.target.closest("button");
  if (!button) return;
  ui.at.value = button.dataset.at;
  markPreset();
});
ui.at.addEventListener("input", markPreset);

ui.mute.addEventListener("click", () => setMuted(!muted));

ui.fit.addEventListener("click", () => {
  const fit = ui.fit.getAttribute("aria-pressed") !== "true";
  ui.fit.setAttribute("aria-pressed", String(fit));
  ui.diagram.classList.toggle("fit", fit);
  highlight(graph.current);
});

// Hang up when the tab goes away, so the server need not wait for the idle expiry.
window.addEventListener("pagehide", () => {
  if (call.id && call.state !== "ended") {
    fetch(`${API}/calls/${call.id}`, { method: "DELETE", keepalive: true }).catch(() => {});
  }
});

if (window.speechSynthesis) speechSynthesis.addEventListener("voiceschanged", noteVoices);
setMuted(muted);
updateControls();
noteVoices();
drawMenu();
