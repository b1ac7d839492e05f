from __future__ import annotations

from typing import cast

from django import forms
from django.core.files.uploadhandler import FileUploadHandler
from django.http import HttpRequest, QueryDict
from django.template.defaultfilters import filesizeformat
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext_lazy as _

from . import reading
from .models import What

ACCEPT = ".csv,.txt,.xlsx,.json,.geojson,.zip"


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "CSV or Excel (XLSX) of people, organisations or places; GeoJSON of places or of a "
            "neighbourhood boundary; Open Referral HSDS as JSON or as a ZIP data package."
        ),
        error_messages={"required": _("Choose a file to import.")},
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )
    what = forms.ChoiceField(
        label=_("What the file holds"),
        choices=What.choices,
        initial=What.AUTO,
        required=False,
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        limit = reading.max_bytes()
        self.fields["file"].widget.attrs["data-max-bytes"] = str(limit)
        self.fields["file"].help_text = f"{self.fields['file'].help_text} " + str(
            _("At most %(limit)s.") % {"limit": filesizeformat(limit)}
        )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            reading.check_size(upload.size)
        except reading.Refused as refused:
            raise forms.ValidationError(refused.message) from refused
        if upload.size == 0:
            raise forms.ValidationError(_("The file is empty."))
        return upload

    def clean_what(self) -> str:
        return self.cleaned_data.get("what") or What.AUTO


class ConfirmForm(forms.Form):
    valid_only = forms.BooleanField(label=_("Import only the valid rows"), required=False)
    feature = forms.CharField(required=False, max_length=60, widget=forms.HiddenInput)


class RefusableRequest(HttpRequest):
    """A request :class:`SizeLimit` may mark (typing only)."""

    upload_refused: int


class SizeLimit(FileUploadHandler):
    """Stops an upload larger than the limit before any of it is read or stored.

    When the request body is too large, the request gets ``upload_refused`` (its size) and
    empty POST/FILES; the body itself is never parsed.
    """

    def __init__(self, request, limit: int) -> None:
        super().__init__(request)
        self.limit = limit

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        if content_length and content_length > self.limit:
            cast(RefusableRequest, self.request).upload_refused = content_length
            return QueryDict(encoding=encoding), MultiValueDict()
        return None

    def receive_data_chunk(self, raw_data, start):
        return raw_data

    def file_complete(self, file_size):
        return None
