#!/usr/bin/env python3
"""make_corpus: writes the seed corpora of tests/fuzz (corpus/request and
corpus/plan). Run once after changing the wire contract or the plan format,
and commit what it writes:

    python3 tests/fuzz/make_corpus.py

It needs nothing outside the standard library: requests are encoded by hand
from proto/battlemap.proto's field numbers, which lets it also write the
malformed messages a protobuf library would refuse to produce. The valid
plan is read from fuzz_plan.c's s_valid, so the two stay alike. Files found
by the fuzzer (crashes, and inputs worth keeping) are added by hand, next
to what this writes; it never deletes a file.
"""

import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REQUEST_DIR = os.path.join(HERE, "corpus", "request")
PLAN_DIR = os.path.join(HERE, "corpus", "plan")

MAX_STRING = 4096               # BM_MAX_STRING
MAX_BATCH = 2000               # BM_MAX_BATCH


# ---------------------------------------------------------------------------
# Protobuf wire format, by hand

def varint(value):
    out = bytearray()
    value &= (1 << 64) - 1      # negative int64: ten bytes, as protobuf does
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def tag(field, wire_type):
    return varint((field << 3) | wire_type)


def uint(field, value):
    return tag(field, 0) + varint(value)


def string(field, value):
    data = value.encode("utf-8") if isinstance(value, str) else bytes(value)
    return tag(field, 2) + varint(len(data)) + data


def message(field, *parts):
    return string(field, b"".join(parts))


def envelope(*body, version=1):
    return uint(1, version) + b"".join(body)


# Envelope bodies (oneof body)
SUBMIT, PLAN_LOAD, WALL, TEMPLATE, RANKING, CLOCK, EXCEPTION, HISTORY, REPORT = range(10, 19)
IDENTITY, CATCHUP, ALERT = 19, 20, 21
SUBMIT_REPLY, WALL_REPLY, CLOCK_REPLY, ERROR, EVENT = 30, 32, 35, 40, 50

FORECAST, FINAL = 1, 2
NOT_STARTED, IN_PROGRESS, DONE = 1, 2, 3
REOPEN, REQUEST, GRANT, REFUSE, LIST = 1, 2, 3, 4, 5
TIMELINESS, FORECAST_ACCURACY = 1, 2
ENROLL, REVOKE, LIST_IDENTITIES = 1, 2, 3
LIST_ALERTS, ACK, SILENCE = 1, 2, 3
KEY = "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7"   # a Z85 public key, 40 characters


def figure(id="6f1c1e1a-2b7d-4c38-9d0e-3a1b2c3d4e5f", district="qingpu",
           unit="赵巷镇", indicator="industrial-output", measure="",
           period="2023-05", kind=FORECAST, value="1673.5", status=0, note="",
           extra=b""):
    parts = [string(1, id), string(2, district), string(3, unit),
             string(4, indicator)]
    if measure:
        parts.append(string(5, measure))
    parts += [string(6, period), uint(7, kind)]
    if value:
        parts.append(string(8, value))
    if status:
        parts.append(uint(9, status))
    if note:
        parts.append(string(10, note))
    return message(1, *parts, extra)


def submit(*figures, partial=False):
    return message(SUBMIT, *figures, uint(2, 1) if partial else b"")


def wall(district="qingpu", period="2023-05", unit="", all=False, snapshot=False):
    return message(WALL, string(1, district), string(2, period),
                   string(3, unit) if unit else b"",
                   uint(4, 1) if all else b"", uint(5, 1) if snapshot else b"")


def clock(set=""):
    return message(CLOCK, string(1, set) if set else b"")


# ---------------------------------------------------------------------------
# The valid plan, from fuzz_plan.c

