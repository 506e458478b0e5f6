from django import forms


def focus_first_error(form: forms.Form) -> None:
    """Put the cursor on the first field with an error, so that a phone user does not have to
    scroll to find it; the error summary at the top links to every field too."""
    for name in form.fields:
        if name in form.errors:
            widget = form.fields[name].widget
            widget.attrs["autofocus"] = True
            widget.attrs["aria-invalid"] = "true"
            return


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")
