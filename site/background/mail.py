"""The site's email backend: write each message down, send it in the background.

settings.EMAIL_BACKEND points here, so every sender (our services, allauth's
account emails, Wagtail's notifications) goes through it without changing a
call site. send_messages() stores each message as an OutgoingEmail row and
enqueues a task with the row's id, in the caller's transaction: with the
database task backend both commit together or not at all. A worker then
delivers it through settings.EMAIL_DELIVERY_BACKEND (SMTP in production, the
console in development, memory in tests); see background.services.
"""

import base64
from email.utils import make_msgid

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import MIMEBase


class QueuedEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        from background.services import outgoing_email_record

        count = 0
        for message in email_messages:
            if not message.recipients():
                continue
            outgoing_email_record(message=message)
            count += 1
        return count


def message_id_for(from_email: str) -> str:
    # The sender's domain, not the host name: looking that up can be slow, and
    # it says nothing useful about the machine that happened to write it.
    domain = from_email.rpartition("@")[2].strip(" >") or "knowhow.invalid"
    return make_msgid(domain=domain)


def _attachment_to_json(attachment):
    if isinstance(attachment, MIMEBase):
        raise ValueError("Attach files with a name and content, not as MIME parts.")
    filename, content, mimetype = attachment
    if isinstance(content, str):
        return {"filename": filename, "text": content, "mimetype": mimetype}
    return {
        "filename": filename,
        "base64": base64.b64encode(content).decode("ascii"),
        "mimetype": mimetype,
    }


def _attachment_from_json(item):
    content = item["text"] if "text" in item else base64.b64decode(item["base64"])
    return (item["filename"], content, item["mimetype"])


def message_to_json(message, *, message_id: str) -> dict:
    """Everything needed to build the same message again, as JSON."""
    headers = {str(k): str(v) for k, v in message.extra_headers.items()}
    if not any(name.lower() == "message-id" for name in headers):
        headers["Message-ID"] = message_id
    return {
        "subject": str(message.subject),
        "body": str(message.body),
        "from_email": str(message.from_email),
        "to": [str(a) for a in message.to],
        "cc": [str(a) for a in message.cc],
        "bcc": [str(a) for a in message.bcc],
        "reply_to": [str(a) for a in message.reply_to],
        "headers": headers,
        "alternatives": [
            [str(content), mimetype] for content, mimetype in getattr(message, "alternatives", [])
        ],
        "attachments": [_attachment_to_json(a) for a in message.attachments],
        "content_subtype": message.content_subtype,
        "mixed_subtype": message.mixed_subtype,
        "alternative_subtype": getattr(message, "alternative_subtype", "alternative"),
        "encoding": str(message.encoding) if message.encoding else None,
    }


def message_from_json(data: dict) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=data["subject"],
        body=data["body"],
        from_email=data["from_email"] or settings.DEFAULT_FROM_EMAIL,
        to=data["to"],
        cc=data["cc"],
        bcc=data["bcc"],
        reply_to=data["reply_to"],
        headers=data["headers"],
        alternatives=[tuple(a) for a in data["alternatives"]],
        attachments=[_attachment_from_json(a) for a in data["attachments"]],
    )
    message.content_subtype = data["content_subtype"]
    message.mixed_subtype = data["mixed_subtype"]
    message.alternative_subtype = data["alternative_subtype"]
    message.encoding = data["encoding"]
    return message
