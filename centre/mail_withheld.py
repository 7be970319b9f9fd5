"""The mail backend of a copy of production (SAMHUS_MAIL_DISABLED=true): no
message leaves the machine; each is logged as one line instead."""

import logging

from django.core.mail.backends.base import BaseEmailBackend

logger = logging.getLogger("samhus.mail")


class WithheldBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        for message in email_messages:
            logger.info(
                "Mail withheld (SAMHUS_MAIL_DISABLED): %r to %d recipient(s)",
                message.subject,
                len(message.recipients()),
            )
        # Counted as sent, so nothing retries what was withheld on purpose.
        return len(email_messages)
