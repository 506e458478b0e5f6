from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from audit.heads import check_heads, head_file, read_heads
from audit.selectors import verify_chain


class Command(BaseCommand):
    help = (
        "Check the access log's hash chain and report the first broken link, then check that "
        "every chain head published outside the database is still in it; exits 1 if any fails."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--heads",
            type=Path,
            help="file of published heads (default: CFSJ_AUDIT_HEAD_FILE, when it exists)",
        )

    def handle(self, *args, heads: Path | None, **options) -> None:
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
        head_problems = self._check_published_heads(heads)
        for problem in head_problems:
            self.stderr.write(f"Published head: {problem}.")
        if not report.ok or head_problems:
            raise CommandError("The audit trail failed verification.")
        self.stdout.write(f"{report.rows} access-log rows verified; head {report.head}.")

    def _check_published_heads(self, path: Path | None) -> list[str]:
        if path is None:
            path = head_file()
            if path is None or not path.exists():
                self.stdout.write("No published chain heads to compare (CFSJ_AUDIT_HEAD_FILE).")
                return []
        try:
            published = read_heads(path)
        except (OSError, ValueError) as error:
            return [f"cannot read {path}: {error}"]
        problems = check_heads(published)
        if not problems:
            self.stdout.write(f"{len(published)} published heads found in the chain.")
        return problems
