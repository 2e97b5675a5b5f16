// The phone in the browser. The server runs the call with the simulator's own
// interpreter; this page only shows what it reports and sends what the caller does.

const API = document.body.dataset.api;
const $ = (id) => document.getElementById(id);

const ui = {
  from: $("from"), lang: $("lang"), at: $("at"), presets: $("presets"), realtime: $("realtime"),
  status: $("status"), countdown: $("countdown"), prompt: $("prompt"), digits: $("digits"),
  call: $("call"), silence: $("silence"), mute: $("mute"), speechForm: $("speech-form"),
  speech: $("speech"), transfer: $("transfer"), messageForm: $("message-form"),
  message: $("message"), transcript: $("transcript"), plain: $("plain"), diagram: $("diagram"),
  fit: $("fit"), zoomIn: $("zoom-in"), zoomOut: $("zoom-out"), voiceNote: $("voice-note"),
  replay: $("replay"), export: $("export"), follow: $("follow"), clock: $("clock"),
  clockTime: $("clock-time"), clockHours: $("clock-hours"), clockCheck: $("clock-check"),
};

// What survives a reload: the settings (localStorage, for every tab), the call and its
// transcript (sessionStorage, this tab only), the last call's inputs for Replay.
const SETTINGS_KEY = "ivr-simulator-settings";
const CALL_KEY = "ivr-simulator-call";
const LAST_KEY = "ivr-simulator-last";

const call = {
  id: null,        // the server's session id; one call at a time per tab
  next: 0,         // index of the next transcript event to fetch
  state: "idle",   // idle | starting | running | waiting | ended
  waiting: null,   // what the call waits for, as the server said
  keys: "",        // keys pressed and not sent yet
  keyTimer: null,
  pollTimer: null, // the next poll of a running call
  busy: false,     // a request is on its way
  events: [],      // the transcript so far, kept for a reload
  settings: null,  // how the call was placed: {from, lang, at, node}
  inputs: [],      // what the caller did, for Replay
  replay: [],      // inputs still to replay
  focusPending: false,  // the caller used a control: move the focus on when the call waits
  lastUsed: null,  // "keys" | "speech": how the caller last answered a menu
  steps: {},       // the documents fetched, by step number: request, decision, TwiML
  clock: null,     // the call's clock and hours verdicts, as the server judged them
  inFlight: new AbortController(),  // cancels the call's requests when it ends on the page
};
// The transcript's step headers: the last one shown, and what the caller did before each.
const shown = { step: 0, caller: null, callers: new Map() };
const countdown = { timer: null, deadline: 0, wait: null };
// A running call whose request was lost asks the server again, waiting longer each time.
const reconnect = { timer: null, delay: 0 };
const RECONNECT_FIRST_MS = 500;
const RECONNECT_MAX_MS = 8000;

// The wait before the next try of a request that was lost: doubled each time, up to `max`.
function nextDelay(delay, first, max) {
  return Math.min(delay ? delay * 2 : first, max);
}
let queue = Promise.resolve();  // requests go one after another
// mode: "follow" (readable, the call's node in view), "fit" (the whole menu), "free".
const graph = {
  nodes: new Map(), edges: [], labels: new Map(), current: null, start: null, zoom: 1,
  mode: "follow", size: null, font: 16,
};
const READABLE_PX = 13;  // the smallest label size Follow shows

class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

// A request for a call that has ended on the page: its answer must change nothing.
class Cancelled extends Error {}

async function request(method, path, body, signal = undefined) {
  const init = {
    method, headers: { Accept: "application/json" }, credentials: "same-origin", signal,
  };
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(API + path, init);
  } catch {
    if (signal && signal.aborted) throw new Cancelled();
    throw new ApiError(0, "The server cannot be reached.");
  }
  let data = null;
  try {
    data = await response.json();
  } catch {
    // a proxy's HTML error page: the status says enough
  }
  if (signal && signal.aborted) throw new Cancelled();
  if (!response.ok) {
    throw new ApiError(response.status, (data && data.error) || `HTTP ${response.status}`);
  }
  return data;
}

// A request about the current call: ending the call on the page cancels it.
const callRequest = (method, path, body) => request(method, path, body, call.inFlight.signal);

// A dropped connection or a proxy's error: the request may not have reached the call.
const lost = (error) => error instanceof ApiError && (error.status === 0 || error.status >= 500);

function enqueue(task) {
  queue = queue.then(task).catch(showError);
  return queue;
}

function setStatus(text, isError = false, lang = "") {
  ui.status.textContent = text;
  ui.status.lang = lang;
  ui.status.classList.toggle("error", isError);
}

function showError(error) {
  if (error instanceof Cancelled) return;
  call.busy = false;
  if (error instanceof ApiError && error.status === 404 && call.id) {
    endLocally("This call is no longer on the server. Press Call to start again.");
    return;
  }
  if (lost(error) && call.id && call.state === "running") {
    // Nothing waits for this call to answer: without asking again it stays "running"
    // for good and every key is dropped.
    reconnectLater();
    updateControls();
    return;
  }
  setStatus(error.message || String(error), true);
  updateControls();
  if (error instanceof ApiError && error.status === 409 && call.id) {
    // The page and the call disagree about what the call waits for: ask the call.
    enqueue(() => resync(call.id));
  }
}

