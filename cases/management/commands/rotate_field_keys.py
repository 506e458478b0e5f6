"""Re-encrypt every encrypted column under the newest key in CFSJ_FIELD_KEYS.

Rotation (docs/deployment.md): put the new key first in CFSJ_FIELD_KEYS and restart, run this
command, then remove the old key and restart again. Values already under the newest key are left
alone, so the command can be interrupted and run again; ``--dry-run`` only counts what it would
change. History tables are rewritten too (the plaintext does not change, so no history row is
added for it).
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import models

from accounts.services import rotate_second_factor_secrets
from cases.encryption import encrypted_models, rewrite_columns, rotate_to_newest
from cfsj.lib.crypto import DecryptionError


class Command(BaseCommand):
    help = "Re-encrypt every encrypted column (history included) under the newest field key."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--dry-run", action="store_true", help="count, change nothing")
        parser.add_argument("--batch-size", type=int, default=500)
        parser.add_argument("--database", default="default")

    def handle(self, *args: Any, dry_run: bool, batch_size: int, database: str, **opts: Any):
        verb = "would re-encrypt" if dry_run else "re-encrypted"
        grand_total = 0

        def progress(model: type[models.Model], read: int, total: int, changed: int) -> None:
            if opts["verbosity"] >= 1:
                self.stdout.write(
                    f"  {model._meta.label}: {read}/{total} rows read, {changed} to change"
                )

        for model in encrypted_models():
            try:
                changed = rewrite_columns(
                    model,
                    rotate_to_newest,
                    reason="rotate field encryption keys",
                    using=database,
                    batch_size=batch_size,
                    dry_run=dry_run,
                    progress=progress,
                )
            except DecryptionError as error:
                raise CommandError(
                    f"{model._meta.label}: {error} Put the old key back in CFSJ_FIELD_KEYS "
                    "(after the new one) and run the command again."
                ) from None
            grand_total += changed
            if opts["verbosity"] >= 1:
                self.stdout.write(f"{model._meta.label}: {verb} {changed} rows")
        try:
            authenticators = rotate_second_factor_secrets(dry_run=dry_run)
        except DecryptionError as error:
            raise CommandError(
                f"Second-factor secrets: {error} Put the old key back in CFSJ_FIELD_KEYS "
                "(after the new one) and run the command again."
            ) from None
        grand_total += authenticators
        if opts["verbosity"] >= 1:
            self.stdout.write(f"mfa.Authenticator: {verb} {authenticators} rows")
        self.stdout.write(self.style.SUCCESS(f"Done: {verb} {grand_total} rows."))
