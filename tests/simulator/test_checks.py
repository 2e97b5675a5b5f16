"""The checker reports each TwiML mistake with Twilio's code, at the element it is in."""

from __future__ import annotations

import pytest

from ivr.simulator import Response, TwimlProblem, WsgiTransport, check_response
from ivr.simulator.checks import CODES, NESTED_CODES, SCHEMA

from .conftest import BASE, doc, twiml_app

ZH = "欢迎致电客户服务中心"


def served(body: str | bytes, mimetype: str = "text/xml", status: int = 200) -> Response:
    """Serve body from a Flask app and fetch it the way the simulator does."""
    from flask import Response as FlaskResponse

    app, _ = twiml_app({"/voice": lambda: FlaskResponse(body, status=status, mimetype=mimetype)})
    return WsgiTransport(app, BASE).request("POST", "/voice", {}, {})


def problems_in(body: str) -> list[TwimlProblem]:
    root, problems = check_response(served(doc(body)))
    assert root is not None, problems
    return problems


# --- whole-document failures: Twilio cannot run the document at all ----------------------

FATAL = [
    pytest.param(doc("<Say>x</Say>"), "text/xml", 500, 11200, id="http-500"),
    pytest.param(doc("<Say>x</Say>"), "text/xml", 404, 11200, id="http-404"),
    pytest.param(doc("<Say>x</Say>"), "text/html", 200, 12300, id="html-content-type"),
    pytest.param(doc("<Say>x</Say>"), "application/json", 200, 12300, id="json-content-type"),
    # TWIML.md: 11770 is documented for an empty chunked body; a plain one is 12100
    pytest.param("", "text/xml", 200, 12100, id="empty-body"),
    pytest.param("  \n ", "text/xml", 200, 12100, id="blank-body"),
    pytest.param(doc("<Say>" + "x" * 70_000 + "</Say>"), "text/xml", 200, 11750, id="too-big"),
    pytest.param("<Response><Say>hi</Response>", "text/xml", 200, 12100, id="not-well-formed"),
    pytest.param("Hello there", "text/xml", 200, 12100, id="not-xml"),
    pytest.param("<Respons><Say>hi</Say></Respons>", "text/xml", 200, 12102, id="wrong-root"),
    pytest.param("<response/>", "text/xml", 200, 12102, id="root-wrong-case"),
]


@pytest.mark.parametrize(("body", "mimetype", "status", "code"), FATAL)
def test_document_failures_are_fatal(body: str, mimetype: str, status: int, code: int) -> None:
    """A document Twilio cannot use gives no root and one error-level problem."""
    root, problems = check_response(served(body, mimetype, status))
    assert root is None
    assert [(p.code, p.severity) for p in problems] == [(code, "error")]
    assert problems[0].url == f"{BASE}/voice"


@pytest.mark.parametrize(
    ("headers", "code"),
    [
        ({"transfer-encoding": "chunked"}, 11770),
        ({"Transfer-Encoding": "chunked"}, 11770),
        ({}, 12100),
    ],
)
def test_an_empty_body_is_11770_only_when_chunked(headers: dict[str, str], code: int) -> None:
    """Review (#19): every empty 200 was 11770, which Twilio documents for a chunked one."""
    resp = Response(200, "text/xml", b"", 0.0, BASE, headers)
    root, problems = check_response(resp)
    assert root is None and [p.code for p in problems] == [code]
    assert "empty" in problems[0].message


def test_a_plain_text_answer_is_read_aloud() -> None:
    """TWIML.md: text/plain is read aloud (the simulator ended the call with 12300)."""
    resp = Response(200, "text/plain; charset=utf-8", "您好 & welcome".encode(), 0.0, BASE)
    root, problems = check_response(resp)
    assert problems == [] and root is not None
    assert [(el.tag, el.text) for el in root] == [("Say", "您好 & welcome")]


@pytest.mark.parametrize(
    "number",
    ["415-123-4567", "(415) 555-1212", "+1 (415) 555-1212", "4155551212", "+8610555000111"],
)
def test_twilio_takes_unformatted_us_numbers(number: str) -> None:
    """Twilio's own first <Dial> example is <Dial>415-123-4567</Dial>: no 13223."""
    assert problems_in(f"<Dial>{number}</Dial><Hangup/>") == []
    assert problems_in(f"<Dial><Number>{number}</Number></Dial><Hangup/>") == []


