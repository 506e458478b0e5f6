from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts import demo
from accounts.reference import sync_roles_and_reference_data
from cases import demo as demo_city
from cases import demo_casework
from cases.reference import sync_all as sync_cases_reference_data


class Command(BaseCommand):
    help = "Fill an empty database with believable demo data and one demo user per role."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing (and succeed) when the database already holds any data.",
        )
        parser.add_argument(
            "--allow-demo-accounts",
            action="store_true",
            help=(
                "Run with DEBUG off too (a scanner's or a trainer's throw-away server). The demo "
                "users share one known password: never on a server holding real data."
            ),
        )
        parser.add_argument(
            "--people",
            type=int,
            default=demo_city.PEOPLE,
            help="About how many people the demo city has (tests use a small one).",
        )
        parser.add_argument(
            "--contacts", type=int, default=demo_city.CONTACTS, help="How many contacts."
        )

    def handle(
        self,
        *args,
        if_empty: bool = False,
        allow_demo_accounts: bool = False,
        people: int = demo_city.PEOPLE,
        contacts: int = demo_city.CONTACTS,
        **options,
    ):
        # No default accounts in production (issue 5, CJIS): DEBUG off means a real deployment
        # unless the operator says otherwise, and --if-empty does not count as saying so.
        if not settings.DEBUG and not allow_demo_accounts:
            raise CommandError(
                "seed_demo refuses to run with DEBUG off: its demo users share one known "
                "password. On a throw-away server, pass --allow-demo-accounts."
            )
        if demo.holds_non_demo_data():
            message = (
                "This database holds data that is not demo data; seed_demo refuses to touch it."
            )
            if if_empty:
                self.stdout.write(message)
                return
            raise CommandError(message)
        if demo.holds_demo_data():
            self.stdout.write("Demo data is already present; nothing to do.")
            return
        with transaction.atomic():
            sync_roles_and_reference_data(apps)
            sync_cases_reference_data(apps)
            users = demo.create_demo_users()
            city = demo_city.create_demo_people(users, people=people, contacts=contacts)
            # About 120 cases in the full city, fewer in a small one (tests).
            cases = min(demo_casework.CASES, max(12, people * 3 // 10))
            work = demo_casework.create_demo_casework(users, cases=cases)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data created: {len(users)} demo users, {city['people']} people in "
                f"{city['households']} households, {city['contacts']} contacts, "
                f"{work['cases']} cases with {work['notes']} notes and {work['tasks']} tasks, "
                f"{work['consultations']} consultations, {work['assessments']} assessments."
            )
        )