def c_string(literal):
    """The bytes of one C string literal's body (the escapes fuzz_plan.c uses)"""
    out = bytearray()
    index = 0
    raw = literal.encode("utf-8")
    while index < len(raw):
        byte = raw[index]
        if byte != ord("\\"):
            out.append(byte)
            index += 1
            continue
        escape = chr(raw[index + 1])
        if escape == "x":
            digits = re.match(rb"[0-9A-Fa-f]+", raw[index + 2:]).group(0)
            out.append(int(digits, 16))
            index += 2 + len(digits)
        else:
            out += {"n": b"\n", "r": b"\r", "t": b"\t", '"': b'"', "\\": b"\\"}[escape]
            index += 2
    return bytes(out)


def valid_plan():
    """The nine files of s_valid, in its order"""
    with open(os.path.join(HERE, "fuzz_plan.c"), encoding="utf-8") as handle:
        source = handle.read()
    block = source[source.index("s_valid [S_FILES] = {"):]
    block = block[:block.index("\n};")]
    block = re.sub(r"//[^\n]*", "", block.split("{", 1)[1])
    files = [b""]
    for token in re.finditer(r'"((?:[^"\\]|\\.)*)"|,', block):
        if token.group(0) == ",":
            files.append(b"")
        else:
            files[-1] += c_string(token.group(1))
    assert len(files) == 9, "fuzz_plan.c's s_valid has %d files" % len(files)
    return files


NAMES = ["plan.csv", "units.csv", "indicators.csv", "targets.csv", "milestones.csv",
         "tasks.csv", "baselines.csv", "rankings.csv", "holidays.csv"]


# ---------------------------------------------------------------------------
# Requests

