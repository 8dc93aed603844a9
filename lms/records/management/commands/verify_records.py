"""`python manage.py verify_records [--organization ID | --personal] [--year Y]`

Walks every chain (or the chosen ones) and prints, per chain, its head or the first
broken link. Exits with status 1 when a link is broken, so a cron job can alert.
"""

from django.core.management.base import BaseCommand, CommandError

from lms.records import services


class Command(BaseCommand):
    help = "훈련 기록 해시 체인을 검증하고 처음 끊어진 곳을 알립니다."

    def add_arguments(self, parser):
        parser.add_argument("--organization", type=int, help="기관 번호")
        parser.add_argument("--personal", action="store_true", help="개인 체인만")
        parser.add_argument("--year", type=int, help="연도")

    def handle(self, *args, organization=None, personal=False, year=None, **options):
        checked = 0
        first = None
        for chain, broken in services.verify(
            organization_id=organization, year=year, personal=personal
        ):
            checked += 1
            if broken is None:
                self.stdout.write(
                    f"{chain.label} {chain.year}년: 이상 없음 "
                    f"(기록 {chain.head_seq}건, 머리 {chain.head_hash})"
                )
            else:
                self.stdout.write(f"끊어짐: {broken}")
                first = first or broken
        if not checked:
            self.stdout.write("검증할 체인이 없습니다.")
        if first is not None:
            raise CommandError(f"처음 끊어진 곳: {first}", returncode=1)
        self.stdout.write(f"이상 없음 (체인 {checked}개)")
