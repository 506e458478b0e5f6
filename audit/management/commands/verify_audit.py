from django.core.management.base import BaseCommand, CommandError

from audit.selectors import verify_chain


class Command(BaseCommand):
    help = "Check the access log's hash chain and report the first broken link; exits 1 if any."

    def handle(self, *args, **options) -> None:
        report = verify_chain()
        for permit in report.leftover_permits:
            self.stderr.write(
                f"Rewrite permit {permit.pk} is still present ({permit}): the append-only "
                "triggers let every UPDATE and DELETE through while it exists."
            )
        if report.broken_at is not None:
            self.stderr.write(
                f"Broken link at access-log row {report.broken_at} "
                f"(after {report.rows} good rows): {report.problem}."
            )
        if not report.ok:
            raise CommandError("The audit trail failed verification.")
        self.stdout.write(f"{report.rows} access-log rows verified; head {report.head}.")
