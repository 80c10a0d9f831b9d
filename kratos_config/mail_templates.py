"""Kratos's verification and recovery mails, branded: the product name in subject and body, the
code set large, HTML and plain text; handed to Kratos as base64:// template URIs in its config.

Kratos renders HTML bodies with Go's html/template and the rest with text/template; the product
name goes in as a Go string literal (`{{ "Name" }}`), so html/template escapes it and a name can
never become template code.

With courier.languageTrait, a mail to an existing identity is written in the identity's
`language` trait: Kratos v1.3.1 passes the identity (a map with its `traits`) as `.Identity` to
the valid verification and recovery templates (courier/template/email/*_valid.go). The invalid
ones go to an address without an account, so there is no language to read: they stay English.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from typing import Any

from stack_settings.locales import default_locale, is_rtl, language_trait, locale_codes


@dataclass(frozen=True)
class Words:
    """One language's sentences of the mails; {purpose} and {link} are filled in below."""

    verify: str
    recover: str
    code_subject: str
    link_subject: str
    use_code: str
    use_link: str
    or_link_text: str
    or_link_html: str
    ignore: str


WORDS = {
    "en": Words(
        verify="verify your email address",
        recover="recover your account",
        code_subject="your code to {purpose}",
        link_subject="a link to {purpose}",
        use_code="Use this code to {purpose}:",
        use_link="Use this link to {purpose}:",
        or_link_text="Or open this link, which fills the code in:",
        or_link_html='Or <a href="{link}">open this link</a>, which fills the code in.',
        ignore="If you did not ask for this, ignore this mail.",
    ),
    "de": Words(
        verify="deine E-Mail-Adresse zu bestätigen",
        recover="dein Konto wiederherzustellen",
        code_subject="dein Code, um {purpose}",
        link_subject="ein Link, um {purpose}",
        use_code="Nutze diesen Code, um {purpose}:",
        use_link="Nutze diesen Link, um {purpose}:",
        or_link_text="Oder öffne diesen Link, der den Code für dich einträgt:",
        or_link_html='Oder <a href="{link}">öffne diesen Link</a>, der den Code für dich einträgt.',
        ignore="Wenn du das nicht angefordert hast, ignoriere diese E-Mail.",
    ),
    "ar": Words(
        verify="تأكيد عنوان بريدك الإلكتروني",
        recover="استعادة حسابك",
        code_subject="رمزك من أجل {purpose}",
        link_subject="رابط من أجل {purpose}",
        use_code="استخدم هذا الرمز من أجل {purpose}:",
        use_link="استخدم هذا الرابط من أجل {purpose}:",
        or_link_text="أو افتح هذا الرابط الذي يُدخل الرمز نيابةً عنك:",
        or_link_html='أو <a href="{link}">افتح هذا الرابط</a> الذي يُدخل الرمز نيابةً عنك.',
        ignore="إن لم تطلب ذلك، فتجاهل هذه الرسالة.",
    ),
}

# Mail to an address without an account (no identity, so no language: always English).
_NO_ACCOUNT = (
    "Someone asked to {purpose} with this email address, but it has no account with "
    "{name}. If it was you, sign up or try the address you signed up with; otherwise "
    "ignore this mail."
)
_REQUEST_SUBJECT = "a request to {purpose}"

# Kratos's template id -> (which purpose, the Go template of the code or link it carries).
_PURPOSES = {
    "verification_code": ("verify", "{{ .VerificationCode }}"),
    "recovery_code": ("recover", "{{ .RecoveryCode }}"),
    "verification": ("verify", "{{ .VerificationURL }}"),
    "recovery": ("recover", "{{ .RecoveryURL }}"),
}
_CODE_STYLE = "font:700 28px/1.2 ui-monospace,monospace;letter-spacing:4px;margin:16px 0"


def _uri(template: str) -> str:
    return "base64://" + base64.b64encode(template.encode()).decode()


