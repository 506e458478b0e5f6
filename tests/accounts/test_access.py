import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import Http404

from accounts import access
from accounts.models import PartnerOrganisation, Unit
from accounts.roles import ROLE_CAPABILITIES, Role


@pytest.fixture
def unit_policy():
    """A throwaway policy: a user sees the units they belong to; supervisors change them."""

    class MyUnits(access.Policy):
        def visible(self, user, queryset):
            return queryset.filter(pk__in=user.unit_ids)

        def can_change(self, user, obj):
            return access.is_supervisor(user)

    access._policies[Unit] = MyUnits()
    yield
    del access._policies[Unit]


def test_role_groups_grant_exactly_the_capabilities_the_code_declares(db):
    for role, capabilities in ROLE_CAPABILITIES.items():
        granted = set(
            Group.objects.get(name=role)
            .permissions.filter(content_type__app_label="accounts", content_type__model="user")
            .exclude(codename__in=["add_user", "change_user", "view_user", "delete_user"])
            .values_list("codename", flat=True)
        )
        assert granted == set(capabilities), role


def test_administrators_hold_no_capability_over_people_or_cases(admin_user):
    for capability in ("find_people", "log_contact", "manage_cases", "supervise"):
        assert not access.can(admin_user, capability)


def test_partners_can_only_take_part_in_safety_net(partner):
    assert access.can(partner, "attend_safetynet")
    assert not access.can(partner, "find_people")
    with pytest.raises(PermissionDenied):
        access.require(partner, "log_contact")


def test_a_model_without_a_policy_is_refused_not_shown(officer):
    with pytest.raises(ImproperlyConfigured):
        access.visible_to(officer, PartnerOrganisation)


def test_lists_hold_only_visible_records(unit_policy, officer):
    assert list(access.visible_to(officer, Unit)) == [Unit.objects.get(code="family-justice")]


def test_a_record_outside_the_users_scope_answers_404(unit_policy, officer):
    other = Unit.objects.get(code="clinical-support")
    with pytest.raises(Http404):
        access.get_visible_or_404(officer, Unit, pk=other.pk)
    with pytest.raises(Http404):
        access.get_visible_or_404(officer, Unit, pk="not-a-number")


def test_a_visible_record_that_may_not_be_changed_answers_403(unit_policy, officer, supervisor):
    unit = access.get_visible_or_404(officer, Unit, code="family-justice")
    with pytest.raises(PermissionDenied):
        access.require_change(officer, unit)
    access.require_change(supervisor, unit)


def test_anonymous_and_deactivated_users_see_nothing(unit_policy, officer):
    assert not access.visible_to(AnonymousUser(), Unit).exists()
    officer.is_active = False
    officer.save()
    assert not access.visible_to(officer, Unit).exists()
    assert access.home_role(officer) is None


def test_the_home_follows_the_strongest_role(clinician):
    clinician.groups.add(Group.objects.get(name=Role.SUPERVISOR))
    clinician.__dict__.pop("roles", None)  # the cached role set
    assert access.home_role(clinician) == Role.SUPERVISOR
