from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.usersessions.adapter import DefaultUserSessionsAdapter
from django.http import HttpRequest

from accounts.sessions import end_all_sessions, end_sessions
from cfsj.lib.fields import decrypt_stored, encrypt_stored


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # Accounts are created by administrators only: no self sign-up.
        return False

    def set_password(self, user, password: str) -> None:
        # Every password change and reset passes here: whoever held a session under the old
        # password is signed out everywhere, not only where the change was made.
        super().set_password(user, password)
        end_all_sessions(user=user, request=context.request, reason="password changed")


class MfaAdapter(DefaultMFAAdapter):
    """TOTP secrets and recovery-code seeds are encrypted with the field keys, like clinical
    text: a copy of the database alone does not yield anyone's codes."""

    def encrypt(self, text: str) -> str:
        return encrypt_stored(text)

    def decrypt(self, encrypted_text: str) -> str:
        return decrypt_stored(encrypted_text)


class UserSessionsAdapter(DefaultUserSessionsAdapter):
    def end_sessions(self, sessions) -> None:
        # allauth's "sign out other sessions" button; sends no signal of its own.
        request = context.request
        end_sessions(
            user=request.user,
            sessions=list(sessions),
            request=request,
            reason="ended by the user",
        )