// Ask the server where the call is, and show it; null when the server cannot say.
async function resync(id) {
  if (call.id !== id) return null;
  const snapshot = await callRequest("GET", `/calls/${id}?since=${call.next}`);
  if (call.id === id) show(snapshot);
  return snapshot;
}

function reconnectLater() {
  clearTimeout(reconnect.timer);
  reconnect.delay = nextDelay(reconnect.delay, RECONNECT_FIRST_MS, RECONNECT_MAX_MS);
  reconnect.timer = setTimeout(reconnectNow, reconnect.delay);
  setStatus(callWords().reconnecting, true, browserLanguage(callLanguage()) || "");
}

function reconnectNow() {
  clearTimeout(reconnect.timer);
  reconnect.timer = null;
  const id = call.id;
  enqueue(async () => {
    if (call.id !== id || call.state !== "running") return;
    await resync(id);
  });
}

function stopReconnecting() {
  clearTimeout(reconnect.timer);
  reconnect.timer = null;
  reconnect.delay = 0;
}

// -- placing and ending calls --------------------------------------------------------

function placeCall(options = {}) {
  if (call.state !== "idle" && call.state !== "ended") return;
  stopSpeaking();
  stopCountdown();
  stopReconnecting();
  clearTranscript();
  Object.assign(call, {
    id: null, next: 0, keys: "", waiting: null, state: "starting", events: [], inputs: [],
    replay: options.replay || [], steps: {}, clock: null, inFlight: new AbortController(),
  });
  call.settings = options.settings || {
    from: ui.from.value.trim(), lang: ui.lang.value, at: ui.at.value, node: options.node || "",
  };
  call.focusPending = true;
  showDigits();
  highlight(null);
  setStatus(call.settings.node ? `Calling ${call.settings.node}…` : "Calling…");
  updateControls();
  enqueue(async () => {
    call.busy = true;
    const snapshot = await callRequest("POST", "/calls", call.settings).catch((error) => {
      if (!(error instanceof Cancelled)) {  // hung up while dialling: it has ended already
        call.state = "idle";
        clearKeys();
      }
      throw error;
    });
    call.busy = false;
    call.id = snapshot.id;
    show(snapshot);
  });
}

// As on a real phone, Hang up ends the call here and now, whether or not the server
// hears of it: waiting for an answer would leave the caller stuck while it is away.
function hangUp() {
  if (!["starting", "running", "waiting"].includes(call.state)) return;
  const id = call.id;  // none yet while dialling: a call placed then expires on the server
  const since = call.next;
  stopSpeaking();
  // The lines the server would add (as `ivr simulate` prints them), so the transcript
  // reads the same whether or not it answers.
  addEvent({
    n: since, verb: "Caller", who: "caller", text: "hung up", line: "[Caller] hung up",
    node: (call.waiting && call.waiting.node) || graph.current, problems: [],
  });
  addEvent({
    n: since + 1, verb: "End", who: "system", text: "you hung up",
    line: "-- call ended: caller-hangup", problems: [],
  });
  endLocally("Call ended: you hung up.", false);
  if (id) tellHangUp(id, since);
}

// The server hears of a hang-up even when it was away at the time: out of the queue, the
// notice is sent again, waiting longer each time, until the server answers (the call
// ended there, or is gone already), and a reload picks it up again. Without it the call
// would run on there, a voicemail not left, until the idle expiry.
const HANGUPS_KEY = "ivr-simulator-hangups";
const HANGUP_FIRST_MS = 1000;
const HANGUP_MAX_MS = 16000;

function pendingHangUps() {
  try {
    return JSON.parse(sessionStorage.getItem(HANGUPS_KEY) || "{}") || {};
  } catch {
    return {};
  }
}

function keepHangUp(id, since) {
  const pending = pendingHangUps();
  if (since === null) delete pending[id];
  else pending[id] = since;
  sessionStorage.setItem(HANGUPS_KEY, JSON.stringify(pending));
}

function tellHangUp(id, since, delay = 0) {
  keepHangUp(id, since);
  setTimeout(async () => {
    try {
      await request("DELETE", `/calls/${id}?since=${since}`);
    } catch (error) {
      if (lost(error)) {
        tellHangUp(id, since, nextDelay(delay, HANGUP_FIRST_MS, HANGUP_MAX_MS));
        return;
      }
      // any other answer (404: the call is gone already) needs no notice more
    }
    keepHangUp(id, null);
  }, delay);
}

// End the call on the page: nothing still on its way, retried or counted down for it
// may bring it back.
function endLocally(text, isError = true) {
  call.inFlight.abort();
  clearTimeout(call.pollTimer);
  call.pollTimer = null;
  clearKeys();
  call.replay = [];
  call.state = "ended";
  call.waiting = null;
  call.busy = false;
  stopCountdown();
  stopReconnecting();
  setStatus(text, isError);
  saveCall();
  updateControls();
  // The call is gone: the focus goes to Call, so Enter starts a new one (not a key).
  call.focusPending = true;
  placeFocus();
}

// -- what the caller does ------------------------------------------------------------

function send(action) {
  const id = call.id;
  stopSpeaking();  // barge-in: acting cuts the prompt off, as on a real phone
  stopCountdown();
  call.focusPending = true;
  enqueue(async () => {
    if (call.id !== id || call.state !== "waiting") return;
    const waiting = call.waiting;
    const before = call.next;
    call.busy = true;
    call.state = "running";
    updateControls();
    const body = { ...action, since: before };
    let snapshot;
    try {
      snapshot = await callRequest("POST", `/calls/${id}/actions`, body);
    } catch (error) {
      if (!lost(error)) throw error;
      snapshot = await retry(id, body, before, waiting, error);
      if (!snapshot) return;
    }
    remember(action);
    show(snapshot);
  });
}

