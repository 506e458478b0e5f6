from allauth.account.forms import LoginForm
from django import forms
from django.utils.translation import gettext_lazy as _


class SignInForm(LoginForm):
    """allauth's sign-in form with the system-use notice acknowledged (CJIS: the notice is shown
    and accepted before access). The form refuses before any password is checked, so an
    unticked box is not a failed sign-in for the lockout."""

    acknowledge = forms.BooleanField(
        label=_("I have read the notice above and accept its conditions."),
        required=True,
        error_messages={"required": _("Accept the system-use notice to sign in.")},
    )
