"""Checks `wamigrate sandbox` against an independent Cloud API client: pywa (PyPI, pinned in
requirements.txt). Two modes, each printing one JSON object on stdout:

  pywa_check.py client BASE_URL [--token T] [--waba-id W] [--phone-id P] [--to DIGITS] [--bsuid CC.DIGITS]
      drives the sandbox with pywa's WhatsApp client and reports every call: passed when it
      behaved as the platform documents (contracts.md §2, §8.5, §9), with the reason otherwise.

  pywa_check.py updates FILE [--waba-id W] [--phone-id P]
      reads JSON Lines of raw webhook bodies and parses each as pywa's server does
      (RawUpdate, _get_handler_type, _handlers_to_updates[...].from_update), reporting how
      many became typed updates, the failures, and statuses whose timestamps do not rise
      sent < delivered < read.

Exit status: 0 when every call passed / every update parsed, 1 otherwise, 2 on bad usage.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import traceback
from collections.abc import Callable
from typing import Any

import httpx
from pywa import WhatsApp, errors
from pywa._logging import get_update_hash
from pywa.types import RawUpdate
from pywa.types import templates as t

GRAPH_VERSION = "25.0"


# MARK: - client mode


class Expectation(Exception):
    """A call answered, but not as the platform documents."""


def expect(condition: bool, message: str) -> None:
    if not condition:
        raise Expectation(message)


def new_client(args: argparse.Namespace) -> WhatsApp:
    wa = WhatsApp(
        phone_id=args.phone_id,
        token=args.token,
        waba_id=args.waba_id,
        api_version=GRAPH_VERSION,
        session=httpx.Client(timeout=10),
    )
    # pywa hard-codes https://graph.facebook.com/v{version}; point the session at the sandbox.
    wa.api._session.base_url = f"{args.base_url.rstrip('/')}/v{GRAPH_VERSION}"
    return wa


def run_client(args: argparse.Namespace) -> dict[str, Any]:
    wa = new_client(args)
    suffix = str(int(time.time() * 1000) % 10_000_000)
    state: dict[str, Any] = {}
    calls: list[dict[str, Any]] = []

    def call(name: str, body: Callable[[], str]) -> None:
        try:
            detail = body()
            calls.append({"call": name, "ok": True, "detail": detail})
        except Expectation as failure:
            calls.append({"call": name, "ok": False, "detail": str(failure)})
        except Exception as error:  # pywa raised where the platform answers: report it
            calls.append({"call": name, "ok": False, "detail": describe(error)})

    body = t.BodyText("Hello {{1}}, your order 4711 has shipped and arrives tomorrow.", "Anna")
    utility = t.Template(
        name=f"pywa_order_{suffix}",
        category=t.TemplateCategory.UTILITY,
        language=t.TemplateLanguage.ENGLISH_US,
        parameter_format=t.ParamFormat.POSITIONAL,
        components=[body],
    )
    promo_body = t.BodyText("Hi {{1}}, our autumn sale starts today: 20% off every order this week.", "Anna")
    marketing = t.Template(
        name=f"pywa_sale_{suffix}",
        category=t.TemplateCategory.MARKETING,
        language=t.TemplateLanguage.ENGLISH_US,
        parameter_format=t.ParamFormat.POSITIONAL,
        components=[promo_body],
    )

    def create() -> str:
        created = wa.create_template(template=utility)
        expect(bool(created.id), "no template id in the answer")
        expect(created.status == t.TemplateStatus.APPROVED, f"status {created.status}, expected APPROVED")
        expect(created.category == t.TemplateCategory.UTILITY, f"category {created.category}, expected UTILITY")
        state["template_id"] = created.id
        made = wa.create_template(template=marketing)
        expect(made.category == t.TemplateCategory.MARKETING, f"category {made.category}, expected MARKETING")
        return f"created {created.id} (UTILITY) and {made.id} (MARKETING)"

    def listing() -> str:
        result = wa.get_templates(name=utility.name)
        found = [item for item in result if item.name == utility.name]
        expect(len(found) == 1, f"{len(found)} templates named {utility.name}, expected 1")
        item = found[0]
        expect(item.parameter_format == t.ParamFormat.POSITIONAL, f"parameter_format {item.parameter_format}")
        expect(any(isinstance(c, t.BodyText) for c in item.components), f"no BODY component: {item.components!r}")
        expect(result.total_count >= 1, f"summary.total_count {result.total_count}")
        expect(result.message_template_count >= 2, f"summary.message_template_count {result.message_template_count}")
        expect(result.message_template_limit > 0, f"summary.message_template_limit {result.message_template_limit}")
        return f"{len(found)} found; summary total_count={result.total_count} limit={result.message_template_limit}"

    def single() -> str:
        expect("template_id" in state, "no template was created")
        details = wa.get_template(state["template_id"])
        expect(details.id == state["template_id"], f"id {details.id}")
        expect(details.name == utility.name, f"name {details.name}")
        expect(details.language == t.TemplateLanguage.ENGLISH_US, f"language {details.language}")
        expect(details.parameter_format == t.ParamFormat.POSITIONAL, f"parameter_format {details.parameter_format}")
        bodies = [c for c in details.components if isinstance(c, t.BodyText)]
        expect(len(bodies) == 1 and "{{1}}" in bodies[0].text, f"components {details.components!r}")
        return f"{details.name} {details.status} {details.category}"

    def send_right() -> str:
        sent = wa.send_template(to=args.to, name=utility.name, language=utility.language, params=[body.params("Bob")])
        expect(sent.id.startswith("wamid."), f"message id {sent.id}")
        expect(sent.to == args.to, f"contacts[0] names {sent.to}, expected wa_id {args.to}")
        state["wamid"] = sent.id
        return sent.id

    def send_wrong() -> str:
        two = {"type": "body", "parameters": [{"type": "text", "text": "Bob"}, {"type": "text", "text": "extra"}]}
        try:
            wa.send_template(to=args.to, name=utility.name, language=utility.language, params=[two])
        except errors.TemplateParamCountMismatch as error:
            return f"raised TemplateParamCountMismatch ({error.code}): {error.message}"
        raise Expectation("two body parameters for a one-parameter body were accepted; expected 132000")

    def send_unknown() -> str:
        try:
            wa.send_template(to=args.to, name=f"no_such_{suffix}", language=t.TemplateLanguage.ENGLISH_US)
        except errors.TemplateNotExists as error:
            return f"raised TemplateNotExists ({error.code})"
        raise Expectation("an unknown template name was accepted; expected 132001")

    def send_marketing() -> str:
        sent = wa.send_template(
            to=args.to,
            name=marketing.name,
            language=marketing.language,
            params=[promo_body.params("Bob")],
            use_mm_lite_api=True,
        )
        expect(sent.id.startswith("wamid."), f"message id {sent.id}")
        return f"{sent.id} via /marketing_messages"

    def text() -> str:
        sent = wa.send_message(to=args.to, text="Your parcel is on its way.")
        expect(sent.id.startswith("wamid."), f"message id {sent.id}")
        state["text_wamid"] = sent.id
        return sent.id

    def read() -> str:
        target = state.get("text_wamid") or state.get("wamid") or "wamid.HBgLMTIzNDU2Nzg5MDEVAgASGBQzQTg1"
        result = wa.mark_message_as_read(message_id=target)
        expect(result.success is True, f"success {result.success}")
        return "success"

    def typing() -> str:
        target = state.get("text_wamid") or state.get("wamid") or "wamid.HBgLMTIzNDU2Nzg5MDEVAgASGBQzQTg1"
        result = wa.indicate_typing(message_id=target)
        expect(result.success is True, f"success {result.success}")
        return "success"

    def bsuid() -> str:
        sent = wa.send_template(to=args.bsuid, name=utility.name, language=utility.language, params=[body.params("Bob")])
        expect(sent.id.startswith("wamid."), f"message id {sent.id}")
        expect(sent.to == args.bsuid, f"contacts[0] names {sent.to}, expected user_id {args.bsuid}")
        return f"{sent.id} to {sent.to}"

    def bsuid_authentication() -> str:
        otp = t.Template(
            name=f"pywa_code_{suffix}",
            category=t.TemplateCategory.AUTHENTICATION,
            language=t.TemplateLanguage.ENGLISH_US,
            components=[
                t.AuthenticationBody(add_security_recommendation=True),
                t.AuthenticationFooter(code_expiration_minutes=10),
                t.Buttons(buttons=[t.CopyCodeOTPButton(text="Copy code")]),
            ],
        )
        created = wa.create_template(template=otp)
        expect(created.category == t.TemplateCategory.AUTHENTICATION, f"category {created.category}")
        try:
            wa.send_template(
                to=args.bsuid,
                name=otp.name,
                language=otp.language,
                params=[{"type": "body", "parameters": [{"type": "text", "text": "123456"}]}],
            )
        except errors.BSUIDRecipientNotSupported as error:
            return f"raised BSUIDRecipientNotSupported ({error.code})"
        raise Expectation("an authentication template to a BSUID was accepted; expected 131062")

    def unknown_route() -> str:
        try:
            wa.api._request(method="GET", endpoint=f"/{args.waba_id}/no_such_edge")
        except errors.WhatsAppError as error:
            raw = error.raw if isinstance(error.raw, dict) else {}
            expect("fbtrace_id" in raw and "type" in raw, f"not a Graph error object: {raw!r}")
            return f"Graph error {error.code}: {error.message}"
        raise Expectation("an unknown route answered 2xx")

    call("create_template", create)
    call("get_templates(fields, summary)", listing)
    call("get_template(id)", single)
    call("send_template", send_right)
    call("send_template(wrong parameter count) -> 132000", send_wrong)
    call("send_template(unknown name) -> 132001", send_unknown)
    call("send_template(MARKETING via /marketing_messages)", send_marketing)
    call("send_message(text)", text)
    call("mark_message_as_read", read)
    call("indicate_typing", typing)
    call("send_template(to BSUID recipient)", bsuid)
    call("send_template(AUTHENTICATION to BSUID) -> 131062", bsuid_authentication)
    call("unknown route -> Graph error", unknown_route)
    passed = sum(1 for c in calls if c["ok"])
    return {"mode": "client", "base_url": args.base_url, "passed": passed, "total": len(calls), "calls": calls}


def describe(error: BaseException) -> str:
    if isinstance(error, errors.WhatsAppError):
        return f"{type(error).__name__} code={error.code} message={error.message!r} details={error.details!r}"
    frame = traceback.extract_tb(error.__traceback__)[-1] if error.__traceback__ else None
    where = f" at {frame.filename.split('site-packages/')[-1]}:{frame.lineno}" if frame else ""
    return f"{type(error).__name__}: {error}{where}"


# MARK: - updates mode


def run_updates(args: argparse.Namespace) -> dict[str, Any]:
    wa = WhatsApp(token="unused", phone_id=args.phone_id, waba_id=args.waba_id, api_version=GRAPH_VERSION)
    total = 0
    parsed = 0
    by_type: dict[str, int] = {}
    failures: list[dict[str, Any]] = []
    times: dict[str, dict[str, int]] = {}
    with open(args.file, "rb") as lines:
        for number, line in enumerate(lines, start=1):
            line = line.strip()
            if not line:
                continue
            total += 1
            try:
                raw = RawUpdate(line, hmac_header=None, update_hash=get_update_hash(line))
                handler = wa._get_handler_type(raw)
                if handler is None:
                    raise Expectation(f"no handler for field {raw.field!r} (filtered out or unrecognized)")
                update = wa._handlers_to_updates[handler].from_update(client=wa, update=raw)
            except Exception as error:
                failures.append({"line": number, "error": describe(error)})
                continue
            parsed += 1
            kind = type(update).__name__
            by_type[kind] = by_type.get(kind, 0) + 1
            status = getattr(update, "status", None)
            if status is not None and hasattr(update, "timestamp"):
                times.setdefault(update.id, {})[str(status)] = int(update.timestamp.timestamp())
    order = ["sent", "delivered", "read"]
    violations = []
    for wamid, stamps in times.items():
        seen = [stamps[word] for word in order if word in stamps]
        if any(later <= earlier for earlier, later in zip(seen, seen[1:])):
            violations.append({"id": wamid, "timestamps": stamps})
    return {
        "mode": "updates",
        "file": args.file,
        "total": total,
        "parsed": parsed,
        "by_type": by_type,
        "failures": failures[:50],
        "order_violations": violations[:50],
    }


# MARK: - entry point


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    modes = parser.add_subparsers(dest="mode", required=True)
    client = modes.add_parser("client", help="drive the sandbox with pywa's client")
    client.add_argument("base_url")
    client.add_argument("--token", default="sandbox-token")
    client.add_argument("--waba-id", default="102290129340398")
    client.add_argument("--phone-id", default="1234")
    client.add_argument("--to", default="4915123000001", help="a registered number, digits only")
    client.add_argument("--bsuid", default="DE.4815162342", help="a BSUID pywa recognizes: CC. and digits")
    updates = modes.add_parser("updates", help="parse JSON Lines of raw webhook bodies")
    updates.add_argument("file")
    updates.add_argument("--waba-id", default=None, help="filter as a client of this WABA would")
    updates.add_argument("--phone-id", default=None, help="filter as a client of this phone number id would")
    args = parser.parse_args()
    report = run_client(args) if args.mode == "client" else run_updates(args)
    print(json.dumps(report, indent=2, sort_keys=True))
    if args.mode == "client":
        return 0 if report["passed"] == report["total"] else 1
    return 0 if report["parsed"] == report["total"] else 1


if __name__ == "__main__":
    sys.exit(main())