@pytest.mark.parametrize("mimetype", ["text/xml", "application/xml"])
@pytest.mark.parametrize("charset", ["", "; charset=utf-8", ";charset=UTF-8"])
def test_xml_content_types_are_accepted(mimetype: str, charset: str) -> None:
    """text/xml and application/xml run as TwiML whatever their charset."""
    resp = Response(200, mimetype + charset, doc("<Hangup/>").encode(), 0.0, f"{BASE}/voice")
    root, problems = check_response(resp)
    assert root is not None and root.tag == "Response"
    assert problems == []


def test_body_just_under_the_limit_is_accepted() -> None:
    """64 KB is the limit, not less."""
    body = doc("<Say>" + "x" * 4000 + "</Say>").encode()
    body += b" " * (64 * 1024 - len(body))
    root, problems = check_response(Response(200, "text/xml", body, 0.0, "u"))
    assert root is not None and problems == []


# --- schema, nesting and attribute values, one row per rule -----------------------------

RULES = [
    # names: unknown, wrong case, misplaced
    ("<say>hi</say>", 12200, "Response/say[1]", "did you mean <Say>?"),
    ("<Sya>hi</Sya>", 12200, "Response/Sya[1]", "did you mean <Say>?"),
    ("<Foo/>", 12200, "Response/Foo[1]", "unknown element <Foo>"),
    (
        '<Gather numdigits="1"><Say>x</Say></Gather><Hangup/>',
        12200,
        "Response/Gather[1]",
        "unknown attribute 'numdigits' on <Gather> (did you mean 'numDigits'?)",
    ),
    ('<Say colour="red">x</Say>', 12200, "Response/Say[1]", "unknown attribute 'colour'"),
    ("<Hangup reason='busy'/>", 12200, "Response/Hangup[1]", "unknown attribute 'reason'"),
    ("<Number>+8610555000111</Number>", 12200, "Response/Number[1]", "not a verb"),
    ("hello<Say>x</Say>", 12200, "Response", "cannot contain text ('hello')"),
    ("<Say>x</Say> goodbye", 12200, "Response", "cannot contain text ('goodbye')"),
    ("<Gather>press 1</Gather><Hangup/>", 12200, "Response/Gather[1]", "cannot contain text"),
    ("<Pause>3</Pause>", 12200, "Response/Pause[1]", "cannot contain text"),
    ("<Play/>", 12200, "Response/Play[1]", "needs an audio URL or a digits attribute"),
    ("<Say>x</Say><Reject/>", 12200, "Response/Reject[1]", "must be the first verb"),
    # nesting: verbs inside verbs
    ("<Say>hi<Pause/></Say>", 12200, "Response/Say[1]", "<Pause> is not SSML"),
    ("<Pause><Say>x</Say></Pause>", 12200, "Response/Pause[1]/Say[1]", "takes no elements"),
    ("<Play>a.mp3<Say>x</Say></Play>", 12200, "Response/Play[1]/Say[1]", "takes no elements"),
    ("<Record><Say>x</Say></Record>", 12200, "Response/Record[1]/Say[1]", "takes no elements"),
    ("<Hangup><Say>x</Say></Hangup>", 12200, "Response/Hangup[1]/Say[1]", "takes no elements"),
    ("<Reject><Say>x</Say></Reject>", 12200, "Response/Reject[1]/Say[1]", "takes no elements"),
    (
        "<Redirect>/v<Say>x</Say></Redirect>",
        12200,
        "Response/Redirect[1]/Say[1]",
        "takes no elements",
    ),
    (
        "<Gather><Dial>+8610555000111</Dial></Gather><Hangup/>",
        13320,
        "Response/Gather[1]/Dial[1]",
        "may contain only <Pause>, <Play>, <Say>",
    ),
    (
        "<Gather><Gather/></Gather><Hangup/>",
        13320,
        "Response/Gather[1]/Gather[1]",
        "<Gather> cannot be nested in <Gather>",
    ),
    ("<Gather><Record/></Gather><Hangup/>", 13320, "Response/Gather[1]/Record[1]", "Record"),
    ("<Dial><Say>x</Say></Dial>", 13215, "Response/Dial[1]/Say[1]", "may contain only"),
    # Gather attributes
    ('<Gather timeout="0"/><Hangup/>', 13313, "Response/Gather[1]", "invalid timeout='0'"),
    ('<Gather timeout="five"/><Hangup/>', 13313, "Response/Gather[1]", "integer >= 1"),
    ('<Gather numDigits="0"/><Hangup/>', 13314, "Response/Gather[1]", "numDigits"),
    ('<Gather finishOnKey="ab"/><Hangup/>', 13310, "Response/Gather[1]", "finishOnKey"),
    ('<Gather finishOnKey="##"/><Hangup/>', 13310, "Response/Gather[1]", "finishOnKey"),
    ('<Gather input="voice"/><Hangup/>', 13326, "Response/Gather[1]", "input"),
    ('<Gather input="dtmf dtmf"/><Hangup/>', 13326, "Response/Gather[1]", "input"),
    (
        '<Gather input="speech" language="zh"/><Hangup/>',
        13512,
        "Response/Gather[1]",
        "language-REGION",
    ),
    # Review 8, F11: a language speech recognition does not take passed silently
    (
        '<Gather input="speech" language="xx-YY"/><Hangup/>',
        13512,
        "Response/Gather[1]",
        "invalid language='xx-YY': is not a language Twilio's speech recognition supports",
    ),
    (
        '<Gather input="speech" language="en-us"/><Hangup/>',
        13512,
        "Response/Gather[1]",
        "did you mean 'en-US'?",
    ),
    (
        '<Gather><Say voice="Polly.Nobody">x</Say></Gather><Hangup/>',
        13321,
        "Response/Gather[1]/Say[1]",
        "Amazon Polly has no voice 'Nobody'",
    ),
    ('<Gather speechTimeout="soon"/><Hangup/>', 13327, "Response/Gather[1]", "speechTimeout"),
    ('<Gather maxSpeechTime="0"/><Hangup/>', 13328, "Response/Gather[1]", "maxSpeechTime"),
    ('<Gather actionOnEmptyResult="yes"/><Hangup/>', 13338, "Response/Gather[1]", "'true'"),
    ('<Gather method="PUT"/><Hangup/>', 13312, "Response/Gather[1]", "'GET', 'POST'"),
    ('<Gather method="post"/><Hangup/>', 13312, "Response/Gather[1]", "did you mean 'POST'?"),
    ('<Gather bargeIn="no"/><Hangup/>', 13332, "Response/Gather[1]", "bargeIn"),
    ('<Gather profanityFilter="1"/><Hangup/>', 13333, "Response/Gather[1]", "profanityFilter"),
    (
        '<Gather partialResultCallbackMethod="PUT"/><Hangup/>',
        13329,
        "Response/Gather[1]",
        "partialResultCallbackMethod",
    ),
    (
        '<Gather><Say voice="robot">x</Say></Gather><Hangup/>',
        13321,
        "Response/Gather[1]/Say[1]",
        "voice",
    ),
    (
        '<Gather><Say loop="-1">x</Say></Gather><Hangup/>',
        13322,
        "Response/Gather[1]/Say[1]",
        "loop",
    ),
    (
        f'<Gather><Say voice="Polly.Joanna">{ZH}</Say></Gather><Hangup/>',
        13321,
        "Response/Gather[1]/Say[1]",
        "cannot speak it",
    ),
    ("<Gather><Say>x</Say></Gather>", "SIM001", "Response/Gather[1]", "last verb"),
    (
        '<Say>x</Say><Gather numDigits="1"/><Say>y</Say><Gather/>',
        "SIM001",
        "Response/Gather[2]",
        "last verb",
    ),
    # Say
    ('<Say loop="-1">x</Say>', 13510, "Response/Say[1]", "invalid loop='-1'"),
    ('<Say loop="twice">x</Say>', 13510, "Response/Say[1]", "loop"),
    ('<Say voice="robot">x</Say>', 13511, "Response/Say[1]", "invalid voice='robot'"),
    ('<Say voice="Polly">x</Say>', 13511, "Response/Say[1]", "voice"),
    ('<Say language="Chinese">x</Say>', 13512, "Response/Say[1]", "language"),
    ('<Say voice="Polly.Nobody">hi</Say>', 13511, "Response/Say[1]", "no voice 'Nobody'"),
    ('<Say voice="Polly.Joana">hi</Say>', 13511, "Response/Say[1]", "'Polly.Joanna'?"),
    ('<Say voice="Polly.Joanna-Turbo">hi</Say>', 13511, "Response/Say[1]", "voice"),
    ('<Say voice="Google.en-US-Fancy-A">hi</Say>', 13511, "Response/Say[1]", "Google."),
    (
        '<Say voice="Polly.Zhiyu" language="en-US">Hello there</Say>',
        13512,
        "Response/Say[1]",
        "voice 'Polly.Zhiyu' speaks cmn-CN, not language='en-US' (use language 'cmn-CN'",
    ),
    (
        '<Say voice="Google.cmn-CN-Standard-A" language="fr-FR">Bonjour</Say>',
        13512,
        "Response/Say[1]",
        "speaks cmn-CN",
    ),
    ("<Say></Say>", 13520, "Response/Say[1]", "no text"),
    ("<Say>   </Say>", 13520, "Response/Say[1]", "no text"),
    ("<Say>" + "x" * 4097 + "</Say>", 13521, "Response/Say[1]", "at most 4096"),
    ('<Say voice="Polly.Joanna">' + "x" * 3001 + "</Say>", 13521, "Response/Say[1]", "3000"),
    (
        '<Say voice="Google.en-US-Standard-C">' + "x" * 5001 + "</Say>",
        13521,
        "Response/Say[1]",
        "5000",
    ),
    (f"<Say>{ZH}</Say>", 13511, "Response/Say[1]", "language 'en-US', which cannot speak it"),
    (
        f'<Say voice="Polly.Joanna" language="zh-CN">{ZH}</Say>',
        13511,
        "Response/Say[1]",
        "voice 'Polly.Joanna'",
    ),
    (f'<Say voice="woman">{ZH}</Say>', 13511, "Response/Say[1]", "cannot speak it"),
    # Play and Pause
    ('<Play loop="x">a.mp3</Play>', 13410, "Response/Play[1]", "loop"),
    ('<Play digits="12a"/>', 13430, "Response/Play[1]", "digits"),
    ('<Pause length="0"/>', 13910, "Response/Pause[1]", "invalid length='0'"),
    ('<Pause length="1.5"/>', 13910, "Response/Pause[1]", "length"),
    # Dial and its nouns
    ('<Dial timeout="4">+8610555000111</Dial>', 13212, "Response/Dial[1]", "from 5 to 600"),
    ('<Dial timeout="601">+8610555000111</Dial>', 13212, "Response/Dial[1]", "timeout"),
    ('<Dial timeLimit="0">+8610555000111</Dial>', 13216, "Response/Dial[1]", "timeLimit"),
    ('<Dial callerId="010-5550">+8610555000111</Dial>', 13214, "Response/Dial[1]", "E.164"),
    ('<Dial method="PUT" action="/d">+8610555000111</Dial>', 13210, "Response/Dial[1]", "method"),
    ('<Dial hangupOnStar="yes">+8610555000111</Dial>', 13213, "Response/Dial[1]", "hangupOnStar"),
    ('<Dial record="always">+8610555000111</Dial>', 13217, "Response/Dial[1]", "record"),
    ('<Dial answerOnBridge="1">+8610555000111</Dial>', 13219, "Response/Dial[1]", "answerOnB"),
    ("<Dial>call the agent</Dial>", 13223, "Response/Dial[1]", "invalid number"),
    ("<Dial></Dial>", 13223, "Response/Dial[1]", "invalid number ''"),
    ("<Dial><Number>agent</Number></Dial>", 13223, "Response/Dial[1]/Number[1]", "number"),
    (
        '<Dial><Number method="PUT" url="/w">+8610555000111</Number></Dial>',
        13221,
        "Response/Dial[1]/Number[1]",
        "method",
    ),
    (
        '<Dial><Number sendDigits="ext9">+8610555000111</Number></Dial>',
        13222,
        "Response/Dial[1]/Number[1]",
        "sendDigits",
    ),
    (
        '<Dial><Conference muted="yes">room</Conference></Dial>',
        13230,
        "Response/Dial[1]/Conference[1]",
        "muted",
    ),
    (
        '<Dial><Conference beep="loud">room</Conference></Dial>',
        13235,
        "Response/Dial[1]/Conference[1]",
        "beep",
    ),
    # Record
    ('<Record maxLength="0"/>', 13612, "Response/Record[1]", "maxLength"),
    ('<Record timeout="-1"/>', 13611, "Response/Record[1]", "timeout"),
    ('<Record finishOnKey="x"/>', 13613, "Response/Record[1]", "finishOnKey"),
    ('<Record method="PUT"/>', 13610, "Response/Record[1]", "method"),
    ('<Record transcribe="yes"/>', 13614, "Response/Record[1]", "transcribe"),
    ('<Record transcribe="true" maxLength="300"/>', 13615, "Response/Record[1]", "<= 120"),
    ('<Record playBeep="no"/>', 13616, "Response/Record[1]", "playBeep"),
    ('<Record trim="yes"/>', 13699, "Response/Record[1]", "trim"),
    # Redirect, Reject, Enqueue
    ('<Redirect method="PUT">/voice</Redirect>', 13710, "Response/Redirect[1]", "method"),
    ("<Redirect></Redirect>", 11100, "Response/Redirect[1]", "no URL"),
    ('<Reject reason="nope"/>', 13810, "Response/Reject[1]", "'rejected', 'busy'"),
    ('<Enqueue method="PUT">support</Enqueue>', 14201, "Response/Enqueue[1]", "method"),
    ("<Enqueue></Enqueue>", 14204, "Response/Enqueue[1]", "queue name"),
    ("<Enqueue>" + "q" * 65 + "</Enqueue>", 14205, "Response/Enqueue[1]", "limit is 64"),
    ('<Enqueue waitUrlMethod="PUT">support</Enqueue>', 14206, "Response/Enqueue[1]", "waitUrlM"),
]