// After a lost request: if the call took the action, show where it is; if it did not
// (nothing new, still waiting), send it once more; if the server cannot say, wait again.
async function retry(id, body, before, waiting, error) {
  let now;
  try {
    now = await callRequest("GET", `/calls/${id}?since=${before}`);
  } catch (again) {
    if (!lost(again)) throw again;
    Object.assign(call, { busy: false, state: "waiting", waiting });
    setStatus(`${error.message} Nothing was sent: try again.`, true);
    updateControls();
    return null;
  }
  if (now.state !== "waiting" || now.next !== before) return now;  // it was taken
  try {
    return await callRequest("POST", `/calls/${id}/actions`, body);
  } catch (again) {
    if (!lost(again)) throw again;
    show(now);  // waiting as before: the next key tries again
    setStatus(`${again.message} Nothing was sent: try again.`, true);
    return null;
  }
}

function remember(action) {
  call.inputs.push(action);
  localStorage.setItem(LAST_KEY, JSON.stringify({ settings: call.settings, inputs: call.inputs }));
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
      ? "The call is recording: type a message below and press Leave it."
      : "The call is transferring: choose how the transfer ends.");
    return;
  }
  call.lastUsed = "keys";
  call.focusPending = true;
  call.keys += key;
  showDigits();
  // Running with no request on its way and no poll to come (a lost request, a reload
  // while the server was away): ask the server now; the keys go when the call waits.
  if (call.state === "running" && !call.busy && !call.pollTimer) reconnectNow();
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
    if (ui.realtime.checked) startCountdown(wait);  // the countdown sends them
    else call.keyTimer = setTimeout(() => sendKeys(call.keys.length), (wait.timeout || 5) * 1000);
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

// -- real time: the Gather's timeout runs by itself -----------------------------------

function startCountdown(wait) {
  stopCountdown();
  countdown.wait = wait;
  // As on a phone the timeout starts once the prompts have been said.
  const begin = () => {
    if (window.speechSynthesis && speechSynthesis.speaking && !muted) {
      countdown.timer = setTimeout(begin, 200);
      return;
    }
    countdown.deadline = Date.now() + (wait.timeout || 5) * 1000;
    tick();
  };
  begin();
}

function tick() {
  const left = Math.ceil((countdown.deadline - Date.now()) / 1000);
  if (left > 0) {
    ui.countdown.hidden = false;
    ui.countdown.textContent = call.keys
      ? `Sending ${call.keys} in ${left} s`
      : `No input: silence in ${left} s`;
    countdown.timer = setTimeout(tick, 250);
    return;
  }
  stopCountdown();
  if (call.state !== "waiting" || !call.waiting || call.waiting.kind !== "gather") return;
  if (call.keys) sendKeys(call.keys.length);
  else send({ type: "silence" });
}

function stopCountdown() {
  clearTimeout(countdown.timer);
  countdown.timer = null;
  ui.countdown.hidden = true;
  ui.countdown.textContent = "";
}

// -- showing what the server reports -------------------------------------------------

function show(snapshot) {
  call.busy = false;
  stopReconnecting();  // the server answered
  for (const step of snapshot.steps || []) call.steps[step.n] = step;
  if (snapshot.clock) {
    if (!call.clock) addClockItem(snapshot.clock);  // the call's start: its clock first
    call.clock = snapshot.clock;
    showClock(snapshot.clock);
  }
  const fresh = snapshot.events.filter((event) => event.n >= call.next);
  for (const event of fresh) addEvent(event);
  call.next = Math.max(call.next, snapshot.next);
  call.waiting = snapshot.waiting;
  call.state = snapshot.state;
  highlight(snapshot.node);
  if (snapshot.state === "ended") {
    clearKeys();
    stopCountdown();
    call.replay = [];
    setStatus(`Call ended: ${snapshot.ended.text}.`);
  } else if (snapshot.state === "waiting") {
    setStatus(describeWait(snapshot.waiting));
  } else {
    setStatus("The call is running…");
    clearTimeout(call.pollTimer);
    call.pollTimer = setTimeout(() => {
      call.pollTimer = null;
      enqueue(poll);
    }, 300);
  }
  saveCall();
  updateControls();
  placeFocus();
  if (snapshot.state === "waiting") {
    if (call.replay.length) replayNext();
    else if (call.keys) sendKeysWhenReady();
    else if (ui.realtime.checked && snapshot.waiting.kind === "gather") {
      startCountdown(snapshot.waiting);
    }
  }
}

async function poll() {
  if (!call.id || call.state !== "running" || call.busy) return;
  show(await callRequest("GET", `/calls/${call.id}?since=${call.next}`));
}

// A recording's prompt is a <Gather> before the <Record>: keys work while it is read, and
// a message typed there is left at the beep (the call waits through the prompt first).
function takesMessage(wait) {
  return Boolean(wait && (wait.kind === "record" || (wait.kind === "gather" && wait.before_record)));
}

