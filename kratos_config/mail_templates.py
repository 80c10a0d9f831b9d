"""Kratos's verification and recovery mails, branded: the product name in subject and body, the
code set large, HTML and plain text; handed to Kratos as base64:// template URIs in its config.

Kratos renders HTML bodies with Go's html/template and the rest with text/template; the product
name goes in as a Go string literal (`{{ "Name" }}`), so html/template escapes it and a name can
never become template code.
"""

from __future__ import annotations

import base64
import json
from typing import Any

# Kratos's template id -> (what the mail is for, the Go template of the code or link it carries).
_PURPOSES = {
    "verification_code": ("verify your email address", "{{ .VerificationCode }}"),
    "recovery_code": ("recover your account", "{{ .RecoveryCode }}"),
    "verification": ("verify your email address", "{{ .VerificationURL }}"),
    "recovery": ("recover your account", "{{ .RecoveryURL }}"),
}
_CODE_STYLE = "font:700 28px/1.2 ui-monospace,monospace;letter-spacing:4px;margin:16px 0"


def _uri(template: str) -> str:
    return "base64://" + base64.b64encode(template.encode()).decode()


def _valid(template_id: str, name: str) -> dict[str, str]:
    purpose, value = _PURPOSES[template_id]
    is_code = template_id.endswith("_code")
    # A code mail also carries Kratos's link that fills the code in (verification only).
    link = "{{ .VerificationURL }}" if template_id == "verification_code" else None
    subject = f"{name} · {'your code to ' if is_code else 'a link to '}{purpose}"
    text = [f"{name}", "", f"Use this {'code' if is_code else 'link'} to {purpose}:", "", value, ""]
    if link:
        text += ["Or open this link, which fills the code in:", link, ""]
    text += ["If you did not ask for this, ignore this mail."]
    shown = (
        f'<p style="{_CODE_STYLE}">{value}</p>'
        if is_code
        else f'<p><a href="{value}">{value}</a></p>'
    )
    html = (
        f'<!doctype html><html><body style="font-family:system-ui,sans-serif;color:#1b1f24">'
        f'<h1 style="font-size:20px">{name}</h1><p>Use this {"code" if is_code else "link"} '
        f"to {purpose}:</p>{shown}"
        + (
            f'<p>Or <a href="{link}">open this link</a>, which fills the code in.</p>'
            if link
            else ""
        )
        + "<p>If you did not ask for this, ignore this mail.</p></body></html>"
    )
    return {"subject": subject, "plaintext": "\n".join(text) + "\n", "html": html}


def _invalid(template_id: str, name: str) -> dict[str, str]:
    purpose, _ = _PURPOSES[template_id]
    line = (
        f"Someone asked to {purpose} with this email address, but it has no account with "
        f"{name}. If it was you, sign up or try the address you signed up with; otherwise "
        "ignore this mail."
    )
    return {
        "subject": f"{name} · a request to {purpose}",
        "plaintext": f"{name}\n\n{line}\n",
        "html": f'<!doctype html><html><body style="font-family:system-ui,sans-serif">'
        f'<h1 style="font-size:20px">{name}</h1><p>{line}</p></body></html>',
    }


def _email(parts: dict[str, str]) -> dict[str, Any]:
    return {
        "email": {
            "subject": _uri(parts["subject"]),
            "body": {"html": _uri(parts["html"]), "plaintext": _uri(parts["plaintext"])},
        }
    }


def mail_templates(product_name: str) -> dict[str, Any]:
    """The `courier.templates` section of Kratos's config for a product name."""
    name = "{{ " + json.dumps(product_name) + " }}"
    return {
        template_id: {
            "valid": _email(_valid(template_id, name)),
            "invalid": _email(_invalid(template_id, name)),
        }
        for template_id in _PURPOSES
    }
