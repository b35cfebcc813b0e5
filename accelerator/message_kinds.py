"""The messages the project package itself sends: the daily digest and the account's own
messages (address confirmation, password reset), which the account library renders."""

from django.utils.translation import gettext_lazy as _

from .outbox.registry import register_message
from .outbox.services import DIGEST_KIND, digest_parts

register_message(
    DIGEST_KIND, template="emails/digest",
    subject=_("Your daily summary: %(count)s messages"),
    audience=_("A person who chose one daily email"),
    why=_("You asked for comments and replies in one daily email (your profile)."),
    prepare=digest_parts, subject_params=lambda values: {"count": values["count"]},
)
register_message(
    "account.message", template="emails/account_message",
    subject=_("%(subject)s"),
    audience=_("The person who asked (sign-in, password reset, address confirmation)"),
    why=_("Someone asked for this with your address on the Accelerator."),
    subject_params=lambda values: {"subject": values["subject"]},
)