function describeWait(wait) {
  const where = wait.node ? ` in ${wait.node}` : "";
  if (wait.kind === "dial") return `Transferring to ${wait.number}: choose the outcome.`;
  if (wait.kind === "record") return `Recording${where}: leave a message (max ${wait.max_length} s).`;
  if (wait.before_record) {
    // Which keys work here is the app's (the menu's prompt says them), not the phone's.
    return `Recording${where} after the prompt: leave a message at the beep, or press a key `
      + "the prompt offers.";
  }
  const ways = [];
  if (wait.input.includes("dtmf")) {
    let keys = wait.num_digits ? `${wait.num_digits} key${wait.num_digits > 1 ? "s" : ""}` : "keys";
    if (wait.finish_on_key) keys += `, then ${wait.finish_on_key}`;
    ways.push(keys);
  }
  if (wait.input.includes("speech")) ways.push("speech");
  return `Listening${where} for ${ways.join(" or ")}.`;
}

function addEvent(event, replaying = false) {
  call.events.push(event);
  // Each document's header goes before its first line; the end shows any left.
  showStepsUpTo(event.step || (event.verb === "End" ? Infinity : 0));
  if (event.who === "caller") shown.caller = event.text;
  const item = document.createElement("li");
  item.className = `ev ev-${event.verb === "End" ? "end" : event.who} ev-${event.verb.toLowerCase()}`;
  const head = element("div", "ev-head");
  head.append(element("span", "verb", event.who === "caller" ? "You" : event.verb));
  if (event.voice) head.append(element("span", "who", event.voice));
  if (event.language) head.append(element("span", "lang", event.language));
  // The server names the one node that said the line (or where the caller answered).
  if (event.node) head.append(element("span", "node", event.node));
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
  // Scroll the transcript's own box, never the page: the keypad stays where it is.
  ui.transcript.scrollTop = ui.transcript.scrollHeight;
  ui.plain.textContent += [event.line, ...event.problems.map((p) => p.line)].join("\n") + "\n";
  if (event.verb === "Say") {
    ui.prompt.textContent = event.text;
    ui.prompt.lang = browserLanguage(event.language) || "";
    if (!replaying) speak(event.text, event.language);
  }
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
  call.events = [];
  Object.assign(shown, { step: 0, caller: null, callers: new Map() });
}

// -- each step explained: a <details> per document the call fetched -----------------

function showStepsUpTo(last) {
  const numbers = Object.keys(call.steps).map(Number).sort((a, b) => a - b);
  for (const n of numbers) {
    if (n <= shown.step || n > last) continue;
    addStepItem(call.steps[n]);
    shown.step = n;
  }
}

function addStepItem(step) {
  // What the caller did is the line just before this document was asked for.
  shown.callers.set(step.n, shown.caller);
  shown.caller = null;
  const item = element("li", "step-item");
  const details = element("details", "step");
  details.dataset.step = String(step.n);
  const summary = element("summary");
  const why = step.decision && step.decision.why;
  summary.append(element("span", "step-n", `Step ${step.n}`),
    element("span", "step-why", why || step.request));
  details.append(summary);
  // Filled when opened (again on each opening): hidden text never sits in the transcript.
  details.addEventListener("toggle", () => {
    if (details.open) details.replaceChildren(summary, stepBody(step.n));
    else details.replaceChildren(summary);
    if (details.open) revealInTranscript(details);
  });
  item.append(details);
  ui.transcript.append(item);
}

function stepBody(n) {
  const step = call.steps[n];
  const body = element("div", "step-body");
  const facts = element("dl", "facts");
  const fact = (label, text, className = "") => {
    facts.append(element("dt", "", label), element("dd", className, text));
  };
  fact("Request", step.request, "mono");
  const caller = shown.callers.get(n);
  if (caller) fact("Caller", caller);
  fact("Why", step.decision ? step.decision.why
    : "The app does not say (only this project's app explains its decisions).");
  const own = call.events.filter((event) => event.step === n && event.who === "app");
  const speakers = [...new Set(own.filter((e) => e.verb === "Say" && e.node).map((e) => e.node))];
  if (speakers.length) fact("Spoken by", speakers.join(", "));
  const gathers = own.filter((e) => e.gather);
  for (const event of gathers) fact("Gather", event.gather.text);
  body.append(facts);
  for (const event of gathers.filter((e) => e.gather.hints)) {
    body.append(lazyDetails("All hints", () => element("p", "hints", event.gather.hints)));
  }
  body.append(lazyDetails(`Request fields (${Object.keys(step.params).length})`, () => {
    const list = element("dl", "params");
    for (const [name, value] of Object.entries(step.params)) {
      list.append(element("dt", "", name), element("dd", "", value));
    }
    return list;
  }));
  body.append(lazyDetails(`TwiML · ${step.status} ${step.content_type}`.trim(),
    () => element("pre", "twiml", step.twiml || "(no body)")));
  return body;
}

// A <details> whose content is made when it is opened.
function lazyDetails(title, make) {
  const details = element("details", "raw");
  const summary = element("summary", "", title);
  details.append(summary);
  details.addEventListener("toggle", () => {
    details.replaceChildren(summary, ...(details.open ? [make()] : []));
    if (details.open) revealInTranscript(details);
  });
  return details;
}

// Scroll the transcript's own box (never the page) so an opened part shows, top first.
function revealInTranscript(part) {
  const box = ui.transcript.getBoundingClientRect();
  const shown = part.getBoundingClientRect();
  if (shown.bottom > box.bottom) {
    ui.transcript.scrollTop += Math.min(shown.bottom - box.bottom, shown.top - box.top);
  }
}