@pytest.mark.parametrize(("body", "code", "element", "words"), RULES)
def test_each_rule_reports_its_code_at_the_element(
    body: str, code: int | str, element: str, words: str
) -> None:
    """Each mistake gives exactly one problem: Twilio's code, the element, a clear message."""
    problems = problems_in(body)
    assert [(p.code, p.element) for p in problems] == [(code, element)], problems
    assert words in problems[0].message
    assert problems[0].severity == CODES[code][1]


VALID = [
    "<Say>Hello</Say>",
    '<Say voice="Polly.Zhiyu" language="cmn-CN">' + ZH + "</Say>",
    '<Say voice="Polly.Zhiyu-Neural">' + ZH + "</Say>",
    '<Say voice="Google.cmn-CN-Standard-A">' + ZH + "</Say>",
    '<Say language="zh-CN">' + ZH + "</Say>",
    '<Say language="cmn-CN">' + ZH + "</Say>",
    '<Say voice="alice" language="en-gb" loop="0">Hold, please.</Say>',
    "<Say>Hi <break time='1s'/> there</Say>",
    '<Say voice="Polly.Joanna-Neural" language="en-US">Hello</Say>',
    '<Say voice="Polly.Matthew-Generative">Hello</Say>',
    '<Say voice="Polly.Aditi" language="hi-IN">Namaste</Say>',
    '<Say voice="Polly.Zhiyu" language="zh-CN">' + ZH + "</Say>",
    '<Say voice="Google.en-US-Chirp3-HD-Aoede" language="en-GB">Hello</Say>',
    '<Gather input="speech" language="en-GB"/><Gather input="speech" language="zh-CN"/>'
    '<Gather input="speech" language="yue-Hant-HK"/><Hangup/>',
    '<Say voice="Polly.Zhiyu">' + "好" * 3000 + "</Say>",
    '<Gather input="dtmf speech" numDigits="1" finishOnKey="" timeout="3" action="/m" '
    'method="GET" language="cmn-Hans-CN" speechTimeout="auto" hints="账户, 账单" '
    'actionOnEmptyResult="true"><Say>x</Say><Play>a.mp3</Play><Pause length="2"/></Gather>',
    '<Gather finishOnKey="*"><Say>x</Say></Gather><Redirect method="GET">/voice</Redirect>',
    '<Play loop="2" digits="12w#">https://example.com/a.mp3</Play>',
    '<Dial action="/d" timeout="20" callerId="+8610555000100" timeLimit="600" '
    'record="record-from-answer">+8610555000111</Dial>',
    '<Dial><Number sendDigits="ww123">+8610555000111</Number><Number>10086</Number></Dial>',
    "<Dial><Client>alice</Client></Dial><Dial><Queue>support</Queue></Dial>",
    '<Record maxLength="120" timeout="0" finishOnKey="#*" transcribe="true" '
    'transcribeCallback="/t" playBeep="false" trim="trim-silence"/>',
    '<Enqueue action="/q" waitUrl="/wait">support</Enqueue>',
    '<Reject reason="busy"/>',
    "<Leave/><Hangup/>",
    "<Connect><Stream url='wss://example.com/s'/></Connect>",
]


