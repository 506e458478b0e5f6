"""Supervisor pages on staff accounts: those the inactivity rule disabled, and re-enabling one."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts import access, selectors, services
from accounts.models import User
from audit.models import AccessLog
from audit.services import log_access


@login_required
@require_GET
def disabled_accounts(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "supervise")
    accounts = list(selectors.disabled_accounts_page())
    log_access(
        request=request,
        action=AccessLog.Action.LIST,
        detail={"report": "disabled_accounts", "count": len(accounts)},
    )
    context = {"accounts": accounts, "inactive_days": settings.CFSJ_INACTIVE_DAYS}
    return render(request, "accounts/disabled_accounts.html", context)


@login_required
@require_POST
def account_enable(request: HttpRequest, pk: int) -> HttpResponse:
    access.require(request.user, "supervise")
    account = access.get_visible_or_404(request.user, User, pk=pk)
    try:
        services.reenable_account(user=account, by=request.user, request=request)
    except services.AccountsError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("%(name)s can sign in again.") % {"name": account.display_name})
    return redirect("accounts:disabled_accounts")