// -- the clock: the menu's local time and hours, as the server judges them ----------

function clockText(clock) {
  const [first] = clock.verdicts;
  const fixed = clock.fixed ? `clock fixed at ${clock.fixed}` : "the server's clock";
  const time = first ? `${first.clock}, ${fixed}` : `The menu keeps no hours; ${fixed}`;
  const hours = clock.verdicts.map((v) => `${v.schedule}: ${v.text}`
    + (v.timezone === first.timezone ? "" : ` (${v.clock})`));
  return { time, hours: hours.join(" · ") };
}

function showClock(clock) {
  const { time, hours } = clockText(clock);
  ui.clockTime.textContent = time;
  ui.clockHours.textContent = hours;
}

function addClockItem(clock) {
  const { time, hours } = clockText(clock);
  const item = element("li", "ev ev-clock");
  const head = element("div", "ev-head");
  head.append(element("span", "verb", "Clock"));
  item.append(head, element("p", "ev-text", time));
  if (hours) item.append(element("p", "ev-line", hours));
  ui.transcript.append(item);
}

// The time and hours for the call's clock, or before a call for the picker's time.
let clockAsked = 0;
async function askClock() {
  const active = ["starting", "running", "waiting"].includes(call.state);
  const at = active && call.settings ? call.settings.at : ui.at.value;
  const asked = ++clockAsked;
  try {
    const clock = await request("GET", `/clock?at=${encodeURIComponent(at || "")}`);
    if (asked === clockAsked) showClock(clock);
  } catch (error) {
    if (asked === clockAsked) {
      ui.clockTime.textContent = `The clock cannot be read: ${error.message}`;
      ui.clockHours.textContent = "";
    }
  }
}

function updateControls() {
  const active = ["starting", "running", "waiting"].includes(call.state);
  const wait = call.state === "waiting" && !call.busy ? call.waiting : null;
  ui.call.textContent = active ? "Hang up" : "Call";
  ui.call.classList.toggle("hangup", active);
  for (const field of [ui.from, ui.lang, ui.at]) field.disabled = active;
  for (const button of ui.presets.querySelectorAll("button")) button.disabled = active;
  const gather = wait && wait.kind === "gather";
  const speech = gather && wait.input.includes("speech");
  ui.silence.disabled = !(gather || (wait && wait.kind === "record"));
  setFormEnabled(ui.speechForm, speech);
  setFormEnabled(ui.messageForm, takesMessage(wait));
  ui.transfer.disabled = !(wait && wait.kind === "dial");
  ui.transfer.classList.toggle("waiting-for", !ui.transfer.disabled);
  ui.messageForm.classList.toggle("waiting-for", takesMessage(wait));
  ui.replay.disabled = active || !lastCall();
  const exportable = call.id && !call.settings?.node && call.inputs.length > 0;
  if (exportable) ui.export.href = `${API}/calls/${call.id}/scenario`;
  else ui.export.removeAttribute("href");
  ui.export.setAttribute("aria-disabled", String(!exportable));
  ui.export.title = call.settings?.node
    ? "A call started at a node cannot be a scenario: ivr test starts at the beginning"
    : "Download this call as a tests/calls scenario for ivr test";
  setPlaceholders();
}

function setFormEnabled(form, enabled) {
  for (const field of form.querySelectorAll("input, button")) field.disabled = !enabled;
}

// The focus goes to the control the call needs next, so the keyboard never has to hunt.
function placeFocus() {
  const active = document.activeElement;
  const lostFocus = !active || active === document.body || active.disabled;
  if (!call.focusPending && !lostFocus) return;
  let target = null;
  const wait = call.state === "waiting" ? call.waiting : null;
  if (call.state === "ended" || call.state === "idle") target = ui.call;
  else if (!wait) target = lostFocus ? ui.call : null;  // running: Hang up stays within reach
  else if (wait.kind === "dial") target = ui.transfer.querySelector("button");
  else if (takesMessage(wait)) target = ui.message;
  else if (call.lastUsed === "speech" && !ui.speech.disabled) target = ui.speech;
  else if (active && active.classList.contains("key")) target = active;
  else target = document.querySelector(".key[data-key='1']");
  if (wait) call.focusPending = false;
  if (target && target !== active) {
    // A key keeps the page where it is (on a phone's screen scrolling would take the
    // keypad away); any other control is scrolled into view with its group, so the focus
    // never lands below the fold.
    const onKeypad = target.classList.contains("key");
    target.focus({ preventScroll: true });
    if (!onKeypad) {
      (target.closest("#transfer, #message-form") || target).scrollIntoView({ block: "nearest" });
    }
  }
  if (call.state === "ended") call.focusPending = false;
}

// The words the page says in the call's language.
const WORDS = {
  zh: {
    speech: "例如：我的账户被锁定了", message: "请在提示音后留言",
    reconnecting: "无法连接服务器，正在重新连接…",
  },
  en: {
    speech: "e.g. my account is locked", message: "Your message",
    reconnecting: "The server cannot be reached. Reconnecting…",
  },
};

function callLanguage() {
  const wait = call.waiting;
  const listens = wait && wait.kind === "gather" && (wait.input || []).includes("speech");
  return (listens && wait.language)
    || lastLanguage() || call.settings?.lang || ui.lang.value || "en";
}

function callWords() {
  return /^(cmn|zh|yue)/i.test(callLanguage()) ? WORDS.zh : WORDS.en;
}

