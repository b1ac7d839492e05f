"""The consent a builder reads out at the kitchen table, versioned.

Change the wording → raise ``CONSENT_TEXT_VERSION`` so every record says which words the
resident agreed to. The record keeps the text in the language it was read out in.
"""

from django.utils.translation import gettext_lazy as _

CONSENT_TEXT_VERSION = "2026-1"

CONSENT_TEXT = _(
    "We would like to write down what you told us: what you care about, what you are good "
    "at, what you would like to learn and who you know, so that we can bring neighbours "
    "together. You choose what we record and who may see it. You may look at it, change it "
    "or have it removed at any time, by asking us or by logging in yourself. We do not share "
    "it with anyone outside the neighbourhood team."
)

# What may be recorded: the person's fields plus the conversation itself.
CONSENT_FIELDS: dict[str, str] = {
    "name": _("first name"),
    "street": _("street"),
    "gifts": _("gifts"),
    "street_wish": _("what they would like to see happen in the street"),
    "conversations": _("notes of our conversations"),
    "phone": _("phone"),
    "email": _("email"),
    "languages": _("languages"),
    "ties": _("who they know and the groups they are part of"),
}
CONSENT_DEFAULT = ["name", "street", "gifts", "street_wish", "conversations"]
# Without these we cannot log a conversation at all.
CONSENT_REQUIRED = ["name", "street", "conversations"]