@pytest.mark.parametrize("body", VALID)
def test_valid_documents_have_no_problems(body: str) -> None:
    """Well-formed TwiML within Twilio's limits passes without a word."""
    assert problems_in(body) == []


def test_problem_renders_as_one_readable_line() -> None:
    """str(problem) names the code, the URL, the element and what to do."""
    (found,) = problems_in('<Gather numdigits="1"/><Hangup/>')
    assert str(found) == (
        f"12200 at {BASE}/voice (Response/Gather[1]): unknown attribute 'numdigits' "
        "on <Gather> (did you mean 'numDigits'?)"
    )


def test_several_problems_are_all_reported_in_document_order() -> None:
    """The checker does not stop at the first mistake."""
    found = problems_in('<Say loop="x">a</Say><Pause length="0"/><Dial timeout="1">1234</Dial>')
    assert [(p.code, p.element) for p in found] == [
        (13510, "Response/Say[1]"),
        (13910, "Response/Pause[1]"),
        (13212, "Response/Dial[1]"),
    ]


def test_every_code_in_the_schema_has_a_title_and_level() -> None:
    """The attribute tables and the code list cannot drift apart."""
    used = {rule.code for spec in SCHEMA.values() for rule in (spec.attrs or {}).values()}
    used |= {spec.nesting_code for spec in SCHEMA.values()} | set(NESTED_CODES.values())
    assert used - set(CODES) == set()
    assert {level for _, level in CODES.values()} == {"error", "warning"}