// The boxes speak the call's language: the menu's speech language, else its words' one,
// else the chosen one (a keys-only <Gather> has only Twilio's default, en-US).
function setPlaceholders() {
  const words = callWords();
  const tag = browserLanguage(callLanguage()) || "en";
  for (const [field, text] of [[ui.speech, words.speech], [ui.message, words.message]]) {
    field.placeholder = text;
    field.lang = tag;
  }
}

// The language of the latest document's first words: a menu may close with an offer in
// another language ("For English, press 9." after a Mandarin menu) that the call is not in.
function lastLanguage() {
  const said = call.events.filter((event) => event.verb === "Say" && event.language);
  if (!said.length) return null;
  const step = said[said.length - 1].step;
  return said.find((event) => event.step === step).language;
}

// -- keeping things across a reload -------------------------------------------------

function saveSettings() {
  localStorage.setItem(SETTINGS_KEY, JSON.stringify({
    from: ui.from.value, lang: ui.lang.value, at: ui.at.value, realtime: ui.realtime.checked,
  }));
}

function loadSettings() {
  let saved = null;
  try {
    saved = JSON.parse(localStorage.getItem(SETTINGS_KEY) || "null");
  } catch {
    return;
  }
  if (!saved) return;
  if (saved.from) ui.from.value = saved.from;
  if ([...ui.lang.options].some((o) => o.value === saved.lang)) ui.lang.value = saved.lang;
  ui.at.value = saved.at || "";
  ui.realtime.checked = Boolean(saved.realtime);
}

function saveCall() {
  sessionStorage.setItem(CALL_KEY, JSON.stringify({
    id: call.id, next: call.next, state: call.state, events: call.events,
    settings: call.settings, inputs: call.inputs, status: ui.status.textContent,
    steps: call.steps, clock: call.clock,
  }));
}

// Show the transcript kept before the reload, then ask the server for the call itself.
function restoreCall() {
  let saved = null;
  try {
    saved = JSON.parse(sessionStorage.getItem(CALL_KEY) || "null");
  } catch {
    return;
  }
  if (!saved || !saved.events) return;
  call.steps = saved.steps || {};
  call.clock = saved.clock || null;
  if (call.clock) {
    addClockItem(call.clock);
    showClock(call.clock);
  }
  for (const event of saved.events) addEvent(event, true);
  Object.assign(call, {
    id: saved.id, next: saved.next, settings: saved.settings, inputs: saved.inputs || [],
    state: saved.state === "ended" ? "ended" : "running",
  });
  setStatus(saved.status || "");
  updateControls();
  if (saved.state === "ended" || !saved.id) return;
  const id = saved.id;
  enqueue(async () => {
    try {
      await resync(id);
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) {
        endLocally("The call ended while the page was away (kept: its transcript).");
      } else {
        throw error;
      }
    }
  });
}

function lastCall() {
  try {
    const last = JSON.parse(localStorage.getItem(LAST_KEY) || "null");
    return last && last.settings && Array.isArray(last.inputs) && last.inputs.length ? last : null;
  } catch {
    return null;
  }
}

// -- replay: the last call's inputs, one at each wait --------------------------------

const FITS = {
  gather: ["keys", "speech", "silence"], dial: ["dial"], record: ["message"],
};

function replayNext() {
  const action = call.replay[0];
  const wait = call.waiting;
  const fits = action.type === "message" ? takesMessage(wait) : FITS[wait.kind].includes(action.type);
  if (!fits) {
    const step = call.inputs.length + 1;
    call.replay = [];
    setStatus(`Replay stopped at input ${step}: the call now waits for ${wait.kind}, `
      + `not ${action.type}. ${describeWait(wait)}`, true);
    return;
  }
  call.replay.shift();
  send(action);
}

function replayLast() {
  const last = lastCall();
  if (!last) return;
  placeCall({ settings: last.settings, replay: [...last.inputs] });
}

// -- sound: the prompts, and key tones -----------------------------------------------

let muted = localStorage.getItem("ivr-simulator-muted") === "1";
let toneContext = null;