def _html_open(lang: str) -> str:
    direction = ' dir="rtl"' if is_rtl(lang) else ""
    return (
        f'<!doctype html><html lang="{lang}"{direction}>'
        '<body style="font-family:system-ui,sans-serif;color:#1b1f24">'
    )


def _valid(template_id: str, name: str, lang: str) -> dict[str, str]:
    words = WORDS[lang]
    which, value = _PURPOSES[template_id]
    purpose = getattr(words, which)
    is_code = template_id.endswith("_code")
    # A code mail also carries Kratos's link that fills the code in (verification only).
    link = "{{ .VerificationURL }}" if template_id == "verification_code" else None
    subject = f"{name} · " + (words.code_subject if is_code else words.link_subject).format(
        purpose=purpose
    )
    use = (words.use_code if is_code else words.use_link).format(purpose=purpose)
    text = [name, "", use, "", value, ""]
    if link:
        text += [words.or_link_text, link, ""]
    text += [words.ignore]
    shown = (
        f'<p style="{_CODE_STYLE}">{value}</p>'
        if is_code
        else f'<p><a href="{value}">{value}</a></p>'
    )
    html = (
        f'{_html_open(lang)}<h1 style="font-size:20px">{name}</h1><p>{use}</p>{shown}'
        + (f"<p>{words.or_link_html.format(link=link)}</p>" if link else "")
        + f"<p>{words.ignore}</p></body></html>"
    )
    return {"subject": subject, "plaintext": "\n".join(text) + "\n", "html": html}


def _invalid(template_id: str, name: str) -> dict[str, str]:
    words = WORDS[default_locale()]
    purpose = getattr(words, _PURPOSES[template_id][0])
    line = _NO_ACCOUNT.format(purpose=purpose, name=name)
    return {
        "subject": f"{name} · {_REQUEST_SUBJECT.format(purpose=purpose)}",
        "plaintext": f"{name}\n\n{line}\n",
        "html": f'<!doctype html><html><body style="font-family:system-ui,sans-serif">'
        f'<h1 style="font-size:20px">{name}</h1><p>{line}</p></body></html>',
    }


def _by_language(versions: dict[str, str]) -> str:
    """One Go template that picks the version of the identity's language trait, else English.

    `with` + `index` read the trait without failing on an identity that has none."""
    pick = (
        '{{- $lang := "" -}}{{- with .Identity -}}{{- with index . "traits" -}}'
        f'{{{{- with index . "{language_trait()}" -}}}}{{{{- $lang = . -}}}}'
        "{{- end -}}{{- end -}}{{- end -}}"
    )
    others = [code for code in locale_codes() if code != default_locale()]
    branches = "".join(
        f'{{{{ {"if" if i == 0 else "else if"} eq (printf "%v" $lang) "{code}" }}}}{versions[code]}'
        for i, code in enumerate(others)
    )
    return f"{pick}{branches}{{{{ else }}}}{versions[default_locale()]}{{{{ end }}}}"


def _valid_parts(template_id: str, name: str, by_language: bool) -> dict[str, str]:
    if not by_language:
        return _valid(template_id, name, default_locale())
    versions = {code: _valid(template_id, name, code) for code in locale_codes()}
    parts = versions[default_locale()]
    return {part: _by_language({c: v[part] for c, v in versions.items()}) for part in parts}


def _email(parts: dict[str, str]) -> dict[str, Any]:
    return {
        "email": {
            "subject": _uri(parts["subject"]),
            "body": {"html": _uri(parts["html"]), "plaintext": _uri(parts["plaintext"])},
        }
    }


def mail_templates(product_name: str, by_language: bool = False) -> dict[str, Any]:
    """The `courier.templates` section of Kratos's config for a product name; with by_language,
    the valid mails are written in the identity's language trait."""
    name = "{{ " + json.dumps(product_name) + " }}"
    return {
        template_id: {
            "valid": _email(_valid_parts(template_id, name, by_language)),
            "invalid": _email(_invalid(template_id, name)),
        }
        for template_id in _PURPOSES
    }
