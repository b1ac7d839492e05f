"""Django's own texts that our Dutch catalogue translates again (``locale/nl``), because
Django's Dutch is formal ("Uw wachtwoord …") where Assetmap says "je", or is missing (Django's
new empty choice "- Select an option -" showed in English in the Dutch select boxes).

Our catalogue comes first (``LOCALE_PATHS``), so the msgids below, copied exactly from Django,
win over Django's translations. Nothing imports this module: it only marks the msgids for
``makemessages`` (``bin/po_fill.py``); the Dutch is in ``locale/nl/src/access.json``.
``tests/test_translations.py`` checks that Django's forms and password rules read "je" in Dutch.
"""

from django.utils.translation import gettext_noop, ngettext_lazy

TEXTS = [
    # django.db.models.fields.BLANK_CHOICE_LABEL: the empty choice of every select box
    gettext_noop("- Select an option -"),
    # django.contrib.auth.password_validation and forms
    gettext_noop("Your password can’t be too similar to your other personal information."),
    gettext_noop("Your password can’t be a commonly used password."),
    gettext_noop("Your password can’t be entirely numeric."),
    gettext_noop("Your old password was entered incorrectly. Please enter it again."),
    gettext_noop("The password is too similar to the %(verbose_name)s."),
    gettext_noop("This password is too common."),
    gettext_noop("This password is entirely numeric."),
    gettext_noop("The two password fields didn’t match."),
]
PLURAL_TEXTS = [
    ngettext_lazy(
        "Your password must contain at least %(min_length)d character.",
        "Your password must contain at least %(min_length)d characters.",
        "min_length",
    ),
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
        "min_length",
    ),
]