function browserLanguage(language) {
  if (!language) return null;
  if (/^(cmn|zh)/i.test(language)) return /TW|Hant-TW/i.test(language) ? "zh-TW" : "zh-CN";
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

function noteVoices(settled = false) {
  const voices = window.speechSynthesis ? speechSynthesis.getVoices() : [];
  let note = "";
  if (!window.speechSynthesis) {
    note = "This browser cannot speak: the prompts are shown, not heard.";
  } else if (!voices.length && settled) {
    // Voices can arrive late (voiceschanged); after a moment without any, say so.
    note = "This browser has no speech voices: the prompts are shown, not heard.";
  } else if (voices.length && !voiceFor("zh-CN")) {
    note = "No Mandarin voice in this browser: Chinese prompts may be read "
      + "by another voice or not at all.";
  }
  ui.voiceNote.textContent = note;
  ui.voiceNote.hidden = !note;
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

// -- the menu diagram: zoom, pan, the path taken, a call from any node ---------------

async function drawMenu() {
  let menu;
  try {
    menu = await request("GET", "/menu");
  } catch (error) {
    ui.diagram.textContent = `The menu could not be loaded: ${error.message}`;
    return;
  }
  addPresets(menu.presets);
  graph.start = menu.start;
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
  const svg = ui.diagram.querySelector("svg");
  const box = svg.viewBox.baseVal;
  graph.size = { width: box.width, height: box.height };
  // Mermaid names each node's group "flowchart-<node id>-<n>", each edge "L_<from>_<to>_<n>".
  for (const group of ui.diagram.querySelectorAll("g.node[id]")) {
    const match = /flowchart-(.+)-\d+$/.exec(group.id);
    if (!match) continue;
    const node = match[1];
    graph.nodes.set(node, group);
    group.dataset.node = node;
    group.setAttribute("tabindex", "0");
    group.setAttribute("role", "button");
    group.setAttribute("aria-label", `Call from ${node}`);
  }
  graph.edges = [...ui.diagram.querySelectorAll("path[data-id^='L_']")];
  // Each edge's label (the key, "then", "open"), by the edge's id.
  graph.labels = new Map([...ui.diagram.querySelectorAll(".edgeLabel .label[data-id^='L_']")]
    .map((label) => [label.dataset.id, label.textContent.trim()]));
  // The labels' own size (in the diagram's units) decides what zoom is readable.
  const label = ui.diagram.querySelector("g.node .nodeLabel, g.node text");
  graph.font = (label && parseFloat(getComputedStyle(label).fontSize)) || 16;
  applyZoom();
  markPath();
  highlight(graph.current);
}

// The zoom that puts the whole diagram inside the pane.
function fitZoom() {
  const style = getComputedStyle(ui.diagram);
  const width = ui.diagram.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  const height = ui.diagram.clientHeight - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom);
  return Math.min(width / graph.size.width, height / graph.size.height);
}

function applyZoom() {
  const svg = ui.diagram.querySelector("svg");
  if (!svg || !graph.size) return;
  if (graph.mode === "fit") graph.zoom = fitZoom();
  // Follow: the whole menu when it is readable so, else readable and scrolled to the call.
  else if (graph.mode === "follow") graph.zoom = Math.max(Math.min(fitZoom(), 1), READABLE_PX / graph.font);
  svg.setAttribute("width", String(Math.floor(graph.size.width * graph.zoom)));
  svg.setAttribute("height", String(Math.floor(graph.size.height * graph.zoom)));
  svg.style.maxWidth = "none";
  ui.fit.setAttribute("aria-pressed", String(graph.mode === "fit"));
  ui.follow.setAttribute("aria-pressed", String(graph.mode === "follow"));
  if (graph.mode === "follow") centre(graph.current || graph.start);
}

// Scroll the diagram's own box (never the page) so the node sits in its middle.
function centre(node) {
  const group = node && graph.nodes.get(node);
  if (!group) return;
  const pane = ui.diagram.getBoundingClientRect();
  const box = group.getBoundingClientRect();
  ui.diagram.scrollTop += box.top - pane.top - pane.height / 2 + box.height / 2;
  ui.diagram.scrollLeft += box.left - pane.left - pane.width / 2 + box.width / 2;
}

function zoomBy(factor) {
  const pane = ui.diagram;
  // Keep the middle of the view where it is.
  const middle = {
    x: (pane.scrollLeft + pane.clientWidth / 2) / graph.zoom,
    y: (pane.scrollTop + pane.clientHeight / 2) / graph.zoom,
  };
  graph.mode = "free";
  graph.zoom = Math.min(4, Math.max(0.05, graph.zoom * factor));
  applyZoom();
  pane.scrollLeft = middle.x * graph.zoom - pane.clientWidth / 2;
  pane.scrollTop = middle.y * graph.zoom - pane.clientHeight / 2;
}

function highlight(node) {
  graph.current = node;
  for (const group of ui.diagram.querySelectorAll("g.node.current")) {
    group.classList.remove("current");
  }
  markPath();
  const group = node && graph.nodes.get(node);
  if (!group) return;
  group.classList.add("current");
  // Scroll the diagram pane, never the page, so the phone stays where it is.
  const pane = ui.diagram.getBoundingClientRect();
  const box = group.getBoundingClientRect();
  if (box.top < pane.top || box.bottom > pane.bottom || box.left < pane.left
      || box.right > pane.right) {
    centre(node);
  }
}

// The nodes the call passed, in order: each step's route as the server sent it, which
// names the nodes that say nothing (agent, between main and agent_dial) as well. An app
// that names no route leaves only the nodes that spoke its lines. Each move into a step
// carries the keys that made it, to tell apart two edges between the same nodes.
function callPath() {
  const path = [];
  const numbers = Object.keys(call.steps).map(Number).sort((a, b) => a - b);
  for (const n of numbers) {
    const step = call.steps[n];
    const route = step.nodes || [];
    const nodes = route.length ? route
      : call.events.filter((event) => event.step === n && event.node).map((event) => event.node);
    let keys = (step.params && step.params.Digits) || null;
    for (const node of nodes) {
      if (path.length && node === path[path.length - 1].node) continue;
      path.push({ node, keys });
      keys = null;
    }
  }
  return path;
}

// Mark the nodes the call visited and the edges it took between them.
function markPath() {
  const path = callPath();
  const visited = new Set(path.map((stop) => stop.node));
  if (graph.current) visited.add(graph.current);
  for (const [node, group] of graph.nodes) group.classList.toggle("visited", visited.has(node));
  markEdges(path);
}

function markEdges(path) {
  const taken = new Set();
  for (let i = 1; i < path.length; i++) {
    const prefix = `L_${path[i - 1].node}_${path[i].node}_`;
    const joining = graph.edges.filter((edge) => edge.dataset.id.startsWith(prefix)
      && /^\d+$/.test(edge.dataset.id.slice(prefix.length)));
    // Two edges join main and agent ("0", "too many tries"): the one labelled with the
    // keys pressed; when none is (speech, a timeout) any of them may have been taken.
    const labelled = joining.filter((edge) => path[i].keys
      && graph.labels.get(edge.dataset.id) === path[i].keys);
    for (const edge of labelled.length ? labelled : joining) taken.add(edge);
  }
  for (const edge of graph.edges) edge.classList.toggle("taken", taken.has(edge));
}

function callFrom(node) {
  if (["starting", "running", "waiting"].includes(call.state)) {
    setStatus(`Hang up first to call from ${node}.`, true);
    return;
  }
  placeCall({ node });
}

// Drag the diagram to pan it; a click (no drag) on a node calls from there.
function wirePan() {
  let drag = null;
  ui.diagram.addEventListener("pointerdown", (event) => {
    if (event.button !== 0) return;
    drag = { x: event.clientX, y: event.clientY, left: ui.diagram.scrollLeft,
      top: ui.diagram.scrollTop, moved: false };
  });
  ui.diagram.addEventListener("pointermove", (event) => {
    if (!drag) return;
    const dx = event.clientX - drag.x;
    const dy = event.clientY - drag.y;
    if (!drag.moved && Math.hypot(dx, dy) < 5) return;
    if (!drag.moved) ui.diagram.setPointerCapture(event.pointerId);
    drag.moved = true;
    ui.diagram.classList.add("panning");
    ui.diagram.scrollLeft = drag.left - dx;
    ui.diagram.scrollTop = drag.top - dy;
  });
  const end = (event) => {
    if (!drag) return;
    const moved = drag.moved;
    drag = null;
    ui.diagram.classList.remove("panning");
    if (moved) return;
    const group = event.target.closest && event.target.closest("g.node[data-node]");
    if (group) callFrom(group.dataset.node);
  };
  ui.diagram.addEventListener("pointerup", end);
  ui.diagram.addEventListener("pointercancel", () => { drag = null; });
  ui.diagram.addEventListener("keydown", (event) => {
    const group = event.target.closest && event.target.closest("g.node[data-node]");
    if (group && (event.key === "Enter" || event.key === " ")) {
      event.preventDefault();
      callFrom(group.dataset.node);
    }
  });
  ui.diagram.addEventListener("wheel", (event) => {
    if (!event.ctrlKey) return;  // a plain wheel scrolls; with Ctrl (or a pinch) it zooms
    event.preventDefault();
    zoomBy(event.deltaY < 0 ? 1.15 : 1 / 1.15);
  }, { passive: false });
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
  updateControls();
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
  if (["starting", "running", "waiting"].includes(call.state)) hangUp();
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
  call.lastUsed = "speech";
  send({ type: "speech", text });
});