# --- barge-in: words a key cannot cut short ----------------------------------------------

LONG_BEFORE = [
    # (document body, the Say it names, or None when nothing is wrong)
    ("<Say>您好。欢迎致电。</Say><Gather><Say>请按1</Say></Gather><Hangup/>", "Response/Say[1]"),
    ("<Say>Hello. Please listen.</Say><Gather/><Hangup/>", "Response/Say[1]"),
    ("<Say>一句话。两句话！</Say><Pause/><Say>好</Say><Gather/><Hangup/>", "Response/Say[1]"),
    (
        "<Say>您好，欢迎致电数字钱包客服。</Say><Gather><Say>一。二。三。</Say></Gather><Hangup/>",
        None,
    ),
    ("<Say>Hello, and welcome.</Say><Gather/><Hangup/>", None),
    ("<Say>Version 2.5 is out</Say><Gather/><Hangup/>", None),
    ("<Say>一。二。</Say><Hangup/>", None),  # no Gather follows: nothing to interrupt
    ("<Gather/><Say>一。二。</Say><Hangup/>", None),  # after the Gather, not before
    ("<Say>正在转接。请稍候。</Say><Dial>+8610555000111</Dial>", "Response/Say[1]"),
    ("<Say>正在为您转接，请稍候。</Say><Dial>+8610555000111</Dial>", None),
]


@pytest.mark.parametrize(("body", "where"), LONG_BEFORE)
def test_several_sentences_before_a_gather_are_a_warning(body, where):
    found = [p for p in problems_in(body) if p.code == "SIM004"]
    if where is None:
        assert found == []
    else:
        assert [(p.element, p.severity) for p in found] == [(where, "warning")]
        assert ("inside" if "<Gather" in body else "one short sentence") in found[0].message
