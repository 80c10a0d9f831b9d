"""The local stack: the generated Kratos config run for real on one machine, no Docker."""

from local_stack.errors import LocalStackError
from local_stack.mail import Mail, Mailbox, MailTimeout
from local_stack.stack import LocalStack
from stack_settings.local import LocalPorts

__all__ = ["LocalPorts", "LocalStack", "LocalStackError", "Mail", "MailTimeout", "Mailbox"]