ui.messageForm.addEventListener("submit", (event) => {
  event.preventDefault();
  const text = ui.message.value.trim();
  ui.message.value = "";
  // "Leave it and hang up": the message ends with the hang-up, as most callers end one.
  const hangup = Boolean(event.submitter && event.submitter.dataset.hangup);
  send(hangup ? { type: "message", text, hangup } : { type: "message", text });
});

for (const button of ui.transfer.querySelectorAll("button")) {
  button.addEventListener("click", () => send({ type: "dial", status: button.dataset.dial }));
}

ui.presets.addEventListener("click", (event) => {
  const button = event.target.closest("button");
  if (!button) return;
  ui.at.value = button.dataset.at;
  markPreset();
  saveSettings();
  askClock();
});
ui.at.addEventListener("input", () => { markPreset(); saveSettings(); askClock(); });
ui.clockCheck.addEventListener("click", askClock);
for (const field of [ui.from, ui.lang, ui.realtime]) {
  field.addEventListener("change", () => { saveSettings(); setPlaceholders(); });
}
ui.realtime.addEventListener("change", () => {
  if (!ui.realtime.checked) stopCountdown();
  else if (call.state === "waiting" && call.waiting.kind === "gather") startCountdown(call.waiting);
});

ui.mute.addEventListener("click", () => setMuted(!muted));
ui.replay.addEventListener("click", replayLast);
ui.export.addEventListener("click", (event) => {
  if (ui.export.getAttribute("aria-disabled") === "true") event.preventDefault();
});

ui.fit.addEventListener("click", () => {
  graph.mode = "fit";
  applyZoom();
  highlight(graph.current);
});
ui.follow.addEventListener("click", () => {
  graph.mode = "follow";
  applyZoom();
});
ui.zoomIn.addEventListener("click", () => zoomBy(1.25));
ui.zoomOut.addEventListener("click", () => zoomBy(1 / 1.25));
window.addEventListener("resize", () => { if (graph.mode !== "free") applyZoom(); });
wirePan();

// A reload keeps the call (see restoreCall); a closed tab's call ends after the server's
// idle expiry, so nothing is sent when the page goes away.

if (window.speechSynthesis) speechSynthesis.addEventListener("voiceschanged", () => noteVoices());
setMuted(muted);
loadSettings();
markPreset();
restoreCall();
for (const [id, since] of Object.entries(pendingHangUps())) tellHangUp(id, since);
updateControls();
noteVoices();
setTimeout(() => noteVoices(true), 1500);
if (!call.clock) askClock();
drawMenu();