def requests(plan):
    seeds = {}
    figure_full = figure(measure="", note="预报，含西虹桥")

    # --- every request body -------------------------------------------------
    seeds["submit-one-figure"] = envelope(submit(figure_full))
    seeds["submit-figures-partial"] = envelope(submit(
        figure(),
        figure(id="7a2d2f2b-3c8e-4d49-8e1f-4b2c3d4e5f60", unit="青浦工业园区",
               kind=FINAL, value="1195.0"),
        figure(id="8b3e3a3c-4d9f-4e5a-9f20-5c3d4e5f6071", indicator="project-progress",
               measure="出让一批", value="", status=IN_PROGRESS),
        partial=True))
    seeds["submit-milestone-status"] = envelope(submit(figure(
        indicator="project-progress", measure="出让一批", value="", status=DONE)))
    seeds["plan-load-fixture"] = envelope(message(PLAN_LOAD, *[
        message(1, string(1, name), string(2, content)) for name, content in zip(NAMES, plan)]))
    seeds["plan-load-required-only"] = envelope(message(PLAN_LOAD, *[
        message(1, string(1, name), string(2, content))
        for name, content in list(zip(NAMES, plan))[:4]]))
    seeds["plan-load-path-names"] = envelope(message(PLAN_LOAD, *[
        message(1, string(1, "qingpu-2023/" + name), string(2, content))
        for name, content in list(zip(NAMES, plan))[:4]]))
    seeds["wall"] = envelope(wall())
    seeds["wall-unit-snapshot"] = envelope(wall(unit="赵巷镇", snapshot=True))
    seeds["wall-all"] = envelope(wall(all=True))
    seeds["template"] = envelope(message(TEMPLATE, string(1, "qingpu"), string(2, "赵巷镇"),
                                         string(3, "2023-05")))
    seeds["ranking-indicator"] = envelope(message(
        RANKING, string(1, "qingpu"), string(2, "2023-05"), string(3, "project-progress"),
        string(4, "出让一批"), uint(6, 3)))
    seeds["ranking-weighted"] = envelope(message(
        RANKING, string(1, "qingpu"), string(2, "2023-05"), string(5, "主要经济指标")))
    seeds["clock-read"] = envelope(clock())
    seeds["clock-set"] = envelope(clock("2023-06-11T09:00:00+08:00"))
    seeds["exception-reopen"] = envelope(message(
        EXCEPTION, uint(1, REOPEN), string(2, "qingpu"), string(3, "赵巷镇"),
        string(4, "2023-05"), uint(5, FINAL), string(6, "industrial-output"),
        string(6, "project-progress"), string(7, "2023-06-20T17:00:00+08:00"),
        string(8, "系统故障，补报"), string(10, "经委")))
    seeds["exception-request"] = envelope(message(
        EXCEPTION, uint(1, REQUEST), string(2, "qingpu"), string(3, "赵巷镇"),
        string(4, "2023-05"), uint(5, FORECAST), string(8, "数据未出"), string(10, "赵巷镇")))
    seeds["exception-grant"] = envelope(message(
        EXCEPTION, uint(1, GRANT), uint(9, 42), string(8, "同意"), string(10, "经委")))
    seeds["exception-refuse-negative-id"] = envelope(message(
        EXCEPTION, uint(1, REFUSE), uint(9, -1), string(8, "不同意")))
    seeds["exception-list"] = envelope(message(EXCEPTION, uint(1, LIST), string(2, "qingpu")))
    seeds["history"] = envelope(message(
        HISTORY, string(1, "qingpu"), string(2, "赵巷镇"), string(3, "industrial-output"),
        string(5, "2023-05")))
    seeds["report-timeliness"] = envelope(message(
        REPORT, uint(1, TIMELINESS), string(2, "qingpu"), string(3, "2023-05")))
    seeds["report-accuracy"] = envelope(message(
        REPORT, uint(1, FORECAST_ACCURACY), string(2, "qingpu"), string(3, "2023-05")))
    seeds["identity-enroll"] = envelope(message(
        IDENTITY, uint(1, ENROLL), string(2, KEY), string(3, "赵巷镇统计员"),
        string(4, "submitter"), string(5, "qingpu"), string(6, "赵巷镇"),
        string(6, "青浦工业园区")))
    seeds["identity-revoke"] = envelope(message(
        IDENTITY, uint(1, REVOKE), string(2, KEY), string(7, "调岗")))
    seeds["identity-list"] = envelope(message(IDENTITY, uint(1, LIST_IDENTITIES)))
    seeds["bad-utf8-identity-unit"] = envelope(message(
        IDENTITY, uint(1, ENROLL), string(2, KEY), string(6, "赵巷镇"), string(6, b"\xe8\xb5")))
    seeds["catchup"] = envelope(message(
        CATCHUP, uint(1, 1234), string(2, "completion/qingpu/"), string(2, "deadline/qingpu/"),
        uint(3, 500)))
    seeds["catchup-latest-only"] = envelope(message(CATCHUP, uint(4, 1)))
    seeds["catchup-since-max"] = envelope(message(CATCHUP, uint(1, (1 << 64) - 1)))
    seeds["alert-list"] = envelope(message(
        ALERT, uint(1, LIST_ALERTS), string(2, "qingpu"), string(3, "赵巷镇"), uint(8, 1)))
    seeds["alert-ack"] = envelope(message(
        ALERT, uint(1, ACK), uint(5, 17), string(7, "已督办")))
    seeds["alert-silence"] = envelope(message(
        ALERT, uint(1, SILENCE), uint(5, 17), string(6, "2023-06-30T17:00:00+08:00"),
        string(7, "月底前整改")))
    for body, name in [(WALL, "wall"), (TEMPLATE, "template"), (RANKING, "ranking"),
                       (EXCEPTION, "exception"), (HISTORY, "history"), (REPORT, "report"),
                       (IDENTITY, "identity"), (CATCHUP, "catchup"), (ALERT, "alert")]:
        seeds["%s-empty-body" % name] = envelope(message(body))

    # --- what the server must refuse -----------------------------------------
    whole = seeds["submit-figures-partial"]
    seeds["bad-empty"] = b""
    seeds["bad-garbage"] = bytes((index * 167 + 13) % 256 for index in range(256))
    seeds["bad-ascii-text"] = b"GET / HTTP/1.1\r\nHost: battlemap\r\n\r\n"
    seeds["bad-truncated-submit"] = whole[:len(whole) // 2]
    seeds["bad-truncated-last-byte"] = whole[:-1]
    seeds["bad-truncated-in-tag"] = envelope() + b"\x82"
    seeds["bad-no-body"] = envelope()
    seeds["bad-version-only-zero"] = b"\x08\x00"
    seeds["bad-reply-error"] = envelope(message(
        ERROR, uint(1, 1), string(2, "not a request"), string(3, "a detail"), uint(4, 2)))
    seeds["bad-reply-submit-reply"] = envelope(message(SUBMIT_REPLY, message(
        1, string(1, "6f1c1e1a"), uint(2, 1), uint(3, 7))))
    seeds["bad-reply-wall-reply"] = envelope(message(WALL_REPLY, string(1, "qingpu")))
    seeds["bad-reply-clock-reply"] = envelope(message(CLOCK_REPLY, string(1, "2023-06-11")))
    seeds["bad-event"] = envelope(message(EVENT, uint(1, 5), string(3, "completion"), message(
        10, string(1, "qingpu"), string(2, "赵巷镇"))))
    seeds["bad-unknown-body-field"] = envelope(message(29, string(1, "x")))
    seeds["unknown-field-top"] = envelope(wall(), uint(99, 7))
    seeds["unknown-field-in-figure"] = envelope(submit(figure(extra=string(77, "extra"))))
    seeds["unknown-field-fixed64"] = envelope(clock(), tag(1000, 1) + b"\x01" * 8)
    seeds["unknown-field-fixed32"] = envelope(clock(), tag(536870911, 5) + b"\x02" * 4)
    seeds["unknown-field-zero-overlong-tag"] = envelope(message(
        SUBMIT, figure(), b"\x81\x00" + b"\x0a\x00" * 4))   # protobuf-c keeps it
    seeds["bad-field-number-zero"] = envelope(clock()) + tag(0, 0) + b"\x01"
    seeds["bad-wire-type-6"] = envelope(clock()) + tag(3, 6) + b"\x01"
    seeds["bad-wire-type-7"] = envelope(clock()) + tag(3, 7) + b"\x01"
    seeds["bad-version-0"] = envelope(wall(), version=0)
    seeds["bad-version-2"] = envelope(wall(), version=2)
    seeds["bad-version-max"] = envelope(wall(), version=0xFFFFFFFF)
    seeds["version-over-uint32-truncated"] = envelope(wall(), version=(1 << 32) + 1)
    seeds["version-repeated-last-wins"] = uint(1, 2) + envelope(wall())
    seeds["version-overlong-varint"] = b"\x08\x81\x80\x80\x80\x80\x80\x80\x80\x80\x00" + wall()
    seeds["bad-varint-eleven-bytes"] = b"\x08" + b"\xff" * 10 + b"\x01" + wall()
    seeds["bad-utf8-unit"] = envelope(submit(figure(unit=b"\xe8\xb5\xb5\xff\xe9\x95\x87")))
    seeds["bad-utf8-truncated-sequence"] = envelope(wall(district=b"qingpu\xe9\x9d"))
    seeds["bad-utf8-overlong-slash"] = envelope(wall(district=b"\xc0\xaf"))
    seeds["bad-utf8-overlong-nul"] = envelope(wall(district=b"qing\xc0\x80pu"))
    seeds["bad-utf8-surrogate"] = envelope(clock(b"\xed\xa0\x80"))
    seeds["bad-utf8-over-max"] = envelope(clock(b"\xf4\x90\x80\x80"))
    seeds["bad-utf8-lone-continuation"] = envelope(message(
        HISTORY, string(1, "qingpu"), string(4, b"\x80")))
    seeds["bad-utf8-exception-indicator"] = envelope(message(
        EXCEPTION, uint(1, REOPEN), string(6, "industrial-output"), string(6, b"\xfe\xfe")))
    seeds["bad-utf8-plan-file-name"] = envelope(message(PLAN_LOAD, message(
        1, string(1, b"units\xff.csv"), string(2, plan[1]))))
    seeds["plan-content-not-utf8"] = envelope(message(PLAN_LOAD, *[
        message(1, string(1, name), string(2, content if name != "units.csv"
                                                   else content + b"\xff\xfe,town,,\n"))
        for name, content in list(zip(NAMES, plan))[:4]]))
    seeds["nul-in-string"] = envelope(wall(district=b"qing\x00pu"))
    seeds["string-at-max"] = envelope(message(HISTORY, string(5, "x" * MAX_STRING)))
    seeds["bad-string-over-max"] = envelope(wall(district="x" * (MAX_STRING + 1)))
    seeds["bad-string-over-max-multibyte"] = envelope(submit(figure(
        note="注" * (MAX_STRING // 3 + 1))))
    seeds["submit-no-figures"] = envelope(message(SUBMIT))
    seeds["submit-no-figures-partial"] = envelope(submit(partial=True))
    seeds["submit-empty-figure"] = envelope(submit(message(1)))
    seeds["submit-over-batch"] = envelope(submit(*[message(1)] * (MAX_BATCH + 1)))
    # Values the server once took wrongly: a negative amount, signs and
    # zeros a canonical value drops, a value no district sum can hold, a
    # cut id
    seeds["submit-values-odd"] = envelope(submit(
        figure(value="-5"), figure(id="6f1c1e1a-2b7d-4c38-9d0e-3a1b2c3d4e60", value="+12"),
        figure(id="6f1c1e1a-2b7d-4c38-9d0e-3a1b2c3d4e61", value="007"),
        figure(id="6f1c1e1a-2b7d-4c38-9d0e-3a1b2c3d4e62", value="-0"),
        figure(id="6f1c1e1a-2b7d-4c38-9d0e-3a1b2c3d4e63", value="9" * 30 + ".999999")))
    seeds["bad-nul-in-id"] = envelope(submit(figure(id=b"6f1c1e1a-2b7d-4c38-9d0e-3a1b2c3d4e5f\x00junk")))
    seeds["catchup-since-2-63"] = envelope(message(CATCHUP, uint(1, 1 << 63)))
    seeds["plan-load-no-files"] = envelope(message(PLAN_LOAD))
    seeds["plan-load-empty-content"] = envelope(message(PLAN_LOAD, message(
        1, string(1, "plan.csv"))))
    seeds["plan-load-empty-files"] = envelope(message(PLAN_LOAD, *[message(1)] * 200))
    seeds["plan-load-twice-and-unknown"] = envelope(message(PLAN_LOAD, *[
        message(1, string(1, name), string(2, content))
        for name, content in list(zip(NAMES, plan))[:4] * 2],
        message(1, string(1, "notes.txt"), string(2, "hello"))))
    seeds["oneof-two-bodies"] = envelope(wall(), clock("2023-06-11T09:00:00+08:00"))
    seeds["oneof-request-then-reply"] = envelope(wall(), message(ERROR, uint(1, 1)))
    seeds["oneof-reply-then-request"] = envelope(message(ERROR, uint(1, 1)), wall())
    seeds["oneof-same-body-twice"] = envelope(submit(figure()),
                                              submit(figure(unit="青浦工业园区")))
    seeds["oneof-many-switches"] = envelope(*[wall(), clock(), submit(figure()),
                                              message(PLAN_LOAD, message(1))] * 16)
    seeds["bad-huge-length-body"] = envelope() + tag(SUBMIT, 2) + varint(0xFFFFFFFF)
    seeds["bad-huge-length-64bit"] = envelope() + tag(WALL, 2) + varint((1 << 64) - 1)
    seeds["bad-huge-length-string"] = envelope(message(
        WALL, tag(1, 2) + varint(0x7FFFFFFF) + b"qingpu"))
    seeds["bad-length-past-end"] = envelope() + tag(CLOCK, 2) + varint(64) + string(1, "x")
    seeds["bad-huge-length-unknown"] = envelope(wall()) + tag(120, 2) + varint(1 << 40)
    seeds["bad-nested-groups"] = envelope() + tag(SUBMIT, 3) * 1000
    seeds["bad-end-group"] = envelope(wall()) + tag(SUBMIT, 4)
    seeds["unknown-nested-length-delimited"] = envelope(wall(), _nested(90, 200))
    seeds["exception-many-indicators"] = envelope(message(
        EXCEPTION, uint(1, REOPEN), *[string(6, "indicator-%d" % index)
                                      for index in range(300)]))
    seeds["repeated-scalar-fields"] = envelope(message(
        WALL, *[string(1, "qingpu")] * 100, *[uint(4, 1)] * 100))
    return {"request/%s.bin" % name: data for name, data in seeds.items()}


def _nested(field, depth):
    """An unknown length-delimited field holding itself, `depth` deep"""
    inner = b""
    for _ in range(depth):
        inner = message(field, inner)
    return inner


# ---------------------------------------------------------------------------
# Plan files: the first byte chooses the file ('0' plan.csv .. '8' holidays.csv)

def plans(plan):
    seeds = {}

    def add(name, kind, content):
        if isinstance(content, str):
            content = content.encode("utf-8")
        seeds["plan/%s-%s.csv" % (NAMES[kind][:-4], name)] = bytes([ord("0") + kind]) + content

    for kind, content in enumerate(plan):
        add("valid", kind, content)
    plan_csv, units, indicators, targets, milestones, tasks, baselines, rankings, holidays = plan
    PLAN, UNITS, INDICATORS, TARGETS, MILESTONES, TASKS, BASELINES, RANKINGS, HOLIDAYS = range(9)

    # --- valid variants ------------------------------------------------------
    add("no-bom-lf", PLAN, plan_csv[3:])
    add("crlf", PLAN, plan_csv.replace(b"\n", b"\r\n"))
    add("cr-only", UNITS, units.replace(b"\r\n", b"\r"))
    add("deadline-rule", PLAN,
        "plan,district,district_name,year,title,forecast_day,final_day,deadline_rule\n"
        "qingpu-2023,qingpu,青浦区,2023,计划,25,12,next_workday\n")
    add("columns-reordered", UNITS, "note,parent,kind,unit\r\n,,town,赵巷镇\r\n,,park,青浦工业园区\r\n"
        ",,department,经委\r\n,经委,section,经济运行科\r\n")
    add("quoted-everything", TARGETS, b"".join(
        b",".join(b'"' + field + b'"' for field in line.split(b",")) + b"\n"
        for line in targets.splitlines() if b'"' not in line and not line.startswith(b"#")))
    add("quoted-newline-and-quotes", TASKS, tasks + "区级,2,\"两行\n标题 \"\"引号\"\"\",,,"
        "registered-unemployed,,,\n".encode("utf-8"))
    add("kinds-appended", INDICATORS, indicators +
        "services-revenue,规上服务业营业收入,,%,none,higher,,,,,,,,growth\n"
        "sei-share,战新产值占规上工业总产值比例,,%,none,higher,,,,,,,,ratio,"
        "sei-output / industrial-output * 100\n"
        "info-quality,来沪人员信息质量,,%,none,higher,,,,,,,,level\n"
        "tax-revenue,税收收入,,亿元,sum,higher,,,,,,,,group\n".encode("utf-8"))
    add("pace", INDICATORS, indicators +
        "new-hq,新增总部机构数,,家,sum,higher,,,,,,,,amount,,100,90,"
        "5|10|21|30|40|50|58|66|75|83|91|100\n".encode("utf-8"))
    add("comments-and-blank-rows", MILESTONES, b"# top\n\n" + milestones + b",,,,,,,\n# end \"x\n")

    # --- broken --------------------------------------------------------------
    add("empty", PLAN, b"")
    add("bom-only", UNITS, b"\xef\xbb\xbf")
    add("header-only", TARGETS, targets.split(b"\n")[0] + b"\n")
    add("double-bom", PLAN, b"\xef\xbb\xbf" + plan_csv)
    add("bom-mid-file", UNITS, units + b"\xef\xbb\xbf\xe6\x96\xb0\xe9\x95\x87,town,,\r\n")
    add("bom-in-header", INDICATORS, indicators.replace(b",name,", b",\xef\xbb\xbfname,", 1))
    add("bad-quote-unclosed", TARGETS, targets + b"industrial-output,,\"\xe5\x85\xa8\xe5\x8c\xba,,total,,1,,\n")
    add("bad-quote-in-unquoted", UNITS, units + "新\"镇\",town,,\r\n".encode("utf-8"))
    add("bad-quote-text-after", TASKS, tasks + "区级,3,\"标题\"尾,,,industrial-output,,,\n"
        .encode("utf-8"))
    add("bad-utf8", UNITS, units + b"\xe8\xb5\xff,town,,\r\n")
    add("bad-utf8-overlong", HOLIDAYS, holidays + b"2023-05-01,holiday,\xc0\xae,\n")
    add("bad-utf8-surrogate", RANKINGS, rankings + b"\xed\xa0\x80,industrial-output,,1,,\n")
    add("bad-utf8-truncated-at-end", INDICATORS, indicators + b"x,\xe8")
    add("nul-byte", PLAN, plan_csv.replace(b"qingpu-2023", b"qingpu\x00-2023"))
    add("unknown-column", UNITS, units.replace(b"unit,kind,parent,note", b"unit,kind,parent,note,colour"))
    add("missing-column", TARGETS, targets.replace(b"indicator,measure,unit,", b"indicator,measure,", 1))
    add("duplicate-column", MILESTONES, milestones.replace(b",note\n", b",month\n", 1))
    add("unnamed-column-with-data", BASELINES, baselines.replace(b",note\n", b",note,\n", 1)
        + b"industrial-output,,,2022-03,400,,orphan\n")
    add("too-many-fields", RANKINGS, rankings + "项目推进,industrial-output,,1,,,多余\n".encode("utf-8"))
    add("em-dash-value", TARGETS, targets + "registered-unemployed,,赵巷镇,,total,,—,,\n"
        .encode("utf-8"))
    add("em-dash-in-wrong-column", TARGETS, targets + "industrial-output,—,全区,,total,,1,,\n"
        .encode("utf-8"))
    add("em-dash-in-milestone", MILESTONES, milestones + "industrial-output,,,5,—,,,\n"
        .encode("utf-8"))
    add("em-dash-in-unit-name", UNITS, units + "—,town,,\r\n".encode("utf-8"))
    add("dash-lookalikes", TARGETS, targets + "".join(
        "industrial-output,,%s,,total,,%s,,\n" % (unit, dash) for unit, dash in [
            ("经委", "-"), ("经济运行科", "--"), ("赵巷镇", "–"), ("青浦工业园区", "——"),
            ("全区", "－"), ("全区", "/"), ("全区", "— "), ("全区", "\"—\"")]).encode("utf-8"))
    add("numbers-odd", TARGETS, targets + "".join(
        "industrial-output,,全区,,total,,%s,,\n" % value for value in [
            "1,855", "1855.0000001", "1e3", "0x10", "+5", "-0", ".5", "5.", "NaN", "inf",
            "99999999999999999999999999999", "1855亿元", "10%", " 12", "1 2"]).encode("utf-8"))
    add("year-odd", PLAN, "plan,district,district_name,year,title\n"
        "qingpu-2023,qingpu,青浦区,99999999999,计划\nqingpu-2024,qingpu,青浦区,2024,二\n")
    add("days-odd", PLAN, "plan,district,district_name,year,title,forecast_day,final_day,"
        "deadline_rule\nqingpu-2023,qingpu,青浦区,2023,计划,0,32,sideways\n")
    add("dates-odd", HOLIDAYS, holidays + b"2023-02-29,holiday,,\n2023-13-01,holiday,,\n"
        b"2025-01-01,holiday,,\n2023-01-07,workday,,\n2023-01-09,workday,,\n"
        b"2023-1-1,holiday,,\n2023-01-01,holiday,,\n,holiday,,\n2023-05-01,day off,,\n")
    add("months-odd", MILESTONES, milestones + b"industrial-output,,,0,1,,,\n"
        b"industrial-output,,,13,1,,,\nindustrial-output,,,-1,1,,,\nindustrial-output,,,3,1,,,\n"
        b"industrial-output,,,,,,,\n")
    add("periods-odd", BASELINES, baselines + b"industrial-output,,,2023-06,1,\n"
        b"industrial-output,,,2022-00,1,\nindustrial-output,,,2022-6,1,\nindustrial-output,,,,1,\n"
        b"industrial-output,,,2022-06,1,\n")
    add("unknown-references", TARGETS, targets + "nonesuch,,全区,,total,,1,,\n"
        "industrial-output,nonesuch,全区,,total,,1,,\nindustrial-output,,某镇,,total,,1,,\n"
        "industrial-output,,全区,boss,size,<>,1,,\n".encode("utf-8"))
    add("references-odd", TASKS, tasks + "市级,x,,,不存在科,nonesuch,a|b,,best\n"
        "区级,1,重复,,,industrial-output,,,\n".encode("utf-8"))
    add("parents-cycle", UNITS, "unit,kind,parent,note\n甲,section,乙,\n乙,section,甲,\n"
        "丙,planet,,\n甲,town,,\n".encode("utf-8"))
    add("indicators-odd", INDICATORS, indicators +
        "industrial-output,重复,,亿元,sum,higher,,,,,,,,amount\n"
        "bad code!,名,,个,average,sideways,nonesuch,,,,,,,shape\n"
        "ratio-x,比,,%,none,higher,,,,,,,,ratio,(industrial-output / \n"
        "ratio-y,比,,%,none,higher,,,,,,,,ratio,ratio-y * 2\n"
        "pace-x,速,,个,sum,higher,,,,,,,,amount,,101,200,5|10|x\n"
        "pace-y,速,,个,sum,higher,,,,,,,,amount,,,,100|90|80|70|60|50|40|30|20|10|5|1\n"
        .encode("utf-8"))
    add("formulas-odd", INDICATORS, indicators + "".join(
        "f%d,比,,%%,none,higher,,,,,,,,ratio,%s\n" % (index, formula)
        for index, formula in enumerate([
            "industrial-output / 0", "((((((((((industrial-output))))))))))",
            "industrial-output / registered-unemployed * 100 - 1",
            "industrial-output[出让一批]", "1 / / 2", "sei-output ** 2",
            "\"industrial-output / sei-output\"", "(" * 200 + "1" + ")" * 200])).encode("utf-8"))
    add("weights-odd", RANKINGS, rankings + "主要经济指标,industrial-output,,0,,\n"
        "主要经济指标,industrial-output,,-1,x,\n空,nonesuch,,1,999999999999,\n"
        "项目推进,sei-output,,1e2,,\n".encode("utf-8"))
    add("many-rows", BASELINES, baselines + b"".join(
        b"industrial-output,,,2022-%02d,%d,\n" % (month, month * 70) for month in range(1, 13)) * 8)
    add("many-problems", TARGETS, targets + b"x,y,z\n" * 150)
    add("long-field", UNITS, units + ("长" * 1400 + ",town,,\r\n").encode("utf-8"))
    add("only-commas", TASKS, b",,,,\n,,\n")
    add("only-newlines", HOLIDAYS, b"\n\r\n\r\r\n")
    return seeds


def main():
    plan = valid_plan()
    os.makedirs(REQUEST_DIR, exist_ok=True)
    os.makedirs(PLAN_DIR, exist_ok=True)
    seeds = requests(plan)
    seeds.update(plans(plan))
    for name, data in sorted(seeds.items()):
        with open(os.path.join(HERE, "corpus", name), "wb") as handle:
            handle.write(data)
    print("wrote %d seeds to %s" % (len(seeds), os.path.join(HERE, "corpus")), file=sys.stderr)


if __name__ == "__main__":
    main()
